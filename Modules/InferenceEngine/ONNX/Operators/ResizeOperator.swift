import Foundation

/// `Resize` (opsets 10-19+) and the older `Upsample`: separable interpolation one axis at a time,
/// in Double, with ONNX's coordinate transformations, nearest rounding modes, linear/cubic
/// (optionally antialiased) kernels, `exclude_outside`, ROI cropping and aspect-ratio policies.
/// Follows the reference implementation in `onnx.reference.ops.op_resize` step for step.
enum ResizeOperator {
    struct Settings {
        var mode = "nearest"
        var coordinateMode = "half_pixel"
        var nearestMode = "round_prefer_floor"
        var cubicA = -0.75
        var excludeOutside = false
        var extrapolation = 0.0
        var antialias = false
    }

    static func coefficients(_ ratio: Double, scale: Double, _ s: Settings) -> [Double] {
        switch s.mode {
        case "nearest":
            if ratio == ratio.rounded(.down) { return [0, 1] }
            switch s.nearestMode {
            case "round_prefer_ceil": return ratio < 0.5 ? [1, 0] : [0, 1]
            case "floor": return [1, 0]
            case "ceil": return [0, 1]
            default: return ratio <= 0.5 ? [1, 0] : [0, 1]
            }
        case "linear":
            if s.antialias {
                let scale = min(scale, 1)
                let start = Int((-1 / scale).rounded(.down)) + 1
                let footprint = 2 - 2 * start
                var c = (0..<footprint).map { max(0, min(1, 1 - abs((Double(start + $0) - ratio) * scale))) }
                let sum = c.reduce(0, +)
                c = c.map { $0 / sum }
                return c
            }
            return [1 - ratio, ratio]
        default:
            let a = s.cubicA
            if s.antialias {
                let scale = min(scale, 1)
                func k(_ v: Double) -> Double {
                    let x = abs(v), x2 = x * x, x3 = x2 * x
                    if x <= 1 { return (a + 2) * x3 - (a + 3) * x2 + 1 }
                    if x < 2 { return a * x3 - 5 * a * x2 + 8 * a * x - 4 * a }
                    return 0
                }
                let start = Int((-2 / scale).rounded(.down)) + 1
                let end = 2 - start
                let c = (start..<end).map { k(scale * (Double($0) - ratio)) }
                let sum = c.reduce(0, +)
                return c.map { $0 / sum }
            }
            let r = ratio
            return [
                ((a * (r + 1) - 5 * a) * (r + 1) + 8 * a) * (r + 1) - 4 * a,
                ((a + 2) * r - (a + 3)) * r * r + 1,
                ((a + 2) * (1 - r) - (a + 3)) * (1 - r) * (1 - r) + 1,
                ((a * ((1 - r) + 1) - 5 * a) * ((1 - r) + 1) + 8 * a) * ((1 - r) + 1) - 4 * a,
            ]
        }
    }

    /// Resizes `data` (row-major, `shape`) along `axis` to `outWidth`.
    static func resizeAxis(_ data: [Double], shape: [Int], axis: Int, scale: Double, outWidth: Int, roi: (Double, Double)?, _ s: Settings) throws -> [Double] {
        let inWidth = shape[axis]
        let outer = shape[..<axis].reduce(1, *), inner = shape[(axis + 1)...].reduce(1, *)
        var result = [Double](repeating: 0, count: outer * outWidth * inner)
        guard outWidth > 0, inWidth > 0 else { return result }
        let outputWidth = scale * Double(inWidth)
        var taps = [[(Int, Double)]]()
        var extrapolated = [Bool](repeating: false, count: outWidth)
        for y in 0..<outWidth {
            let yd = Double(y)
            var x: Double
            switch s.coordinateMode {
            case "align_corners": x = outputWidth == 1 ? 0 : yd * Double(inWidth - 1) / (outputWidth - 1)
            case "asymmetric": x = yd / scale
            case "tf_crop_and_resize":
                guard let roi else { throw TensorError(.invalidShape, "tf_crop_and_resize needs roi") }
                x = outputWidth == 1 ? (roi.1 - roi.0) * Double(inWidth - 1) / 2 : yd * (roi.1 - roi.0) * Double(inWidth - 1) / (outputWidth - 1)
                x += roi.0 * Double(inWidth - 1)
                extrapolated[y] = x < 0 || x > Double(inWidth - 1)
            case "pytorch_half_pixel": x = outputWidth == 1 ? -0.5 : (yd + 0.5) / scale - 0.5
            case "half_pixel_symmetric":
                let adjustment = Double(outWidth) / outputWidth
                let offset = Double(inWidth) / 2 * (1 - adjustment)
                x = offset + (yd + 0.5) / scale - 0.5
            default: x = (yd + 0.5) / scale - 0.5
            }
            let floorX = x.rounded(.down)
            let ratio = x == floorX ? 1 : x - floorX
            var c = coefficients(ratio, scale: scale, s)
            let n = c.count
            let pad = (n + 1) / 2
            let padded = x + Double(pad)
            let p = Int(padded.rounded(.down))
            let frac = padded - Double(p)
            let offset: Int = n % 2 == 0 ? (frac == 0 ? -(n / 2) : -(n / 2) + 1) : (frac <= 0.5 ? -((n - 1) / 2) : -((n - 1) / 2) + 1)
            let start = p + offset - pad
            if s.excludeOutside {
                for i in 0..<n where start + i < 0 || start + i >= inWidth { c[i] = 0 }
                let sum = c.reduce(0, +)
                if sum != 0 { c = c.map { $0 / sum } }
            }
            taps.append((0..<n).map { (min(max(start + $0, 0), inWidth - 1), c[$0]) })
        }
        for o in 0..<outer {
            for y in 0..<outWidth {
                let base = (o * outWidth + y) * inner
                if extrapolated[y] {
                    for i in 0..<inner { result[base + i] = s.extrapolation }
                    continue
                }
                for (index, weight) in taps[y] where weight != 0 {
                    let source = (o * inWidth + index) * inner
                    for i in 0..<inner { result[base + i] += weight * data[source + i] }
                }
            }
        }
        return result
    }

    static func run(_ c: OperatorContext, upsample: Bool = false) throws -> [ONNXValue?] {
        let x = try c.tensor(0)
        let rank = x.rank
        var s = Settings()
        s.mode = c.string("mode", default: "nearest")
        if s.mode == "bilinear" || s.mode == "trilinear" { s.mode = "linear" }
        s.coordinateMode = upsample || c.opset < 11 ? "asymmetric" : c.string("coordinate_transformation_mode", default: "half_pixel")
        s.nearestMode = upsample || c.opset < 11 ? "floor" : c.string("nearest_mode", default: "round_prefer_floor")
        s.cubicA = Double(c.float("cubic_coeff_a", default: -0.75))
        s.excludeOutside = c.int("exclude_outside", default: 0) == 1
        s.extrapolation = Double(c.float("extrapolation_value", default: 0))
        s.antialias = c.int("antialias", default: 0) == 1
        var scales: [Double]?
        var sizes: [Int]?
        var roi: [Double]?
        if upsample {
            scales = try c.floats("scales").map { $0.map(Double.init) } ?? c.optionalTensor(1).map { try Numbers($0).doubles }
        } else if c.opset < 11 {
            scales = try c.optionalTensor(1).map { try Numbers($0).doubles }
        } else {
            roi = try c.optionalTensor(1).map { try Numbers($0).doubles }
            if roi?.isEmpty == true { roi = nil }
            scales = try c.optionalTensor(2).map { try Numbers($0).doubles }
            if scales?.isEmpty == true { scales = nil }
            sizes = try c.optionalTensor(3).map { try Numbers($0).int64s.map { Int($0) } }
        }
        let axes = try (c.ints("axes") ?? Array(0..<rank)).map { try c.axis($0, rank: rank) }
        var scale = [Double](repeating: 1, count: rank)
        var output = x.shape
        if var roiValues = roi, roiValues.count == 2 * axes.count, axes.count != rank {
            var full = [Double](repeating: 0, count: rank) + [Double](repeating: 1, count: rank)
            for (i, d) in axes.enumerated() { full[d] = roiValues[i]; full[rank + d] = roiValues[axes.count + i] }
            roiValues = full
            roi = roiValues
        }
        if let sizes {
            guard sizes.count == axes.count else { throw c.fail("sizes has \(sizes.count) values for \(axes.count) axes") }
            for (i, d) in axes.enumerated() { output[d] = sizes[i]; scale[d] = Double(sizes[i]) / Double(x.shape[d]) }
            let policy = c.string("keep_aspect_ratio_policy", default: "stretch")
            if policy != "stretch" {
                let chosen = policy == "not_larger" ? axes.map { scale[$0] }.min() ?? 1 : axes.map { scale[$0] }.max() ?? 1
                for d in axes { scale[d] = chosen; output[d] = Int(chosen * Double(x.shape[d]) + 0.5) }
            }
        } else if let scales {
            guard scales.count == axes.count else { throw c.fail("scales has \(scales.count) values for \(axes.count) axes") }
            for (i, d) in axes.enumerated() {
                // Scales arrive as float32; output sizes truncate like numpy's astype(int).
                scale[d] = Double(Float(scales[i]))
                output[d] = Int(scale[d] * Double(x.shape[d]))
            }
        } else {
            throw c.fail("needs scales or sizes")
        }
        var data = try Numbers(x).doubles
        var shape = x.shape
        for d in axes {
            let unchanged = abs(scale[d] - 1) < 1e-9 && output[d] == shape[d]
                && (roi == nil || (abs(roi![d]) < 1e-9 && abs(roi![d + rank] - 1) < 1e-9))
            if unchanged { continue }
            data = try resizeAxis(data, shape: shape, axis: d, scale: scale[d], outWidth: output[d], roi: roi.map { ($0[d], $0[d + rank]) }, s)
            shape[d] = output[d]
        }
        if !x.dtype.isFloatingPoint {
            // Saturating cast back to the integer type, rounding half to even like numpy.
            let (low, high): (Double, Double) = switch x.dtype {
            case .uint8: (0, 255)
            case .int8: (-128, 127)
            case .int16: (-32768, 32767)
            case .int32: (Double(Int32.min), Double(Int32.max))
            default: (-9.2e18, 9.2e18)
            }
            return [.tensor(try Numbers.int(data.map { Int64(min(max($0.rounded(.toNearestOrEven), low), high)) }).tensor(shape: shape, dtype: x.dtype))]
        }
        return [.tensor(try Numbers.double(data).tensor(shape: shape, dtype: x.dtype))]
    }

    static let definitions: [OperatorDefinition] = [
        OperatorDefinition("Resize", since: 10) { c in try run(c) },
        OperatorDefinition("Upsample") { c in try run(c, upsample: true) },
    ]
}
