import Foundation

/// Reduce*, ArgMax/ArgMin, CumSum/CumProd, TopK.
enum ReductionOperators {
    enum Kind { case sum, mean, max, min, prod, l1, l2, logSum, logSumExp, sumSquare }

    /// Output position of every input element when `reduced` axes collapse.
    static func outputMap(shape: [Int], reduced: Set<Int>) -> (map: [Int], outShape: [Int]) {
        let outShape = shape.enumerated().map { reduced.contains($0.offset) ? 1 : $0.element }
        let outStrides = Tensor.contiguousStrides(for: outShape)
        let inStrides = Tensor.contiguousStrides(for: shape)
        let count = shape.reduce(1, *)
        var map = [Int](repeating: 0, count: count)
        for flat in 0..<count {
            var rest = flat, position = 0
            for d in 0..<shape.count {
                let coordinate = rest / inStrides[d]
                rest %= inStrides[d]
                if !reduced.contains(d) { position += coordinate * outStrides[d] }
            }
            map[flat] = position
        }
        return (map, outShape)
    }

    static func reduce(_ name: String, _ kind: Kind, axesInputSince: Int) -> OperatorDefinition {
        OperatorDefinition(name) { c in
            let x = try c.tensor(0)
            let axes = c.opset < axesInputSince ? c.ints("axes") : try c.intValues(1)
            let keep = c.int("keepdims", default: 1) == 1
            var reduced: Set<Int>
            if let axes, !axes.isEmpty {
                reduced = try Set(axes.map { try c.axis($0, rank: x.rank) })
            } else if c.int("noop_with_empty_axes", default: 0) == 1 {
                return [.tensor(try x.contiguous(forceCopy: true))]
            } else {
                reduced = Set(0..<x.rank)
            }
            let (map, outShape) = outputMap(shape: x.shape, reduced: reduced)
            let finalShape = keep ? outShape : outShape.enumerated().filter { !reduced.contains($0.offset) }.map(\.element)
            let outCount = outShape.reduce(1, *)
            let values = try Numbers(x)
            if case let .int(v) = values, kind == .sum || kind == .max || kind == .min || kind == .prod || kind == .sumSquare || kind == .l1 {
                var out = [Int64](repeating: kind == .prod ? 1 : (kind == .max ? .min : (kind == .min ? .max : 0)), count: outCount)
                for (i, value) in v.enumerated() {
                    let p = map[i]
                    switch kind {
                    case .sum: out[p] &+= value
                    case .prod: out[p] &*= value
                    case .max: out[p] = Swift.max(out[p], value)
                    case .min: out[p] = Swift.min(out[p], value)
                    case .sumSquare: out[p] &+= value &* value
                    default: out[p] &+= Swift.abs(value)
                    }
                }
                return [.tensor(try Numbers.int(out).tensor(shape: finalShape, dtype: x.dtype))]
            }
            let v = values.doubles
            if v.isEmpty, x.dtype == .bool, kind == .max || kind == .min {
                return [.tensor(try Tensor(shape: finalShape, scalars: [Bool](repeating: kind == .min, count: outCount)))]
            }
            if v.isEmpty, kind == .max || kind == .min {
                // Empty reductions of max/min give the identity (-inf / +inf), as ONNX defines.
                return [.tensor(try Numbers.double([Double](repeating: kind == .max ? -.infinity : .infinity, count: outCount)).tensor(shape: finalShape, dtype: x.dtype))]
            }
            var out = [Double](repeating: kind == .prod ? 1 : (kind == .max ? -.infinity : (kind == .min ? .infinity : 0)), count: outCount)
            var maxima = [Double](repeating: -.infinity, count: outCount)
            if kind == .logSumExp { for (i, value) in v.enumerated() { maxima[map[i]] = Swift.max(maxima[map[i]], value) } }
            for (i, value) in v.enumerated() {
                let p = map[i]
                switch kind {
                case .sum, .mean: out[p] += value
                case .prod: out[p] *= value
                case .max: out[p] = value.isNaN || out[p].isNaN ? .nan : Swift.max(out[p], value)
                case .min: out[p] = value.isNaN || out[p].isNaN ? .nan : Swift.min(out[p], value)
                case .l1: out[p] += Swift.abs(value)
                case .l2, .sumSquare: out[p] += value * value
                case .logSum: out[p] += value
                case .logSumExp: out[p] += Foundation.exp(value - (maxima[p].isFinite ? maxima[p] : 0))
                }
            }
            let perOutput = outCount == 0 ? 0 : v.count / outCount
            for p in 0..<outCount {
                switch kind {
                case .mean: out[p] /= Double(perOutput)
                case .l2: out[p] = out[p].squareRoot()
                case .logSum: out[p] = Foundation.log(out[p])
                case .logSumExp: out[p] = Foundation.log(out[p]) + (maxima[p].isFinite ? maxima[p] : 0)
                default: break
                }
            }
            if case .int = values { return [.tensor(try Numbers.int(out.map { Int64($0) }).tensor(shape: finalShape, dtype: x.dtype))] }
            return [.tensor(try Numbers.double(out).tensor(shape: finalShape, dtype: x.dtype))]
        }
    }

    static func argReduce(_ name: String, max: Bool) -> OperatorDefinition {
        OperatorDefinition(name) { c in
            let x = try c.tensor(0)
            let axis = try c.axis(c.int("axis", default: 0), rank: x.rank)
            let keep = c.int("keepdims", default: 1) == 1, last = c.int("select_last_index", default: 0) == 1
            let outer = x.shape[..<axis].reduce(1, *), size = x.shape[axis], inner = x.shape[(axis + 1)...].reduce(1, *)
            var shape = x.shape
            if keep { shape[axis] = 1 } else { shape.remove(at: axis) }
            let result = try Tensor(uninitialized: shape, dtype: .int64)
            let out = result.storage.bytes.assumingMemoryBound(to: Int64.self)
            // Same comparisons on f32 read in place as on the f64 copy of any other dtype (the
            // widening is exact, so the chosen index is the same).
            func scan<Value: Comparable>(_ values: (Int) -> Value) {
                for o in 0..<outer {
                    for i in 0..<inner {
                        var best = 0
                        var bestValue = values((o * size) * inner + i)
                        for k in 1..<Swift.max(size, 1) {
                            let value = values((o * size + k) * inner + i)
                            let better = max ? (value > bestValue || (last && value == bestValue)) : (value < bestValue || (last && value == bestValue))
                            if better { best = k; bestValue = value }
                        }
                        out[o * inner + i] = Int64(best)
                    }
                }
            }
            if x.dtype == .float32, x.isContiguous {
                let p = Float32Kernels.pointer(x)
                scan { p[$0] }
            } else {
                let values = try Numbers(x).doubles
                scan { values[$0] }
            }
            return [.tensor(result)]
        }
    }

    static var definitions: [OperatorDefinition] { coreDefinitions + moreDefinitions }

    static let coreDefinitions: [OperatorDefinition] = [
        reduce("ReduceSum", .sum, axesInputSince: 13),
        reduce("ReduceMean", .mean, axesInputSince: 18),
        reduce("ReduceMax", .max, axesInputSince: 18),
        reduce("ReduceMin", .min, axesInputSince: 18),
        reduce("ReduceProd", .prod, axesInputSince: 18),
        reduce("ReduceL1", .l1, axesInputSince: 18),
        reduce("ReduceL2", .l2, axesInputSince: 18),
        reduce("ReduceLogSum", .logSum, axesInputSince: 18),
        reduce("ReduceLogSumExp", .logSumExp, axesInputSince: 18),
        reduce("ReduceSumSquare", .sumSquare, axesInputSince: 18),
        argReduce("ArgMax", max: true),
        argReduce("ArgMin", max: false),
        OperatorDefinition("CumProd", since: 26) { c in try cumulative(c, product: true) },
        OperatorDefinition("CumSum") { c in try cumulative(c, product: false) },
    ]

    static func cumulative(_ c: OperatorContext, product: Bool) throws -> [ONNXValue?] {
        let x = try c.tensor(0)
        let axis = try c.axis(try c.intValues(1)?.first ?? 0, rank: x.rank)
        let exclusive = c.int("exclusive", default: 0) == 1, reverse = c.int("reverse", default: 0) == 1
        let values = try Numbers(x).doubles
        let outer = x.shape[..<axis].reduce(1, *), size = x.shape[axis], inner = x.shape[(axis + 1)...].reduce(1, *)
        var out = [Double](repeating: 0, count: values.count)
        for o in 0..<outer {
            for i in 0..<inner {
                var running = product ? 1.0 : 0.0
                for step in 0..<size {
                    let k = reverse ? size - 1 - step : step
                    let p = (o * size + k) * inner + i
                    if exclusive {
                        out[p] = running
                        running = product ? running * values[p] : running + values[p]
                    } else {
                        running = product ? running * values[p] : running + values[p]
                        out[p] = running
                    }
                }
            }
        }
        if case .int = try Numbers(x) { return [.tensor(try Numbers.int(out.map { Int64($0) }).tensor(shape: x.shape, dtype: x.dtype))] }
        return [.tensor(try Numbers.double(out).tensor(shape: x.shape, dtype: x.dtype))]
    }

    static let moreDefinitions: [OperatorDefinition] = [

        OperatorDefinition("TopK") { c in
            let x = try c.tensor(0)
            let k = c.opset < 10 ? c.int("k", default: 1) : (try c.intValues(1)?.first ?? 1)
            let axis = try c.axis(c.int("axis", default: -1), rank: x.rank)
            let largest = c.int("largest", default: 1) == 1
            let values = try Numbers(x).doubles
            let outer = x.shape[..<axis].reduce(1, *), size = x.shape[axis], inner = x.shape[(axis + 1)...].reduce(1, *)
            guard k >= 0, k <= size else { throw c.fail("k=\(k) exceeds axis size \(size)") }
            var outValues = [Double](), outIndices = [Int64]()
            var shape = x.shape
            shape[axis] = k
            var pickedValues = [Double](repeating: 0, count: outer * k * inner), pickedIndices = [Int64](repeating: 0, count: outer * k * inner)
            for o in 0..<outer {
                for i in 0..<inner {
                    let order = (0..<size).sorted { a, b in
                        let va = values[(o * size + a) * inner + i], vb = values[(o * size + b) * inner + i]
                        if va == vb { return a < b }
                        return largest ? va > vb : va < vb
                    }
                    for j in 0..<k {
                        pickedValues[(o * k + j) * inner + i] = values[(o * size + order[j]) * inner + i]
                        pickedIndices[(o * k + j) * inner + i] = Int64(order[j])
                    }
                }
            }
            outValues = pickedValues; outIndices = pickedIndices
            let valueTensor: Tensor
            if case .int = try Numbers(x) { valueTensor = try Numbers.int(outValues.map { Int64($0) }).tensor(shape: shape, dtype: x.dtype) }
            else { valueTensor = try Numbers.double(outValues).tensor(shape: shape, dtype: x.dtype) }
            return [.tensor(valueTensor), .tensor(try Tensor(shape: shape, scalars: outIndices))]
        },
    ]
}
