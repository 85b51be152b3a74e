import CInferenceKernels
import Foundation

/// QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear, MatMulInteger, QLinearMatMul,
/// ConvInteger and QLinearConv for the 8/16/32-bit integer types the engine holds.
enum QuantizationOperators {
    /// The saturation range of a quantized dtype.
    static func range(of dtype: DType, c: OperatorContext) throws -> (min: Double, max: Double) {
        switch dtype {
        case .uint8: (0, 255)
        case .int8: (-128, 127)
        case .int16: (-32768, 32767)
        case .int32: (-2147483648, 2147483647)
        default: throw c.fail("quantized type \(dtype) is not supported (uint8, int8, int16, int32)")
        }
    }

    /// For each element of `shape`, the index of its scale/zero point: per tensor (one value),
    /// per `axis` (a 1-D list), or per block of `blockSize` along `axis` (same rank as `shape`).
    static func parameterIndex(shape: [Int], parameterShape: [Int], axis rawAxis: Int, blockSize: Int, c: OperatorContext) throws -> [Int] {
        let count = shape.reduce(1, *)
        let parameterCount = parameterShape.reduce(1, *)
        if parameterCount == 1 && (parameterShape.count <= 1 || blockSize == 0) { return [Int](repeating: 0, count: count) }
        guard !shape.isEmpty else { throw c.fail("a scalar input takes a scalar scale, got shape \(parameterShape)") }
        let axis = try c.axis(rawAxis, rank: shape.count)
        let outer = shape[..<axis].reduce(1, *), size = shape[axis], inner = shape[(axis + 1)...].reduce(1, *)
        var index = [Int](repeating: 0, count: count)
        if blockSize > 0 {
            let blocks = (size + blockSize - 1) / blockSize
            var expected = shape
            expected[axis] = blocks
            guard parameterShape == expected else { throw c.fail("blocked scale must have shape \(expected), got \(parameterShape)") }
            for o in 0..<outer { for a in 0..<size { for i in 0..<inner {
                index[(o * size + a) * inner + i] = (o * blocks + a / blockSize) * inner + i
            } } }
            return index
        }
        guard parameterShape.count == 1, parameterCount == size else {
            throw c.fail("per-axis scale must be 1-D with \(size) values, got shape \(parameterShape)")
        }
        for o in 0..<outer { for a in 0..<size { for i in 0..<inner { index[(o * size + a) * inner + i] = a } } }
        return index
    }

    /// x / scale in the precision the reference uses (f16 inputs round the quotient to f16).
    static func quotient(_ x: Double, _ scale: Double, dtype: DType) -> Double {
        switch dtype {
        case .float32: Double(Float(x) / Float(scale))
        case .float16: Double(Float(Float16(Float(x) / Float(scale))))
        case .bfloat16: Double(BFloat16(Float(x) / Float(scale)).floatValue)
        default: x / scale
        }
    }

    static func scalar(_ t: Tensor, name: String, _ c: OperatorContext) throws -> Double {
        let values = try Numbers(t).doubles
        guard values.count == 1 else { throw c.fail("\(name) must hold one value, got shape \(t.shape)") }
        return values[0]
    }

    static func saturate(_ v: Double, _ r: (min: Double, max: Double)) -> Int64 {
        v.isNaN ? 0 : Int64(Swift.min(Swift.max(v, r.min), r.max))
    }

    static func quantizeLinear(_ c: OperatorContext) throws -> [ONNXValue?] {
        let x = try c.tensor(0), scale = try c.tensor(1), zeroPoint = try c.optionalTensor(2)
        var dtype: DType = .uint8
        if let code = c.int("output_dtype"), code != 0 {
            guard let d = ONNXElementType.dtype(for: code) else { throw c.fail("output_dtype \(ONNXElementType.name(of: code)) is not supported") }
            dtype = d
        }
        if let zeroPoint { dtype = zeroPoint.dtype }
        let bounds = try range(of: dtype, c: c)
        let axis = c.int("axis", default: 1), blockSize = c.int("block_size", default: 0)
        let index = try parameterIndex(shape: x.shape, parameterShape: scale.shape, axis: axis, blockSize: blockSize, c: c)
        if let zeroPoint, zeroPoint.shape != scale.shape, zeroPoint.count != scale.count {
            throw c.fail("zero point shape \(zeroPoint.shape) differs from scale shape \(scale.shape)")
        }
        let xs = try Numbers(x).doubles, scales = try Numbers(scale).doubles
        let zeros = try zeroPoint.map { try Numbers($0).doubles } ?? [Double](repeating: 0, count: scales.count)
        let computeType = x.dtype.isFloatingPoint ? x.dtype : .float32
        var out = [Int64](repeating: 0, count: xs.count)
        for i in xs.indices {
            let p = index[i]
            let q = quotient(xs[i], scales[p], dtype: computeType).rounded(.toNearestOrEven)
            out[i] = saturate(q + zeros[p], bounds)
        }
        return [.tensor(try Numbers.int(out).tensor(shape: x.shape, dtype: dtype))]
    }

    static func dequantizeLinear(_ c: OperatorContext) throws -> [ONNXValue?] {
        let x = try c.tensor(0), scale = try c.tensor(1), zeroPoint = try c.optionalTensor(2)
        _ = try range(of: x.dtype, c: c)
        guard scale.dtype.isFloatingPoint else { throw c.fail("scale must be floating point, got \(scale.dtype)") }
        var dtype = scale.dtype
        if let code = c.int("output_dtype"), code != 0 {
            guard let d = ONNXElementType.dtype(for: code), d.isFloatingPoint else { throw c.fail("output_dtype \(ONNXElementType.name(of: code)) is not supported") }
            dtype = d
        }
        let axis = c.int("axis", default: 1), blockSize = c.int("block_size", default: 0)
        let index = try parameterIndex(shape: x.shape, parameterShape: scale.shape, axis: axis, blockSize: blockSize, c: c)
        if let zeroPoint {
            guard zeroPoint.dtype == x.dtype else { throw c.fail("zero point type \(zeroPoint.dtype) differs from input type \(x.dtype)") }
            guard zeroPoint.count == scale.count else { throw c.fail("zero point shape \(zeroPoint.shape) differs from scale shape \(scale.shape)") }
        }
        let xs = try Numbers(x).doubles, scales = try Numbers(scale).doubles
        let zeros = try zeroPoint.map { try Numbers($0).doubles } ?? [Double](repeating: 0, count: scales.count)
        // f32 arithmetic like the reference: (float(x) - zp) * scale
        let out = xs.indices.map { i in Double((Float(xs[i]) - Float(zeros[index[i]])) * Float(scales[index[i]])) }
        return [.tensor(try Numbers.double(out).tensor(shape: x.shape, dtype: dtype))]
    }

    /// DynamicQuantizeLinear's arithmetic over `count` floats: the uint8 scale and zero point of
    /// the range [min(x, 0), max(x, 0)], and each value quantized with them into `q`.
    static func quantizeDynamically(_ xs: UnsafePointer<Float>, count: Int, into q: UnsafeMutablePointer<UInt8>) -> (scale: Float, zero: UInt8) {
        // One pass for both bounds (the range always includes 0, as the operator defines).
        var maximum: Float = 0, minimum: Float = 0
        for i in 0..<count {
            let v = xs[i]
            if v > maximum { maximum = v }
            if v < minimum { minimum = v }
        }
        let scale: Float = maximum == minimum ? 1 / 255 : (maximum - minimum) / 255
        let zero = min(max(0 - minimum / scale, 0), 255).rounded(.toNearestOrEven)
        for i in 0..<count {
            let r = (xs[i] / scale).rounded(.toNearestOrEven) + zero
            q[i] = r.isNaN ? 0 : UInt8(min(max(r, 0), 255))
        }
        return (scale, UInt8(zero))
    }

    static func dynamicQuantizeLinear(_ c: OperatorContext) throws -> [ONNXValue?] {
        let x = try c.tensor(0)
        guard x.dtype == .float32 else { throw c.fail("input must be float, got \(x.dtype)") }
        let flat = try x.contiguous()
        let quantized = try Tensor(uninitialized: x.shape, dtype: .uint8)
        let (scale, zero) = quantizeDynamically(Float32Kernels.pointer(flat), count: flat.count,
                                                into: quantized.storage.bytes.assumingMemoryBound(to: UInt8.self))
        return [
            .tensor(quantized),
            .tensor(try Tensor(shape: [], scalars: [scale])),
            .tensor(try Tensor(shape: [], scalars: [zero])),
        ]
    }

    // MARK: Integer matrix products

    static func int32s(_ t: Tensor, _ c: OperatorContext) throws -> [Int32] {
        switch t.dtype {
        case .int8: try t.scalars(as: Int8.self).map { Int32($0) }
        case .uint8: try t.scalars(as: UInt8.self).map { Int32($0) }
        case .int16: try t.scalars(as: Int16.self).map { Int32($0) }
        case .int32: try t.scalars(as: Int32.self)
        default: throw c.fail("expected an 8-bit integer tensor, got \(t.dtype)")
        }
    }

    /// 8-bit operands as Int16 (what the integer GEMM kernel takes: a value minus its zero point
    /// always fits, so every uint8/int8 mix runs the same exact path).
    static func int8s(_ t: Tensor, _ c: OperatorContext) throws -> [Int16] {
        switch t.dtype {
        case .int8: try t.scalars(as: Int8.self).map { Int16($0) }
        case .uint8: try t.scalars(as: UInt8.self).map { Int16($0) }
        default: throw c.fail("expected a uint8 or int8 tensor, got \(t.dtype)")
        }
    }

    /// C[m,n] = A[m,k] * Bt[n,k]^T through the int16 x int16 -> int32 kernel (exact, so the
    /// fastest ISA is always used, determinism mode included).
    static func gemm(m: Int, n: Int, k: Int, a: UnsafePointer<Int16>, bt: UnsafePointer<Int16>, c: UnsafeMutablePointer<Int32>,
                     isa: aiplat_isa = AIPLAT_ISA_AVX512, threads: Int = 1) {
        let resolved = aiplat_gemm_s16s32_resolve(isa)
        // Rows of C are independent integer sums: any split gives the same result.
        Kernels.splitRows(m, threads: threads, work: m * n * k) { first, end in
            let rows = end - first, a = a + first * k, c = c + first * n
            if resolved == AIPLAT_ISA_GENERIC {
                GenericKernels.gemmS16S32(m: rows, n: n, k: k, a: a, lda: k, bt: bt, ldb: k, c: c, ldc: n)
            } else {
                aiplat_gemm_s16s32(resolved, Int64(rows), Int64(n), Int64(k), a, Int64(k), bt, Int64(k), c, Int64(n))
            }
        }
    }

    /// The integer GEMM on `backend`'s instruction set (or the best one below it), for tests.
    static func integerGEMM(backend: GEMMBackend, m: Int, n: Int, k: Int, a: [Int16], bt: [Int16]) -> [Int32] {
        var out = [Int32](repeating: 0, count: m * n)
        guard a.count >= m * k, bt.count >= n * k else { return out }
        a.withUnsafeBufferPointer { ap in bt.withUnsafeBufferPointer { bp in out.withUnsafeMutableBufferPointer { op in
            guard let ab = ap.baseAddress, let bb = bp.baseAddress, let ob = op.baseAddress else { return }
            gemm(m: m, n: n, k: k, a: ab, bt: bb, c: ob, isa: backend.isa)
        } } }
        return out
    }

    /// The instruction set the integer GEMM runs for `backend` on this CPU ("generic", "avx2", "avx512").
    static func integerGEMMVariant(_ backend: GEMMBackend) -> String {
        switch aiplat_gemm_s16s32_resolve(backend.isa) {
        case AIPLAT_ISA_AVX512: "avx512"
        case AIPLAT_ISA_AVX2: "avx2"
        default: "generic"
        }
    }

    /// A constant rank-2 right operand widened to Int16, minus its zero point and transposed
    /// (`bt[j][l] = B[l][j] - zp`), built once at plan time for MatMulInteger/QLinearMatMul.
    struct PreparedIntegerMatrix: Sendable {
        let k: Int
        let n: Int
        let bt: [Int16]
        /// The same weights for the AVX-512 VNNI kernel, when this CPU has it.
        var vnni: VNNIMatrix? = nil
    }

    /// Weights as signed bytes in VNNI panels (uint8 weights shifted by -128 with their zero
    /// points, so (b - zb) is unchanged), with per-column sums and zero points for the exact
    /// zero-point correction.
    struct VNNIMatrix: Sendable {
        let packed: [Int8]
        let columnSums: [Int32]
        let zeros: [Int32]

        init(k: Int, n: Int, weights: [Int16], zeros: [Int16], unsigned: Bool) {
            let shift: Int16 = unsigned ? 128 : 0
            let bytes = weights.map { Int8($0 - shift) }
            var packed = [Int8](repeating: 0, count: Int(aiplat_gemm_u8s8_packed_size(Int64(n), Int64(k))))
            var sums = [Int32](repeating: 0, count: n)
            bytes.withUnsafeBufferPointer { b in packed.withUnsafeMutableBufferPointer { p in sums.withUnsafeMutableBufferPointer { s in
                aiplat_gemm_u8s8_pack(Int64(n), Int64(k), b.baseAddress, Int64(n), p.baseAddress, s.baseAddress)
            } } }
            self.packed = packed
            columnSums = sums
            self.zeros = (0..<n).map { Int32(zeros[zeros.count == 1 ? 0 : $0] - shift) }
        }

        /// C[rows, n] = (A - aZero)(B - zb) for u8 A (`a` has rows x k bytes).
        func multiply(rows: Int, k: Int, n: Int, a: UnsafePointer<UInt8>, aZero: Int32, c: UnsafeMutablePointer<Int32>, threads: Int = 1) {
            packed.withUnsafeBufferPointer { p in columnSums.withUnsafeBufferPointer { s in zeros.withUnsafeBufferPointer { z in
                Kernels.splitRows(rows, threads: threads, work: rows * n * k) { first, end in
                    aiplat_gemm_u8s8s32_vnni(Int64(end - first), Int64(n), Int64(k), a + first * k, Int64(k), aZero,
                                             p.baseAddress, s.baseAddress, z.baseAddress, c + first * n, Int64(n))
                }
            } } }
        }
    }

    /// The `prepare` of MatMulInteger (`right` = 1, `zero` = 3) and QLinearMatMul (3, 5).
    static func prepareRight(_ c: OperatorContext, right: Int, zero: Int) throws -> any Sendable {
        guard right < c.inputCount, let b = c.input(right)?.tensor, b.rank == 2 else { return Optional<PreparedIntegerMatrix>.none as any Sendable }
        let zeroKnown = zero >= c.inputCount || c.node.inputs[zero].isEmpty || c.input(zero) != nil
        guard zeroKnown else { return Optional<PreparedIntegerMatrix>.none as any Sendable }
        let k = b.shape[0], n = b.shape[1]
        let y = try int8s(b, c)
        var zeros = [Int16](repeating: 0, count: 1)
        if zero < c.inputCount, let z = c.input(zero)?.tensor {
            zeros = try int8s(z, c)
            guard zeros.count == 1 || zeros.count == n else { return Optional<PreparedIntegerMatrix>.none as any Sendable }
        }
        var bt = [Int16](repeating: 0, count: n * k)
        for l in 0..<k { for j in 0..<n { bt[j * k + l] = y[l * n + j] - zeros[zeros.count == 1 ? 0 : j] } }
        var prepared = PreparedIntegerMatrix(k: k, n: n, bt: bt)
        if aiplat_gemm_u8s8_supported() != 0 {
            prepared.vnni = VNNIMatrix(k: k, n: n, weights: y, zeros: zeros, unsigned: b.dtype == .uint8)
        }
        return prepared
    }

    /// (A - a_zp) x (B - b_zp) in Int32 for batched matrices; a_zp is per tensor or per row of A,
    /// b_zp per tensor or per column of B.
    static func integerMatmul(_ a: Tensor, _ b: Tensor, aZero: Tensor?, bZero: Tensor?, c: OperatorContext) throws -> (values: [Int32], shape: [Int]) {
        if let prepared = c.prepared as? PreparedIntegerMatrix, a.rank >= 2, a.shape[a.rank - 1] == prepared.k {
            return try integerMatmul(a, prepared, aZero: aZero, c: c)
        }
        let left = a.rank == 1 ? try a.reshaped([1, a.shape[0]]) : a
        let right = b.rank == 1 ? try b.reshaped([b.shape[0], 1]) : b
        guard left.rank >= 2, right.rank >= 2 else { throw c.fail("inputs must have rank >= 1") }
        let m = left.shape[left.rank - 2], k = left.shape[left.rank - 1], n = right.shape[right.rank - 1]
        guard right.shape[right.rank - 2] == k else { throw c.fail("inner dimensions differ: \(a.shape) x \(b.shape)") }
        let batch = try Tensor.broadcastShape(Array(left.shape.dropLast(2)), Array(right.shape.dropLast(2)))
        var x = try int8s(left.broadcast(to: batch + [m, k]), c)
        let y = try int8s(right.broadcast(to: batch + [k, n]), c)
        let batches = batch.reduce(1, *)
        if let aZero {
            let z = try int8s(aZero, c)
            guard z.count == 1 || z.count == m else { throw c.fail("a_zero_point must be a scalar or have \(m) values") }
            for t in 0..<batches { for i in 0..<m { let zp = z.count == 1 ? z[0] : z[i]; for l in 0..<k { x[(t * m + i) * k + l] -= zp } } }
        }
        var bZeros = [Int16](repeating: 0, count: 1)
        if let bZero {
            bZeros = try int8s(bZero, c)
            guard bZeros.count == 1 || bZeros.count == n || bZeros.count == batches * n else { throw c.fail("b_zero_point must be a scalar or have \(n) values") }
        }
        // Bt[t][j][l] = B[t][l][j] - zp
        var yt = [Int16](repeating: 0, count: batches * n * k)
        for t in 0..<batches { for l in 0..<k { for j in 0..<n {
            let zp = bZeros.count == 1 ? bZeros[0] : (bZeros.count == n ? bZeros[j] : bZeros[t * n + j])
            yt[(t * n + j) * k + l] = y[(t * k + l) * n + j] - zp
        } } }
        var out = [Int32](repeating: 0, count: batches * m * n)
        x.withUnsafeBufferPointer { xp in yt.withUnsafeBufferPointer { yp in out.withUnsafeMutableBufferPointer { op in
            guard let xb = xp.baseAddress, let yb = yp.baseAddress, let ob = op.baseAddress else { return }
            for t in 0..<batches { gemm(m: m, n: n, k: k, a: xb + t * m * k, bt: yb + t * n * k, c: ob + t * m * n, threads: c.options.threads) }
        } } }
        var shape = batch + [m, n]
        if b.rank == 1 { shape.removeLast() }
        if a.rank == 1 { shape.remove(at: shape.count - (b.rank == 1 ? 1 : 2)) }
        return (out, shape)
    }

    /// A [..., m, k] times a prepared constant [k, n]: A's leading axes are rows of one GEMM.
    static func integerMatmul(_ a: Tensor, _ right: PreparedIntegerMatrix, aZero: Tensor?, c: OperatorContext) throws -> (values: [Int32], shape: [Int]) {
        let k = right.k, n = right.n, m = a.shape[a.rank - 2]
        let rows = a.count / max(k, 1)
        if rows == 0 || n == 0 { return ([Int32](repeating: 0, count: rows * n), Array(a.shape.dropLast()) + [n]) }
        if let vnni = right.vnni, a.dtype == .uint8 || a.dtype == .int8, aZero.map({ $0.count == 1 }) ?? true {
            // Signed activations move to unsigned by +128, and so does their zero point.
            let shift: Int32 = a.dtype == .int8 ? 128 : 0
            let zero = try aZero.map { try int8s($0, c)[0] }.map(Int32.init) ?? 0
            let flat = try a.contiguous()
            var out = [Int32](repeating: 0, count: rows * n)
            let bytes = flat.storage.bytes.assumingMemoryBound(to: UInt8.self) + flat.offset
            out.withUnsafeMutableBufferPointer { o in
                if shift == 0 {
                    vnni.multiply(rows: rows, k: k, n: n, a: bytes, aZero: zero, c: o.baseAddress!, threads: c.options.threads)
                } else {
                    let shifted = (0..<flat.count).map { bytes[$0] ^ 0x80 }
                    shifted.withUnsafeBufferPointer { vnni.multiply(rows: rows, k: k, n: n, a: $0.baseAddress!, aZero: zero + shift, c: o.baseAddress!, threads: c.options.threads) }
                }
            }
            return (out, Array(a.shape.dropLast()) + [n])
        }
        var x = try int8s(a, c)
        if let aZero {
            let z = try int8s(aZero, c)
            guard z.count == 1 || z.count == m else { throw c.fail("a_zero_point must be a scalar or have \(m) values") }
            if z.count == 1 {
                let zp = z[0]
                if zp != 0 { for index in x.indices { x[index] -= zp } }
            } else {
                for r in 0..<rows { let zp = z[r % m]; for l in 0..<k { x[r * k + l] -= zp } }
            }
        }
        var out = [Int32](repeating: 0, count: rows * n)
        x.withUnsafeBufferPointer { xp in right.bt.withUnsafeBufferPointer { yp in out.withUnsafeMutableBufferPointer { op in
            guard let xb = xp.baseAddress, let yb = yp.baseAddress, let ob = op.baseAddress else { return }
            gemm(m: rows, n: n, k: k, a: xb, bt: yb, c: ob, threads: c.options.threads)
        } } }
        return (out, Array(a.shape.dropLast()) + [n])
    }

    /// The fused `DynamicQuantizedMatMul` (see ``QuantizedMatMulFusion``): inputs x (f32), the
    /// constant weights (prepared), their zero point, their scale, and an optional bias.
    static func dynamicQuantizedMatMul(_ c: OperatorContext) throws -> Tensor {
        guard let right = c.prepared as? PreparedIntegerMatrix else { throw c.fail("weights were not prepared") }
        let x = try c.tensor(0)
        let k = right.k, n = right.n
        guard x.dtype == .float32, x.rank >= 1, x.shape[x.rank - 1] == k else { throw c.fail("input \(x.shape) does not end in \(k)") }
        let flat = try x.contiguous()
        let xs = Float32Kernels.pointer(flat), count = flat.count, rows = count / max(k, 1)
        // DynamicQuantizeLinear, exactly as the operator does it.
        let q = UnsafeMutablePointer<UInt8>.allocate(capacity: max(count, 1))
        defer { q.deallocate() }
        let (scale, zero) = quantizeDynamically(xs, count: count, into: q)
        let sums = UnsafeMutablePointer<Int32>.allocate(capacity: max(rows * n, 1))
        defer { sums.deallocate() }
        if let vnni = right.vnni {
            vnni.multiply(rows: rows, k: k, n: n, a: q, aZero: Int32(zero), c: sums, threads: c.options.threads)
        } else {
            let a = UnsafeMutablePointer<Int16>.allocate(capacity: max(count, 1))
            defer { a.deallocate() }
            for i in 0..<count { a[i] = Int16(q[i]) - Int16(zero) }
            right.bt.withUnsafeBufferPointer { bt in gemm(m: rows, n: n, k: k, a: a, bt: bt.baseAddress!, c: sums, threads: c.options.threads) }
        }
        // Mul(x_scale, w_scale), Cast, Mul, Add, Relu: the unfused graph's float operations.
        let weightScale = try c.tensor(3).contiguous()
        let ws = Float32Kernels.pointer(weightScale)
        let perColumnScale = weightScale.count != 1
        let scales = (0..<n).map { j in scale * ws[perColumnScale ? j : 0] }
        let bias = try c.optionalTensor(4)?.contiguous()
        let b = bias.map(Float32Kernels.pointer), biasCount = bias?.count ?? 0
        let relu = c.string("activation") == "Relu"
        let out = try Tensor(uninitialized: Array(x.shape.dropLast()) + [n], dtype: .float32)
        let o = Float32Kernels.pointer(out)
        for r in 0..<rows {
            for j in 0..<n {
                var v = Float(sums[r * n + j]) * scales[j]
                if let b { v = v + b[biasCount == 1 ? 0 : j] }
                if relu, v < 0 { v = 0 }
                o[r * n + j] = v
            }
        }
        return out
    }

    static func matMulInteger(_ c: OperatorContext) throws -> [ONNXValue?] {
        let (values, shape) = try integerMatmul(c.tensor(0), c.tensor(1), aZero: c.optionalTensor(2), bZero: c.optionalTensor(3), c: c)
        return [.tensor(try Tensor(shape: shape, scalars: values))]
    }

    static func qlinearMatMul(_ c: OperatorContext) throws -> [ONNXValue?] {
        let a = try c.tensor(0), b = try c.tensor(3)
        let (values, shape) = try integerMatmul(a, b, aZero: c.optionalTensor(2), bZero: c.optionalTensor(5), c: c)
        let yZero = try c.optionalTensor(7)
        let dtype = yZero?.dtype ?? a.dtype
        let bounds = try range(of: dtype, c: c)
        // The requantization multiplier a_scale * b_scale / y_scale in the scales' precision;
        // a_scale may be per row of A and b_scale per column of B.
        let aScale = try Numbers(c.tensor(1)).doubles, bScale = try Numbers(c.tensor(4)).doubles, yScale = try Numbers(c.tensor(6)).doubles
        let rows = a.rank >= 2 ? a.shape[a.rank - 2] : 1, columns = b.rank >= 2 ? b.shape[b.rank - 1] : 1
        guard yScale.count == 1, aScale.count == 1 || aScale.count == rows, bScale.count == 1 || bScale.count == columns else {
            throw c.fail("y_scale must be a scalar, a_scale a scalar or per row, b_scale a scalar or per column")
        }
        let scaleType = try c.tensor(1).dtype
        func multiplier(_ row: Int, _ column: Int) -> Double {
            let f = Float(aScale[aScale.count == 1 ? 0 : row]) * Float(bScale[bScale.count == 1 ? 0 : column]) / Float(yScale[0])
            return scaleType == .float16 ? Double(Float(Float16(f))) : Double(f)
        }
        let zero = try yZero.map { try scalar($0, name: "y_zero_point", c) } ?? 0
        let out = values.enumerated().map { e, v in
            saturate((Double(v) * multiplier((e / columns) % rows, e % columns) + zero).rounded(.toNearestOrEven), bounds)
        }
        return [.tensor(try Numbers.int(out).tensor(shape: shape, dtype: dtype))]
    }

    // MARK: Integer convolution

    /// Int32 convolution of (x - x_zp) and (w - w_zp), w_zp per tensor or per output channel.
    static func integerConv(_ c: OperatorContext, x: Tensor, w: Tensor, xZero: Tensor?, wZero: Tensor?, bias: Tensor?) throws -> (values: [Int32], shape: [Int]) {
        guard x.rank >= 3, w.rank == x.rank else { throw c.fail("input \(x.shape) and weight \(w.shape) must have the same rank >= 3") }
        let n = x.shape[0], channels = x.shape[1], spatial = Array(x.shape[2...])
        let m = w.shape[0], kernel = Array(w.shape[2...])
        let group = c.int("group", default: 1)
        guard group > 0, channels % group == 0, m % group == 0, w.shape[1] == channels / group else {
            throw c.fail("weight \(w.shape) does not match input channels \(channels) with group \(group)")
        }
        let window = try NeuralNetworkOperators.Window(c, input: spatial, kernel: c.ints("kernel_shape") ?? kernel)
        var xs = try int8s(x, c), ws = try int8s(w, c)
        if let xZero {
            let z = try int8s(xZero, c)
            guard z.count == 1 else { throw c.fail("x_zero_point must be a scalar") }
            for i in xs.indices { xs[i] -= z[0] }
        }
        let perFilter = ws.count / max(m, 1)
        if let wZero {
            let z = try int8s(wZero, c)
            guard z.count == 1 || z.count == m else { throw c.fail("w_zero_point must be a scalar or have \(m) values") }
            for i in ws.indices { ws[i] -= z.count == 1 ? z[0] : z[i / perFilter] }
        }
        let biases = try bias.map { try int32s($0, c) }
        if let biases, biases.count != m { throw c.fail("B must have \(m) values") }
        let cg = channels / group, mg = m / group
        let kprod = kernel.reduce(1, *), inPlane = spatial.reduce(1, *), outPlane = window.output.reduce(1, *)
        let source = NeuralNetworkOperators.sourceTable(window, spatial: spatial)
        let depth = cg * kprod
        var out = [Int32](repeating: 0, count: n * m * outPlane)
        // im2col transposed: columns[o][ci * kprod + k] is the input under kernel tap k at output o
        var columns = [Int16](repeating: 0, count: outPlane * depth)
        var product = [Int32](repeating: 0, count: mg * outPlane)
        for b in 0..<n {
            for g in 0..<group {
                for ci in 0..<cg {
                    let plane = (b * channels + g * cg + ci) * inPlane
                    for k in 0..<kprod {
                        for o in 0..<outPlane {
                            let s = source[k * outPlane + o]
                            columns[o * depth + ci * kprod + k] = s < 0 ? 0 : xs[plane + s]
                        }
                    }
                }
                ws.withUnsafeBufferPointer { wp in columns.withUnsafeBufferPointer { cp in product.withUnsafeMutableBufferPointer { pp in
                    guard let wb = wp.baseAddress, let cb = cp.baseAddress, let pb = pp.baseAddress else { return }
                    gemm(m: mg, n: outPlane, k: depth, a: wb + g * mg * perFilter, bt: cb, c: pb, threads: c.options.threads)
                } } }
                for mi in 0..<mg {
                    let filter = g * mg + mi
                    let base = (b * m + filter) * outPlane
                    let start = biases?[filter] ?? 0
                    for o in 0..<outPlane { out[base + o] = start &+ product[mi * outPlane + o] }
                }
            }
        }
        return (out, [n, m] + window.output)
    }

    static func convInteger(_ c: OperatorContext) throws -> [ONNXValue?] {
        let (values, shape) = try integerConv(c, x: c.tensor(0), w: c.tensor(1), xZero: c.optionalTensor(2), wZero: c.optionalTensor(3), bias: nil)
        return [.tensor(try Tensor(shape: shape, scalars: values))]
    }

    static func qlinearConv(_ c: OperatorContext) throws -> [ONNXValue?] {
        let x = try c.tensor(0), w = try c.tensor(3)
        let (values, shape) = try integerConv(c, x: x, w: w, xZero: c.optionalTensor(2), wZero: c.optionalTensor(5), bias: c.optionalTensor(8))
        let yZero = try c.optionalTensor(7)
        let dtype = yZero?.dtype ?? x.dtype
        let bounds = try range(of: dtype, c: c)
        let xScale = try Numbers(c.tensor(1)).doubles, wScale = try Numbers(c.tensor(4)).doubles, yScale = try Numbers(c.tensor(6)).doubles
        let m = shape[1]
        guard xScale.count == 1, yScale.count == 1, wScale.count == 1 || wScale.count == m else {
            throw c.fail("x_scale and y_scale must be scalars and w_scale a scalar or per output channel")
        }
        let multipliers = wScale.map { Double(Float(xScale[0]) * Float($0) / Float(yScale[0])) }
        let zero = try yZero.map { try scalar($0, name: "y_zero_point", c) } ?? 0
        let plane = shape[2...].reduce(1, *)
        let out = values.enumerated().map { i, v in
            let channel = (i / max(plane, 1)) % m
            return saturate((Double(v) * multipliers[multipliers.count == 1 ? 0 : channel] + zero).rounded(.toNearestOrEven), bounds)
        }
        return [.tensor(try Numbers.int(out).tensor(shape: shape, dtype: dtype))]
    }

    static let definitions: [OperatorDefinition] = [
        OperatorDefinition("QuantizeLinear", since: 10) { c in try quantizeLinear(c) },
        OperatorDefinition("DequantizeLinear", since: 10) { c in try dequantizeLinear(c) },
        OperatorDefinition("DynamicQuantizeLinear", since: 11) { c in try dynamicQuantizeLinear(c) },
        OperatorDefinition("MatMulInteger", since: 10, prepare: { c in try prepareRight(c, right: 1, zero: 3) }) { c in try matMulInteger(c) },
        OperatorDefinition("QLinearMatMul", since: 10, prepare: { c in try prepareRight(c, right: 3, zero: 5) }) { c in try qlinearMatMul(c) },
        OperatorDefinition("ConvInteger", since: 10) { c in try convInteger(c) },
        OperatorDefinition("QLinearConv", since: 10) { c in try qlinearConv(c) },
    ]
}
