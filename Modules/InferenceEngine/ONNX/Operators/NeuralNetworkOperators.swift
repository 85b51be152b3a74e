import Foundation

/// MatMul, Gemm, convolutions, pooling, normalizations, softmax.
enum NeuralNetworkOperators {
    /// Output sizes and padding of a sliding window over `spatial` input axes.
    struct Window {
        var kernel: [Int]
        var strides: [Int]
        var dilations: [Int]
        var padsBegin: [Int]
        var padsEnd: [Int]
        var output: [Int]

        init(kernel: [Int], strides: [Int], dilations: [Int], padsBegin: [Int], padsEnd: [Int], output: [Int]) {
            self.kernel = kernel
            self.strides = strides
            self.dilations = dilations
            self.padsBegin = padsBegin
            self.padsEnd = padsEnd
            self.output = output
        }

        init(_ c: OperatorContext, input: [Int], kernel: [Int], ceilMode: Bool = false) throws {
            let n = input.count
            self.kernel = kernel
            strides = c.ints("strides") ?? [Int](repeating: 1, count: n)
            dilations = c.ints("dilations") ?? [Int](repeating: 1, count: n)
            let pads = c.ints("pads") ?? [Int](repeating: 0, count: 2 * n)
            guard strides.count == n, dilations.count == n, pads.count == 2 * n, kernel.count == n else {
                throw c.fail("kernel, strides, dilations or pads do not match \(n) spatial axes")
            }
            padsBegin = Array(pads[..<n])
            padsEnd = Array(pads[n...])
            output = []
            let autoPad = c.string("auto_pad", default: "NOTSET")
            for d in 0..<n {
                let extent = (kernel[d] - 1) * dilations[d] + 1
                switch autoPad {
                case "SAME_UPPER", "SAME_LOWER":
                    let out = (input[d] + strides[d] - 1) / strides[d]
                    let total = max((out - 1) * strides[d] + extent - input[d], 0)
                    padsBegin[d] = autoPad == "SAME_UPPER" ? total / 2 : total - total / 2
                    padsEnd[d] = total - padsBegin[d]
                    output.append(out)
                case "VALID":
                    padsBegin[d] = 0; padsEnd[d] = 0
                    output.append((input[d] - extent) / strides[d] + 1)
                default:
                    let span = input[d] + padsBegin[d] + padsEnd[d] - extent
                    var out = (ceilMode ? (span + strides[d] - 1) / strides[d] : span / strides[d]) + 1
                    if ceilMode, (out - 1) * strides[d] >= input[d] + padsBegin[d] { out -= 1 }
                    output.append(out)
                }
                guard output[d] >= 0 else { throw c.fail("window larger than input on spatial axis \(d)") }
            }
        }
    }

    /// im2col gather table: for kernel offset `k` and output position `o`, entry `k * outPlane + o`
    /// is the input's linear spatial index, or -1 where the window reads padding.
    static func sourceTable(_ window: Window, spatial: [Int]) -> [Int] {
        let dims = spatial.count
        let kernel = window.kernel, output = window.output
        let kprod = kernel.reduce(1, *), outPlane = output.reduce(1, *)
        var table = [Int](repeating: -1, count: kprod * outPlane)
        guard kprod > 0, outPlane > 0 else { return table }
        let inStrides = Tensor.contiguousStrides(for: spatial)
        var kc = [Int](repeating: 0, count: dims)
        table.withUnsafeMutableBufferPointer { t in
            for k in 0..<kprod {
                var oc = [Int](repeating: 0, count: dims)
                for o in 0..<outPlane {
                    var linear = 0, inside = true
                    for d in 0..<dims {
                        let i = oc[d] * window.strides[d] - window.padsBegin[d] + kc[d] * window.dilations[d]
                        if i < 0 || i >= spatial[d] { inside = false; break }
                        linear += i * inStrides[d]
                    }
                    if inside { t[k * outPlane + o] = linear }
                    var d = dims - 1
                    while d >= 0 { oc[d] += 1; if oc[d] < output[d] { break }; oc[d] = 0; d -= 1 }
                }
                var d = dims - 1
                while d >= 0 { kc[d] += 1; if kc[d] < kernel[d] { break }; kc[d] = 0; d -= 1 }
            }
        }
        return table
    }

    /// Row-major multi-indices of `shape`.
    static func coordinates(_ shape: [Int]) -> [[Int]] {
        let count = shape.reduce(1, *)
        var result = [[Int]]()
        result.reserveCapacity(count)
        var index = [Int](repeating: 0, count: shape.count)
        for _ in 0..<count {
            result.append(index)
            var d = shape.count - 1
            while d >= 0 {
                index[d] += 1
                if index[d] < shape[d] { break }
                index[d] = 0
                d -= 1
            }
        }
        return result
    }

    static func floats(_ t: Tensor, _ c: OperatorContext) throws -> [Float] {
        switch t.dtype {
        case .float32: return try t.scalars(as: Float.self)
        case .float64, .float16, .bfloat16: return try Numbers(t).doubles.map { Float($0) }
        default: throw c.fail("expected a floating-point tensor, got \(t.dtype)")
        }
    }

    static func output(_ values: [Float], shape: [Int], like t: Tensor) throws -> Tensor {
        t.dtype == .float32 ? try Tensor(shape: shape, scalars: values) : try Numbers.double(values.map { Double($0) }).tensor(shape: shape, dtype: t.dtype)
    }

    // MARK: Convolution

    static func conv(_ c: OperatorContext) throws -> Tensor {
        let x = try c.tensor(0), w = try c.tensor(1)
        guard x.rank >= 3, w.rank == x.rank else { throw c.fail("input \(x.shape) and weight \(w.shape) must have the same rank >= 3") }
        let channels = x.shape[1], spatial = Array(x.shape[2...])
        let m = w.shape[0], kernel = Array(w.shape[2...])
        let group = c.int("group", default: 1)
        guard group > 0, channels % group == 0, m % group == 0, w.shape[1] == channels / group else {
            throw c.fail("weight \(w.shape) does not match input channels \(channels) with group \(group)")
        }
        let window = try Window(c, input: spatial, kernel: c.ints("kernel_shape") ?? kernel)
        // `activation` is set by GraphFusion when a Relu follows (Conv -> Relu).
        let relu = c.string("activation") == "Relu"
        if let fast = try conv2DFloat32(c, x: x, w: w, group: group, window: window, relu: relu) { return fast }
        let plain = try convGeneral(c, x: x, w: w, group: group, window: window)
        return relu ? try Elementwise.unary(plain, .relu) : plain
    }

    /// 2-D f32 convolution straight from the tensors' memory: im2col by rows (contiguous copies
    /// when the stride is 1, none at all for a 1x1 kernel without padding), one GEMM per image and
    /// group into the output, then bias and activation in one pass over the output.
    static func conv2DFloat32(_ c: OperatorContext, x: Tensor, w: Tensor, group: Int, window: Window, relu: Bool) throws -> Tensor? {
        let bias = try c.optionalTensor(2)
        guard x.rank == 4, x.dtype == .float32, w.dtype == .float32, x.isContiguous, w.isContiguous,
              bias.map({ $0.dtype == .float32 && $0.isContiguous && $0.count == w.shape[0] }) ?? true else { return nil }
        let n = x.shape[0], height = x.shape[2], width = x.shape[3]
        let m = w.shape[0], kh = window.kernel[0], kw = window.kernel[1]
        let oh = window.output[0], ow = window.output[1]
        let sh = window.strides[0], sw = window.strides[1], dh = window.dilations[0], dw = window.dilations[1]
        let ph = window.padsBegin[0], pw = window.padsBegin[1]
        let outPlane = oh * ow
        let out = try Tensor(uninitialized: [n, m, oh, ow], dtype: .float32)
        let o = Float32Kernels.pointer(out)
        if out.count == 0 { return out }
        let direct = kh == 1 && kw == 1 && sh == 1 && sw == 1 && ph == 0 && pw == 0 && window.padsEnd.allSatisfy { $0 == 0 }
        let paddedHeight = height + ph + window.padsEnd[0], paddedWidth = width + pw + window.padsEnd[1]
        if !direct, sh == 1, sw == 1, ph >= 0, pw >= 0, window.padsEnd.allSatisfy({ $0 >= 0 }),
           oh == paddedHeight - (kh - 1) * dh, ow == paddedWidth - (kw - 1) * dw {
            try convStride1(c, x: x, w: w, group: group, window: window, into: out)
        } else {
            try convIm2col(c, x: x, w: w, group: group, window: window, direct: direct, into: out)
        }
        let biasValues = bias.map(Float32Kernels.pointer)
        if biasValues != nil || relu {
            for plane in 0..<(n * m) {
                let add = biasValues?[plane % m] ?? 0
                let dst = o + plane * outPlane
                if relu { for i in 0..<outPlane { let v = dst[i] + add; dst[i] = v < 0 ? 0 : v } }
                else { for i in 0..<outPlane { dst[i] += add } }
            }
        }
        return out
    }

    /// Stride-1 convolution computed on the padded width: in a zero-padded copy of the input,
    /// the values one kernel tap reads for a whole output image are a single contiguous run
    /// (row after row, each `paddedWidth` long), so im2col is one copy per tap instead of one per
    /// tap and output row (a small image's rows are a few floats: the per-row copies were most of
    /// the time). The GEMM then also produces the columns past each row's end, which are dropped
    /// when its rows are copied out; every kept value is the same sum in the same order as a
    /// plain im2col's.
    static func convStride1(_ c: OperatorContext, x: Tensor, w: Tensor, group: Int, window: Window, into out: Tensor) throws {
        let n = x.shape[0], channels = x.shape[1], height = x.shape[2], width = x.shape[3]
        let m = w.shape[0], kh = window.kernel[0], kw = window.kernel[1]
        let oh = window.output[0], ow = window.output[1], dh = window.dilations[0], dw = window.dilations[1]
        let top = window.padsBegin[0], left = window.padsBegin[1]
        let paddedHeight = height + top + window.padsEnd[0], paddedWidth = width + left + window.padsEnd[1]
        let cg = channels / group, mg = m / group
        let inPlane = height * width, outPlane = oh * ow, depth = cg * kh * kw
        let paddedPlane = paddedHeight * paddedWidth, wide = oh * paddedWidth
        // The last tap's run ends (kw - 1) * dw past the last plane (in dropped columns).
        let padded = UnsafeMutablePointer<Float>.allocate(capacity: cg * paddedPlane + (kw - 1) * dw)
        padded.initialize(repeating: 0, count: cg * paddedPlane + (kw - 1) * dw)
        let columns = UnsafeMutablePointer<Float>.allocate(capacity: max(depth * wide, 1))
        let product = UnsafeMutablePointer<Float>.allocate(capacity: max(mg * wide, 1))
        defer { padded.deallocate(); columns.deallocate(); product.deallocate() }
        let input = Float32Kernels.pointer(x), weights = Float32Kernels.pointer(w), o = Float32Kernels.pointer(out)
        for b in 0..<n {
            for g in 0..<group {
                let source = input + (b * channels + g * cg) * inPlane
                for ci in 0..<cg {
                    for y in 0..<height {
                        Float32Kernels.copy(padded + ci * paddedPlane + (y + top) * paddedWidth + left, from: source + ci * inPlane + y * width, count: width)
                    }
                    for ky in 0..<kh {
                        for kx in 0..<kw {
                            Float32Kernels.copy(columns + ((ci * kh + ky) * kw + kx) * wide,
                                                from: padded + ci * paddedPlane + ky * dh * paddedWidth + kx * dw, count: wide)
                        }
                    }
                }
                try Kernels.sgemm(
                    m: mg, n: wide, k: depth,
                    a: weights + g * mg * depth, lda: max(depth, 1), b: columns, ldb: max(wide, 1),
                    c: product, ldc: max(wide, 1), backend: c.options.effectiveGEMMBackend, threads: c.options.threads)
                for co in 0..<mg {
                    let destination = o + (b * m + g * mg + co) * outPlane
                    for oy in 0..<oh { Float32Kernels.copy(destination + oy * ow, from: product + co * wide + oy * paddedWidth, count: ow) }
                }
            }
        }
    }

    /// Convolution by im2col rows (any stride), or straight from the input for a 1x1 kernel
    /// without padding (`direct`).
    static func convIm2col(_ c: OperatorContext, x: Tensor, w: Tensor, group: Int, window: Window, direct: Bool, into out: Tensor) throws {
        let n = x.shape[0], channels = x.shape[1], height = x.shape[2], width = x.shape[3]
        let m = w.shape[0], kh = window.kernel[0], kw = window.kernel[1]
        let oh = window.output[0], ow = window.output[1]
        let sh = window.strides[0], sw = window.strides[1], dh = window.dilations[0], dw = window.dilations[1]
        let ph = window.padsBegin[0], pw = window.padsBegin[1]
        let cg = channels / group, mg = m / group
        let inPlane = height * width, outPlane = oh * ow, depth = cg * kh * kw
        let o = Float32Kernels.pointer(out), input = Float32Kernels.pointer(x), weights = Float32Kernels.pointer(w)
        let columns = UnsafeMutablePointer<Float>.allocate(capacity: direct ? 1 : max(depth * outPlane, 1))
        defer { columns.deallocate() }
        for b in 0..<n {
            for g in 0..<group {
                let source = input + (b * channels + g * cg) * inPlane
                if !direct {
                    for ci in 0..<cg {
                        let plane = source + ci * inPlane
                        for ky in 0..<kh {
                            for kx in 0..<kw {
                                let row = columns + ((ci * kh + ky) * kw + kx) * outPlane
                                let x0 = kx * dw - pw
                                // Output columns whose input column lies inside the image.
                                let lo = min(ow, max(0, (-x0 + sw - 1) / sw))
                                let hi = max(lo, min(ow, x0 >= width ? 0 : (width - 1 - x0) / sw + 1))
                                for oy in 0..<oh {
                                    let iy = oy * sh - ph + ky * dh
                                    let dst = row + oy * ow
                                    guard iy >= 0, iy < height else { Float32Kernels.fill(dst, with: 0, count: ow); continue }
                                    let line = plane + iy * width + x0
                                    for ox in 0..<lo { dst[ox] = 0 }
                                    if sw == 1 {
                                        Float32Kernels.copy(dst + lo, from: line + lo, count: hi - lo)
                                    } else {
                                        for ox in lo..<hi { dst[ox] = line[ox * sw] }
                                    }
                                    for ox in hi..<ow { dst[ox] = 0 }
                                }
                            }
                        }
                    }
                }
                try Kernels.sgemm(
                    m: mg, n: outPlane, k: depth,
                    a: weights + g * mg * depth, lda: max(depth, 1), b: direct ? UnsafePointer(source) : UnsafePointer(columns), ldb: max(outPlane, 1),
                    c: o + (b * m + g * mg) * outPlane, ldc: max(outPlane, 1),
                    backend: c.options.effectiveGEMMBackend, threads: c.options.threads)
            }
        }
    }

    static func convGeneral(_ c: OperatorContext, x: Tensor, w: Tensor, group: Int, window: Window) throws -> Tensor {
        let n = x.shape[0], channels = x.shape[1], spatial = Array(x.shape[2...])
        let m = w.shape[0], kernel = Array(w.shape[2...])
        let xs = try floats(x, c), ws = try floats(w, c)
        let bias = try c.optionalTensor(2).map { try floats($0, c) }
        let cg = channels / group, mg = m / group
        let kprod = kernel.reduce(1, *), inPlane = spatial.reduce(1, *), outPlane = window.output.reduce(1, *)
        let source = (c.prepared as? GeometryCache)?.table(for: spatial) { sourceTable(window, spatial: spatial) } ?? sourceTable(window, spatial: spatial)
        var out = [Float](repeating: 0, count: n * m * outPlane)
        var columns = [Float](repeating: 0, count: cg * kprod * outPlane)
        for b in 0..<n {
            for g in 0..<group {
                xs.withUnsafeBufferPointer { x in
                    source.withUnsafeBufferPointer { table in
                        columns.withUnsafeMutableBufferPointer { col in
                            for ci in 0..<cg {
                                let plane = x.baseAddress! + (b * channels + g * cg + ci) * inPlane
                                for k in 0..<kprod {
                                    let row = col.baseAddress! + (ci * kprod + k) * outPlane
                                    let entries = table.baseAddress! + k * outPlane
                                    for o in 0..<outPlane {
                                        let s = entries[o]
                                        row[o] = s < 0 ? 0 : plane[s]
                                    }
                                }
                            }
                        }
                    }
                }
                // out[b, g*mg ..< (g+1)*mg, :] = W_g [mg, cg*kprod] x columns [cg*kprod, outPlane]
                let depth = cg * kprod
                if depth > 0, outPlane > 0, mg > 0 { try ws.withUnsafeBufferPointer { w in
                    try columns.withUnsafeBufferPointer { col in
                        try out.withUnsafeMutableBufferPointer { o in
                            try Kernels.sgemm(
                                transposeA: false, transposeB: false, m: mg, n: outPlane, k: depth,
                                a: w.baseAddress! + g * mg * depth, lda: max(depth, 1), b: col.baseAddress!, ldb: max(outPlane, 1),
                                c: o.baseAddress! + (b * m + g * mg) * outPlane, ldc: max(outPlane, 1),
                                backend: c.options.effectiveGEMMBackend, threads: c.options.threads)
                        }
                    }
                } }
                if let bias {
                    for mi in 0..<mg {
                        let channel = g * mg + mi, base = (b * m + channel) * outPlane, add = bias[channel]
                        for o in 0..<outPlane { out[base + o] += add }
                    }
                }
            }
        }
        return try output(out, shape: [n, m] + window.output, like: x)
    }

    static func convTranspose(_ c: OperatorContext) throws -> Tensor {
        let x = try c.tensor(0), w = try c.tensor(1)
        guard x.rank >= 3, w.rank == x.rank else { throw c.fail("input \(x.shape) and weight \(w.shape) must have the same rank >= 3") }
        let n = x.shape[0], channels = x.shape[1], spatial = Array(x.shape[2...])
        let group = c.int("group", default: 1)
        let mg = w.shape[1], m = mg * group, kernel = c.ints("kernel_shape") ?? Array(w.shape[2...])
        guard channels % group == 0, w.shape[0] == channels else { throw c.fail("weight \(w.shape) does not match input channels \(channels)") }
        let dims = spatial.count
        let strides = c.ints("strides") ?? [Int](repeating: 1, count: dims)
        let dilations = c.ints("dilations") ?? [Int](repeating: 1, count: dims)
        let outputPadding = c.ints("output_padding") ?? [Int](repeating: 0, count: dims)
        var pads = c.ints("pads") ?? [Int](repeating: 0, count: 2 * dims)
        var outShape = [Int](repeating: 0, count: dims)
        let autoPad = c.string("auto_pad", default: "NOTSET")
        // Python's floor division: total padding may be negative when output_shape asks for more.
        func half(_ v: Int) -> Int { v >= 0 ? v / 2 : -((-v + 1) / 2) }
        for d in 0..<dims {
            let full = strides[d] * (spatial[d] - 1) + outputPadding[d] + (kernel[d] - 1) * dilations[d] + 1
            if let requested = c.ints("output_shape") {
                let target = requested[requested.count - dims + d]
                let total = full - target
                if autoPad == "SAME_UPPER" { pads[d] = half(total); pads[d + dims] = total - half(total) }
                else { pads[d + dims] = half(total); pads[d] = total - half(total) }
                outShape[d] = target
            } else if autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER" {
                let target = spatial[d] * strides[d]
                let total = max(full - target, 0)
                if autoPad == "SAME_UPPER" { pads[d] = total / 2; pads[d + dims] = total - total / 2 }
                else { pads[d + dims] = total / 2; pads[d] = total - total / 2 }
                outShape[d] = target
            } else {
                outShape[d] = full - pads[d] - pads[d + dims]
            }
        }
        let xs = try floats(x, c), ws = try floats(w, c)
        let bias = try c.optionalTensor(2).map { try floats($0, c) }
        let cg = channels / group
        let kprod = kernel.reduce(1, *), inPlane = spatial.reduce(1, *), outPlane = outShape.reduce(1, *)
        let kernelCoords = coordinates(kernel), inCoords = coordinates(spatial)
        let outStrides = Tensor.contiguousStrides(for: outShape)
        var target = [Int](repeating: -1, count: kprod * inPlane)
        for (i, ic) in inCoords.enumerated() {
            for (k, kc) in kernelCoords.enumerated() {
                var linear = 0, inside = true
                for d in 0..<dims {
                    let o = ic[d] * strides[d] - pads[d] + kc[d] * dilations[d]
                    if o < 0 || o >= outShape[d] { inside = false; break }
                    linear += o * outStrides[d]
                }
                if inside { target[k * inPlane + i] = linear }
            }
        }
        var out = [Float](repeating: 0, count: n * m * outPlane)
        for b in 0..<n {
            for g in 0..<group {
                // W_g^T [mg*kprod, cg] x X_g [cg, inPlane]
                var wt = [Float](repeating: 0, count: mg * kprod * cg)
                for ci in 0..<cg { for mk in 0..<(mg * kprod) { wt[mk * cg + ci] = ws[((g * cg + ci) * mg) * kprod + mk] } }
                let xg = Array(xs[((b * channels + g * cg) * inPlane)..<((b * channels + (g + 1) * cg) * inPlane)])
                let product = try Tensor(shape: [mg * kprod, cg], scalars: wt).matmul(Tensor(shape: [cg, inPlane], scalars: xg), options: c.options)
                let values = try product.scalars(as: Float.self)
                for mi in 0..<mg {
                    let base = (b * m + g * mg + mi) * outPlane
                    for k in 0..<kprod {
                        for i in 0..<inPlane {
                            let t = target[k * inPlane + i]
                            if t >= 0 { out[base + t] += values[(mi * kprod + k) * inPlane + i] }
                        }
                    }
                }
            }
            if let bias { for ch in 0..<m { for o in 0..<outPlane { out[(b * m + ch) * outPlane + o] += bias[ch] } } }
        }
        return try output(out, shape: [n, m] + outShape, like: x)
    }

    // MARK: Pooling

    /// f32 pooling without index output: direct loops over the precomputed window table.
    /// 2-D max/average pooling by direct index arithmetic: each window is clipped to the image
    /// once and read row by row, in the same order (so with the same sums) as the gather table.
    static func pool2DFloat32(_ input: UnsafePointer<Float>, shape: [Int], window: Window, max isMax: Bool, includePad: Bool) throws -> Tensor {
        let planes = shape[0] * shape[1], height = shape[2], width = shape[3]
        let oh = window.output[0], ow = window.output[1]
        let out = try Tensor(uninitialized: [shape[0], shape[1], oh, ow], dtype: .float32)
        let o = Float32Kernels.pointer(out)
        let kh = window.kernel[0], kw = window.kernel[1], sh = window.strides[0], sw = window.strides[1]
        let dh = window.dilations[0], dw = window.dilations[1], ph = window.padsBegin[0], pw = window.padsBegin[1]
        if isMax, kh == 2, kw == 2, sh == 2, sw == 2, dh == 1, dw == 1, ph == 0, pw == 0, oh * 2 <= height, ow * 2 <= width {
            // The CNN staple (2x2, stride 2, no padding): four loads per output, no tables. Same
            // result as the general path bit for bit: a NaN tap wins, and of equal taps (-0, +0)
            // the later one.
            @inline(__always) func larger(_ a: Float, _ b: Float) -> Float { a > b || a.isNaN ? a : b }
            @inline(__always) func larger(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
                b.replacing(with: a, where: (a .> b) .| (a .!= a))
            }
            @inline(__always) func load(_ p: UnsafePointer<Float>) -> SIMD16<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self) }
            for p in 0..<planes {
                let plane = input + p * height * width
                for oy in 0..<oh {
                    let top = plane + 2 * oy * width, bottom = top + width
                    let dst = o + (p * oh + oy) * ow
                    var ox = 0
                    // Eight outputs from 16 columns of both rows: even and odd columns as lanes.
                    while ox + 8 <= ow {
                        let t = load(top + 2 * ox), b = load(bottom + 2 * ox)
                        let m = larger(larger(larger(t.evenHalf, t.oddHalf), b.evenHalf), b.oddHalf)
                        UnsafeMutableRawPointer(dst + ox).storeBytes(of: m, as: SIMD8<Float>.self)
                        ox += 8
                    }
                    while ox < ow {
                        dst[ox] = larger(larger(larger(top[2 * ox], top[2 * ox + 1]), bottom[2 * ox]), bottom[2 * ox + 1])
                        ox += 1
                    }
                }
            }
            return out
        }
        // Kernel taps inside [lower, upper) along one axis for a window starting at `start`.
        func taps(start: Int, count: Int, dilation: Int, lower: Int, upper: Int) -> (first: Int, end: Int) {
            var first = 0, end = count
            while first < end, start + first * dilation < lower { first += 1 }
            while end > first, start + (end - 1) * dilation >= upper { end -= 1 }
            return (first, end)
        }
        // Clipped tap ranges and average divisors depend only on the output position: computed
        // once per call, not per plane.
        let rows = (0..<oh).map { oy in taps(start: oy * sh - ph, count: kh, dilation: dh, lower: 0, upper: height) }
        var divisors = [Float](repeating: 0, count: oh * ow)
        if !isMax {
            for oy in 0..<oh {
                let py = includePad ? taps(start: oy * sh - ph, count: kh, dilation: dh, lower: -ph, upper: height + window.padsEnd[0]) : rows[oy]
                for ox in 0..<ow {
                    let px = taps(start: ox * sw - pw, count: kw, dilation: dw, lower: includePad ? -pw : 0, upper: width + (includePad ? window.padsEnd[1] : 0))
                    divisors[oy * ow + ox] = Float((py.end - py.first) * (px.end - px.first))
                }
            }
        }
        // Per kernel column, the output columns whose tap lies inside the image.
        let spans = (0..<kw).map { kx -> (lo: Int, hi: Int) in
            let offset = kx * dw - pw
            let lo = min(ow, max(0, (-offset + sw - 1) / sw))
            return (lo, max(lo, min(ow, offset >= width ? 0 : (width - 1 - offset) / sw + 1)))
        }
        // Whole output rows at a time, one tap (ky, kx) after another: the loop over output columns
        // has no dependency chain (it vectorises), and every output still sees its taps in
        // row-major order, so sums are the same as window by window.
        var nans = [UInt8](repeating: 0, count: ow)
        rows.withUnsafeBufferPointer { rows in spans.withUnsafeBufferPointer { spans in divisors.withUnsafeBufferPointer { divisors in
            nans.withUnsafeMutableBufferPointer { nans in
                for p in 0..<planes {
                    let plane = input + p * height * width
                    for oy in 0..<oh {
                        let acc = o + (p * oh + oy) * ow
                        for ox in 0..<ow { acc[ox] = isMax ? -Float.infinity : 0 }
                        if isMax { for ox in 0..<ow { nans[ox] = 0 } }
                        let ry = rows[oy]
                        for ky in ry.first..<ry.end {
                            let line = plane + (oy * sh - ph + ky * dh) * width
                            for kx in 0..<kw {
                                let span = spans[kx], taps = line + (kx * dw - pw)
                                if isMax {
                                    for ox in span.lo..<span.hi {
                                        let v = taps[ox * sw], best = acc[ox]
                                        acc[ox] = best > v ? best : v
                                        nans[ox] |= v.isNaN ? 1 : 0
                                    }
                                } else {
                                    for ox in span.lo..<span.hi { acc[ox] += taps[ox * sw] }
                                }
                            }
                        }
                        if isMax {
                            for ox in 0..<ow where nans[ox] != 0 { acc[ox] = .nan }
                        } else {
                            for ox in 0..<ow {
                                let divisor = divisors[oy * ow + ox]
                                acc[ox] = divisor == 0 ? 0 : acc[ox] / divisor
                            }
                        }
                    }
                }
            }
        } } }
        return out
    }

    static func poolFloat32(_ c: OperatorContext, _ x: Tensor, max isMax: Bool, global: Bool) throws -> Tensor? {
        guard x.dtype == .float32, !c.wantsOutput(1), x.rank >= 3 else { return nil }
        let flat = try x.contiguous()
        let planes = x.shape[0] * x.shape[1], spatial = Array(x.shape[2...]), inPlane = spatial.reduce(1, *)
        let input = Float32Kernels.pointer(flat)
        if global {
            let out = try Tensor(zeros: [x.shape[0], x.shape[1]] + [Int](repeating: 1, count: spatial.count), dtype: .float32)
            let o = Float32Kernels.pointer(out)
            for p in 0..<planes {
                let plane = input + p * inPlane
                if isMax {
                    var best = -Float.infinity
                    for i in 0..<inPlane where plane[i] > best || plane[i].isNaN { best = plane[i] }
                    o[p] = best
                } else {
                    o[p] = Float32Kernels.sum(plane, inPlane) { $0 } / Float(max(inPlane, 1))
                }
            }
            return out
        }
        guard let kernel = c.ints("kernel_shape"), kernel.count == spatial.count else { return nil }
        let window = try Window(c, input: spatial, kernel: kernel, ceilMode: c.int("ceil_mode", default: 0) == 1)
        let includePad = c.int("count_include_pad", default: 0) == 1
        if spatial.count == 2 { return try pool2DFloat32(input, shape: x.shape, window: window, max: isMax, includePad: includePad) }
        let table = (c.prepared as? GeometryCache)?.table(for: spatial) { sourceTable(window, spatial: spatial) } ?? sourceTable(window, spatial: spatial)
        let kprod = kernel.reduce(1, *), outPlane = window.output.reduce(1, *)
        // Padded-window sizes for count_include_pad (the window clipped to input + pads).
        var padCounts = [Int](repeating: kprod, count: outPlane)
        if includePad, !isMax {
            let padded = Window(kernel: window.kernel, strides: window.strides, dilations: window.dilations, padsBegin: window.padsBegin, padsEnd: window.padsEnd, output: window.output)
            let extended = spatial.enumerated().map { $0.element + padded.padsBegin[$0.offset] + padded.padsEnd[$0.offset] }
            var shifted = padded
            shifted.padsBegin = [Int](repeating: 0, count: spatial.count)
            let inPads = sourceTable(shifted, spatial: extended)
            for o in 0..<outPlane { padCounts[o] = (0..<kprod).filter { inPads[$0 * outPlane + o] >= 0 }.count }
        }
        let out = try Tensor(zeros: [x.shape[0], x.shape[1]] + window.output, dtype: .float32)
        let o = Float32Kernels.pointer(out)
        table.withUnsafeBufferPointer { t in
            for p in 0..<planes {
                let plane = input + p * inPlane, dst = o + p * outPlane
                for q in 0..<outPlane {
                    var best = -Float.infinity, sum: Float = 0, counted = 0
                    for k in 0..<kprod {
                        let s = t[k * outPlane + q]
                        if s < 0 { continue }
                        let v = plane[s]
                        if v > best || v.isNaN { best = v }
                        sum += v
                        counted += 1
                    }
                    if isMax { dst[q] = best } else {
                        let divisor = includePad ? padCounts[q] : counted
                        dst[q] = divisor == 0 ? 0 : sum / Float(divisor)
                    }
                }
            }
        }
        return out
    }

    static func pool(_ c: OperatorContext, max isMax: Bool, global: Bool, lp: Bool = false) throws -> [ONNXValue?] {
        let x = try c.tensor(0)
        guard x.rank >= 3 else { throw c.fail("input must be N x C x spatial, got \(x.shape)") }
        if !lp, let fast = try poolFloat32(c, x, max: isMax, global: global) { return [.tensor(fast)] }
        let n = x.shape[0], channels = x.shape[1], spatial = Array(x.shape[2...])
        let kernel = global ? spatial : (c.ints("kernel_shape") ?? [])
        guard kernel.count == spatial.count else { throw c.fail("kernel_shape must have \(spatial.count) values") }
        let window = global ? try Window(OperatorContext(node: ONNXNode(name: c.node.name, opType: c.node.opType, inputs: [], outputs: []), opset: c.opset, inputs: [], options: c.options), input: spatial, kernel: kernel)
            : try Window(c, input: spatial, kernel: kernel, ceilMode: c.int("ceil_mode", default: 0) == 1)
        let xs = try Numbers(x).doubles
        let inPlane = spatial.reduce(1, *), outPlane = window.output.reduce(1, *)
        let kernelCoords = coordinates(kernel), outCoords = coordinates(window.output)
        let inStrides = Tensor.contiguousStrides(for: spatial)
        let includePad = c.int("count_include_pad", default: 0) == 1
        let p = Double(c.int("p", default: 2))
        var out = [Double](repeating: 0, count: n * channels * outPlane)
        var indices = [Int64](repeating: 0, count: n * channels * outPlane)
        let columnMajor = c.int("storage_order", default: 0) == 1
        for plane in 0..<(n * channels) {
            let base = plane * inPlane
            for (o, oc) in outCoords.enumerated() {
                var best = -Double.infinity, bestIndex = -1, sum = 0.0, counted = 0, padded = 0
                for kc in kernelCoords {
                    var linear = 0, inside = true, withinPads = true
                    for d in 0..<spatial.count {
                        let i = oc[d] * window.strides[d] - window.padsBegin[d] + kc[d] * window.dilations[d]
                        if i < 0 || i >= spatial[d] {
                            inside = false
                            if i < -window.padsBegin[d] || i >= spatial[d] + window.padsEnd[d] { withinPads = false }
                        }
                        linear += i * inStrides[d]
                    }
                    if inside {
                        let v = xs[base + linear]
                        if lp { sum += Foundation.pow(Swift.abs(v), p) } else { sum += v }
                        counted += 1
                        if v > best || bestIndex < 0 || v.isNaN { best = v; bestIndex = linear }
                    } else if withinPads {
                        padded += 1
                    }
                }
                let position = plane * outPlane + o
                if isMax {
                    out[position] = bestIndex < 0 ? -.infinity : best
                    var stored = bestIndex
                    if columnMajor, spatial.count == 2, bestIndex >= 0 {
                        stored = (bestIndex % spatial[1]) * spatial[0] + bestIndex / spatial[1]
                    }
                    indices[position] = Int64(plane * inPlane + stored)
                } else if lp {
                    out[position] = Foundation.pow(sum, 1 / p)
                } else {
                    let divisor = includePad ? counted + padded : counted
                    out[position] = divisor == 0 ? 0 : sum / Double(divisor)
                }
            }
        }
        let shape = [n, channels] + window.output
        var results: [ONNXValue?] = [.tensor(try Numbers.double(out).tensor(shape: shape, dtype: x.dtype))]
        if c.wantsOutput(1) { results.append(.tensor(try Tensor(shape: shape, scalars: indices))) }
        return results
    }

    // MARK: Normalization and softmax

    static func softmax(_ c: OperatorContext, log: Bool, hard: Bool = false) throws -> Tensor {
        let x = try c.tensor(0)
        let defaultAxis = c.opset < 13 ? 1 : -1
        let axis = try c.axis(c.int("axis", default: defaultAxis), rank: x.rank)
        if !hard, c.opset < 13 || axis == x.rank - 1 {
            let rowSize = c.opset < 13 ? x.shape[axis...].reduce(1, *) : x.shape[axis]
            if let fast = try Float32Kernels.softmax(x.contiguous(), rowSize: rowSize, log: log) { return fast }
        }
        let values = try Numbers(x).doubles
        let outer: Int, size: Int, inner: Int
        if c.opset < 13 {
            // Old opsets flatten to 2-D at `axis` and normalize each row.
            outer = x.shape[..<axis].reduce(1, *); size = x.shape[axis...].reduce(1, *); inner = 1
        } else {
            outer = x.shape[..<axis].reduce(1, *); size = x.shape[axis]; inner = x.shape[(axis + 1)...].reduce(1, *)
        }
        var out = [Double](repeating: 0, count: values.count)
        for o in 0..<outer {
            for i in 0..<inner {
                var maximum = -Double.infinity
                var arg = 0
                for k in 0..<size { let v = values[(o * size + k) * inner + i]; if v > maximum { maximum = v; arg = k } }
                if hard {
                    out[(o * size + arg) * inner + i] = 1
                    continue
                }
                var sum = 0.0
                for k in 0..<size { sum += Foundation.exp(values[(o * size + k) * inner + i] - maximum) }
                for k in 0..<size {
                    let p = (o * size + k) * inner + i
                    out[p] = log ? values[p] - maximum - Foundation.log(sum) : Foundation.exp(values[p] - maximum) / sum
                }
            }
        }
        return try Numbers.double(out).tensor(shape: x.shape, dtype: x.dtype)
    }

    static func layerNormalization(_ c: OperatorContext) throws -> [ONNXValue?] {
        let x = try c.tensor(0), scale = try c.tensor(1), bias = try c.optionalTensor(2)
        let axis = try c.axis(c.int("axis", default: -1), rank: x.rank)
        let epsilon = Double(c.float("epsilon", default: 1e-5))
        let outer = x.shape[..<axis].reduce(1, *), size = x.shape[axis...].reduce(1, *)
        let normShape = Array(x.shape[axis...])
        if !c.wantsOutput(1), !c.wantsOutput(2),
           let fast = try Float32Kernels.layerNorm(x.contiguous(), rowSize: size, scale: scale.contiguous(), bias: bias?.contiguous(), epsilon: Float(epsilon)) {
            return [.tensor(fast)]
        }
        let s = try Broadcasting.expand(scale, to: normShape).doubles
        let b = try bias.map { try Broadcasting.expand($0, to: normShape).doubles }
        let values = try Numbers(x).doubles
        var out = [Double](repeating: 0, count: values.count)
        var means = [Double](repeating: 0, count: outer), inverse = [Double](repeating: 0, count: outer)
        for o in 0..<outer {
            var mean = 0.0
            for k in 0..<size { mean += values[o * size + k] }
            mean /= Double(size)
            var variance = 0.0
            for k in 0..<size { let d = values[o * size + k] - mean; variance += d * d }
            variance /= Double(size)
            let inv = 1 / (variance + epsilon).squareRoot()
            means[o] = mean; inverse[o] = inv
            for k in 0..<size { out[o * size + k] = (values[o * size + k] - mean) * inv * s[k] + (b?[k] ?? 0) }
        }
        let statsShape = Array(x.shape[..<axis]) + [Int](repeating: 1, count: x.rank - axis)
        let statsType: DType = c.int("stash_type", default: 1) == 1 ? .float32 : x.dtype
        return [
            .tensor(try Numbers.double(out).tensor(shape: x.shape, dtype: x.dtype)),
            c.wantsOutput(1) ? .tensor(try Numbers.double(means).tensor(shape: statsShape, dtype: statsType)) : nil,
            c.wantsOutput(2) ? .tensor(try Numbers.double(inverse).tensor(shape: statsShape, dtype: statsType)) : nil,
        ]
    }

    static func batchNormalization(_ c: OperatorContext) throws -> [ONNXValue?] {
        let x = try c.tensor(0)
        let scale = try Numbers(c.tensor(1)).doubles, bias = try Numbers(c.tensor(2)).doubles
        let inputMean = try Numbers(c.tensor(3)).doubles, inputVariance = try Numbers(c.tensor(4)).doubles
        var mean = inputMean, variance = inputVariance
        let epsilon = Double(c.float("epsilon", default: 1e-5))
        let channels = x.rank > 1 ? x.shape[1] : 1
        guard scale.count == channels, bias.count == channels, mean.count == channels, variance.count == channels else {
            throw c.fail("scale, B, mean and var must have \(channels) values")
        }
        let inner = x.rank > 2 ? x.shape[2...].reduce(1, *) : 1
        let training = c.int("training_mode", default: 0) == 1
        if !training, x.dtype == .float32 {
            // Inference folds to one multiply-add per element, as onnxruntime does.
            let a = (0..<channels).map { Float(scale[$0] / (variance[$0] + epsilon).squareRoot()) }
            let b = (0..<channels).map { Float(bias[$0] - mean[$0] * scale[$0] / (variance[$0] + epsilon).squareRoot()) }
            if let fast = try Float32Kernels.channelAffine(x.contiguous(), scale: a, shift: b) { return [.tensor(fast)] }
        }
        let values = try Numbers(x).doubles
        if training {
            // Batch statistics (population variance) normalize; running statistics are blended.
            var sums = [Double](repeating: 0, count: channels), squares = [Double](repeating: 0, count: channels)
            for (p, v) in values.enumerated() { sums[(p / inner) % channels] += v }
            let perChannel = Double(values.count / max(channels, 1))
            let batchMean = sums.map { $0 / perChannel }
            for (p, v) in values.enumerated() { let ch = (p / inner) % channels; squares[ch] += (v - batchMean[ch]) * (v - batchMean[ch]) }
            let batchVariance = squares.map { $0 / perChannel }
            let momentum = Double(c.float("momentum", default: 0.9))
            mean = batchMean
            variance = batchVariance
            let runningMean = zip(inputMean, batchMean).map { $0 * momentum + $1 * (1 - momentum) }
            let runningVariance = zip(inputVariance, batchVariance).map { $0 * momentum + $1 * (1 - momentum) }
            var out = [Double](repeating: 0, count: values.count)
            for (p, v) in values.enumerated() {
                let ch = (p / inner) % channels
                out[p] = (v - mean[ch]) / (variance[ch] + epsilon).squareRoot() * scale[ch] + bias[ch]
            }
            let statType = try c.tensor(3).dtype
            return [
                .tensor(try Numbers.double(out).tensor(shape: x.shape, dtype: x.dtype)),
                .tensor(try Numbers.double(runningMean).tensor(shape: [channels], dtype: statType)),
                .tensor(try Numbers.double(runningVariance).tensor(shape: [channels], dtype: statType)),
            ]
        }
        var out = [Double](repeating: 0, count: values.count)
        for (p, v) in values.enumerated() {
            let ch = (p / inner) % channels
            out[p] = (v - mean[ch]) / (variance[ch] + epsilon).squareRoot() * scale[ch] + bias[ch]
        }
        return [.tensor(try Numbers.double(out).tensor(shape: x.shape, dtype: x.dtype))]
    }

    static func instanceNormalization(_ c: OperatorContext) throws -> Tensor {
        let x = try c.tensor(0)
        let scale = try Numbers(c.tensor(1)).doubles, bias = try Numbers(c.tensor(2)).doubles
        let epsilon = Double(c.float("epsilon", default: 1e-5))
        let channels = x.shape[1], inner = x.shape[2...].reduce(1, *)
        let values = try Numbers(x).doubles
        var out = [Double](repeating: 0, count: values.count)
        for plane in 0..<(x.shape[0] * channels) {
            let ch = plane % channels, base = plane * inner
            var mean = 0.0
            for k in 0..<inner { mean += values[base + k] }
            mean /= Double(inner)
            var variance = 0.0
            for k in 0..<inner { let d = values[base + k] - mean; variance += d * d }
            variance /= Double(inner)
            for k in 0..<inner { out[base + k] = (values[base + k] - mean) / (variance + epsilon).squareRoot() * scale[ch] + bias[ch] }
        }
        return try Numbers.double(out).tensor(shape: x.shape, dtype: x.dtype)
    }

    /// f32 Gemm in one GEMM call: C starts as beta * bias (broadcast), alpha and the transposes go
    /// to the kernel, and a fused `activation` attribute (set by GraphFusion for Gemm -> Relu)
    /// applies in place.
    static func gemmFloat32(_ c: OperatorContext) throws -> Tensor? {
        let a = try c.tensor(0).contiguous(), b = try c.tensor(1).contiguous()
        guard a.dtype == .float32, b.dtype == .float32, a.rank == 2, b.rank == 2 else { return nil }
        let transA = c.int("transA", default: 0) == 1, transB = c.int("transB", default: 0) == 1
        let m = transA ? a.shape[1] : a.shape[0], k = transA ? a.shape[0] : a.shape[1]
        let n = transB ? b.shape[0] : b.shape[1]
        guard (transB ? b.shape[1] : b.shape[0]) == k else { throw c.fail("inner dimensions differ: A \(a.shape), B \(b.shape)") }
        let alpha = c.float("alpha", default: 1), beta = c.float("beta", default: 1)
        var out = try Tensor(zeros: [m, n], dtype: .float32)
        var hasBias = false
        if let bias = try c.optionalTensor(2), beta != 0 {
            guard bias.dtype == .float32 else { return nil }
            out = try bias.broadcast(to: [m, n]).contiguous(forceCopy: true)
            hasBias = true
        }
        let o = Float32Kernels.pointer(out)
        if m > 0, n > 0 {
            try Kernels.sgemm(
                transposeA: transA, transposeB: transB, m: m, n: n, k: k, alpha: alpha,
                a: Float32Kernels.pointer(a), lda: max(a.shape[1], 1), b: Float32Kernels.pointer(b), ldb: max(b.shape[1], 1),
                beta: hasBias ? beta : 0, c: o, ldc: max(n, 1), backend: c.options.effectiveGEMMBackend, threads: c.options.threads)
        }
        if c.string("activation") == "Relu" { for i in 0..<(m * n) where o[i] < 0 { o[i] = 0 } }
        return withExtendedLifetime((a, b)) { out }
    }

    static let definitions: [OperatorDefinition] = [
        OperatorDefinition("MatMul") { c in [.tensor(try LinearAlgebra.matmul(c.tensor(0), c.tensor(1), options: c.options))] },
        OperatorDefinition("Gemm") { c in
            if let fast = try gemmFloat32(c) { return [.tensor(fast)] }
            var a = try c.tensor(0), b = try c.tensor(1)
            if c.int("transA", default: 0) == 1 { a = a.transposed() }
            if c.int("transB", default: 0) == 1 { b = b.transposed() }
            let alpha = c.float("alpha", default: 1), beta = c.float("beta", default: 1)
            var y = try LinearAlgebra.matmul(a, b, options: c.options)
            if alpha != 1 {
                y = try Broadcasting.binary(y, Numbers.double([Double(alpha)]).tensor(shape: [], dtype: y.dtype), op: .mul)
            }
            if let bias = try c.optionalTensor(2), beta != 0 {
                let scaled = beta == 1 ? bias : try Broadcasting.binary(bias, Numbers.double([Double(beta)]).tensor(shape: [], dtype: bias.dtype), op: .mul)
                y = try Broadcasting.binary(y, scaled, op: .add)
            }
            if c.string("activation") == "Relu" { y = try Elementwise.unary(y, .relu) }
            return [.tensor(y)]
        },
        OperatorDefinition("Conv", prepare: { _ in GeometryCache() }) { c in [.tensor(try conv(c))] },
        OperatorDefinition("ConvTranspose") { c in [.tensor(try convTranspose(c))] },
        OperatorDefinition("MaxPool", prepare: { _ in GeometryCache() }) { c in try pool(c, max: true, global: false) },
        OperatorDefinition("AveragePool", prepare: { _ in GeometryCache() }) { c in try pool(c, max: false, global: false) },
        OperatorDefinition("LpPool") { c in try pool(c, max: false, global: false, lp: true) },
        OperatorDefinition("GlobalMaxPool") { c in try pool(c, max: true, global: true) },
        OperatorDefinition("GlobalAveragePool") { c in try pool(c, max: false, global: true) },
        OperatorDefinition("GlobalLpPool") { c in try pool(c, max: false, global: true, lp: true) },
        OperatorDefinition("BatchNormalization") { c in try batchNormalization(c) },
        OperatorDefinition("InstanceNormalization") { c in [.tensor(try instanceNormalization(c))] },
        OperatorDefinition("LayerNormalization") { c in try layerNormalization(c) },
        OperatorDefinition("Softmax") { c in [.tensor(try softmax(c, log: false))] },
        OperatorDefinition("LogSoftmax") { c in [.tensor(try softmax(c, log: true))] },
        OperatorDefinition("Hardmax") { c in [.tensor(try softmax(c, log: false, hard: true))] },
        OperatorDefinition("LpNormalization") { c in
            let x = try c.tensor(0)
            let axis = try c.axis(c.int("axis", default: -1), rank: x.rank), p = c.int("p", default: 2)
            let values = try Numbers(x).doubles
            let outer = x.shape[..<axis].reduce(1, *), size = x.shape[axis], inner = x.shape[(axis + 1)...].reduce(1, *)
            var out = values
            for o in 0..<outer { for i in 0..<inner {
                var norm = 0.0
                for k in 0..<size { let v = values[(o * size + k) * inner + i]; norm += p == 1 ? Swift.abs(v) : v * v }
                if p == 2 { norm = norm.squareRoot() }
                for k in 0..<size where norm != 0 { out[(o * size + k) * inner + i] /= norm }
            } }
            return [.tensor(try Numbers.double(out).tensor(shape: x.shape, dtype: x.dtype))]
        },
    ]
}
