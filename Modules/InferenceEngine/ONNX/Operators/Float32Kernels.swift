import Foundation

/// Pointer-level f32 paths for the operators that dominate real models. Each returns nil when its
/// preconditions (f32, contiguous, a supported broadcast pattern) do not hold, and the caller falls
/// back to the general path in ``Numbers``. Arithmetic is f32 throughout with a fixed order per
/// element, so results do not depend on thread count (determinism mode holds).
enum Float32Kernels {
    @inline(__always)
    static func pointer(_ t: Tensor) -> UnsafeMutablePointer<Float> {
        t.storage.bytes.assumingMemoryBound(to: Float.self) + t.offset
    }

    /// Copies `count` floats eight at a time (short rows: cheaper than a memmove call, and the
    /// compiler cannot prove two `UnsafeMutablePointer`s disjoint to vectorise a plain loop).
    @inline(__always)
    static func copy(_ destination: UnsafeMutablePointer<Float>, from source: UnsafePointer<Float>, count: Int) {
        var i = 0
        while i + 8 <= count {
            UnsafeMutableRawPointer(destination + i).storeBytes(of: UnsafeRawPointer(source + i).loadUnaligned(as: SIMD8<Float>.self), as: SIMD8<Float>.self)
            i += 8
        }
        while i < count { destination[i] = source[i]; i += 1 }
    }

    /// Sets `count` floats to `value`, eight at a time.
    @inline(__always)
    static func fill(_ destination: UnsafeMutablePointer<Float>, with value: Float, count: Int) {
        var i = 0
        let splat = SIMD8<Float>(repeating: value)
        while i + 8 <= count {
            UnsafeMutableRawPointer(destination + i).storeBytes(of: splat, as: SIMD8<Float>.self)
            i += 8
        }
        while i < count { destination[i] = value; i += 1 }
    }

    /// `a op b` for f32 when shapes are equal, or one side is a scalar, or one side broadcasts
    /// along leading axes only (a bias row repeated over the other's rows).
    static func binary(_ a: Tensor, _ b: Tensor, op: Broadcasting.BinaryOp) throws -> Tensor? {
        guard a.dtype == .float32, b.dtype == .float32, a.isContiguous, b.isContiguous else { return nil }
        // One specialised loop per operator (a closure variable would cost a call per element).
        switch op {
        case .add: return try binary(a, b) { $0 + $1 }
        case .sub: return try binary(a, b) { $0 - $1 }
        case .mul: return try binary(a, b) { $0 * $1 }
        case .div: return try binary(a, b) { $0 / $1 }
        default: return nil
        }
    }

    @inline(__always)
    private static func binary(_ a: Tensor, _ b: Tensor, _ f: (Float, Float) -> Float) throws -> Tensor? {
        let x = pointer(a), y = pointer(b)
        if a.shape == b.shape {
            let out = try Tensor(uninitializedLike: a, dtype: .float32)
            let o = pointer(out)
            for i in 0..<a.count { o[i] = f(x[i], y[i]) }
            return out
        }
        let shape = try Tensor.broadcastShape(a.shape, b.shape)
        let count = shape.reduce(1, *)
        // A trailing-suffix broadcast: the smaller operand's shape equals the output's last axes.
        func isSuffix(_ small: [Int]) -> Bool {
            let trimmed = small.drop { $0 == 1 }
            return trimmed.count <= shape.count && shape.suffix(trimmed.count).elementsEqual(trimmed)
        }
        if b.count == 1 || (a.count == count && isSuffix(b.shape)) {
            let out = a.shape == shape ? try Tensor(uninitializedLike: a, dtype: .float32) : try Tensor(uninitialized: shape, dtype: .float32)
            let o = pointer(out)
            let n = max(b.count, 1)
            if b.count == 1 { let v = y[0]; for i in 0..<count { o[i] = f(x[i], v) } }
            else { for r in 0..<(count / n) { let base = r * n; for j in 0..<n { o[base + j] = f(x[base + j], y[j]) } } }
            return out
        }
        if a.count == 1 || (b.count == count && isSuffix(a.shape)) {
            let out = try Tensor(uninitialized: shape, dtype: .float32)
            let o = pointer(out)
            let n = max(a.count, 1)
            if a.count == 1 { let v = x[0]; for i in 0..<count { o[i] = f(v, y[i]) } }
            else { for r in 0..<(count / n) { let base = r * n; for j in 0..<n { o[base + j] = f(x[j], y[base + j]) } } }
            return out
        }
        return nil
    }

    /// Elementwise f32 map without intermediate arrays. Inlined so that a closure literal at the
    /// call site becomes the loop body.
    @inline(__always)
    static func map(_ t: Tensor, _ f: (Float) -> Float) throws -> Tensor? {
        guard t.dtype == .float32, t.isContiguous else { return nil }
        let out = try Tensor(uninitializedLike: t, dtype: .float32)
        let x = pointer(t), o = pointer(out)
        for i in 0..<t.count { o[i] = f(x[i]) }
        return out
    }

    /// `max(x, 0)` (Relu), vectorisable: NaN stays NaN as in the general path.
    static func relu(_ t: Tensor) throws -> Tensor? {
        try map(t) { $0 < 0 ? 0 : $0 }
    }

    /// Softmax / log-softmax over contiguous rows of `size` (the last axes).
    static func softmax(_ t: Tensor, rowSize size: Int, log: Bool) throws -> Tensor? {
        guard t.dtype == .float32, t.isContiguous, size > 0 else { return nil }
        let out = try Tensor(uninitializedLike: t, dtype: .float32)
        let x = pointer(t), o = pointer(out)
        for r in 0..<(t.count / size) {
            let row = x + r * size, dst = o + r * size
            let (sum, maximum) = exponentials(of: row, into: dst, size)
            if log {
                let offset = maximum + Foundation.log(sum)
                for k in 0..<size { dst[k] = row[k] - offset }
            } else {
                let inverse = 1 / sum
                for k in 0..<size { dst[k] *= inverse }
            }
        }
        return out
    }

    /// `dst[k] = exp(row[k] - max(row))` (`dst` may be `row`) through the vector exp, and their sum
    /// in the fixed 16-lane order of ``sum(_:_:_:_:)``, with the row's maximum.
    @inline(__always)
    static func exponentials(of row: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, _ size: Int) -> (sum: Float, maximum: Float) {
        var maximum = -Float.infinity
        for k in 0..<size where row[k] > maximum { maximum = row[k] }
        for k in 0..<size { dst[k] = row[k] - maximum }
        Kernels.expInPlace(dst, count: size)
        return (sum(dst, size, { $0 }, { $0 }), maximum)
    }

    /// Softmax over contiguous rows of `rowSize`, in place: the arithmetic of ``softmax(_:rowSize:log:)``.
    static func softmaxInPlace(_ x: UnsafeMutablePointer<Float>, count: Int, rowSize size: Int) {
        guard size > 0 else { return }
        for r in 0..<(count / size) {
            let row = x + r * size
            let sum = exponentials(of: row, into: row, size).sum
            let inverse = 1 / sum
            for k in 0..<size { row[k] *= inverse }
        }
    }

    /// `Σ f(row[k])` in a fixed order on every machine: 16 lane sums over 16-element chunks, the
    /// lanes added in order, then the tail. Sixteen independent additions per step instead of one
    /// dependent chain (a row of a few hundred values was latency-bound on the chain).
    @inline(__always)
    static func sum(_ row: UnsafePointer<Float>, _ size: Int, _ f: (SIMD16<Float>) -> SIMD16<Float>, _ g: (Float) -> Float) -> Float {
        var lanes = SIMD16<Float>()
        var k = 0
        while k + 16 <= size {
            lanes += f(UnsafeRawPointer(row + k).loadUnaligned(as: SIMD16<Float>.self))
            k += 16
        }
        var total: Float = 0
        for i in 0..<16 { total += lanes[i] }
        while k < size { total += g(row[k]); k += 1 }
        return total
    }

    @inline(__always)
    static func sum(_ row: UnsafePointer<Float>, _ size: Int, _ f: (SIMD16<Float>) -> SIMD16<Float>) -> Float {
        sum(row, size, f) { f(SIMD16(repeating: $0))[0] }
    }

    /// Layer normalization over contiguous rows of `size` with per-position scale and bias.
    static func layerNorm(_ t: Tensor, rowSize size: Int, scale: Tensor, bias: Tensor?, epsilon: Float) throws -> Tensor? {
        guard t.dtype == .float32, t.isContiguous, scale.dtype == .float32, scale.isContiguous, scale.count == size,
              bias.map({ $0.dtype == .float32 && $0.isContiguous && $0.count == size }) ?? true, size > 0 else { return nil }
        let out = try Tensor(uninitializedLike: t, dtype: .float32)
        let x = pointer(t), o = pointer(out), s = pointer(scale)
        let b = bias.map(pointer)
        for r in 0..<(t.count / size) {
            let row = x + r * size, dst = o + r * size
            let mean = sum(row, size) { $0 } / Float(size)
            let variance = sum(row, size) { ($0 - mean) * ($0 - mean) } / Float(size)
            let inverse = 1 / (variance + epsilon).squareRoot()
            if let b { for k in 0..<size { dst[k] = (row[k] - mean) * inverse * s[k] + b[k] } }
            else { for k in 0..<size { dst[k] = (row[k] - mean) * inverse * s[k] } }
        }
        return out
    }

    /// Per-channel affine `x * a[c] + b[c]` over NC... layout (BatchNormalization at inference).
    static func channelAffine(_ t: Tensor, scale: [Float], shift: [Float]) throws -> Tensor? {
        guard t.dtype == .float32, t.isContiguous, t.rank >= 2 else { return nil }
        let channels = t.shape[1], inner = t.shape[2...].reduce(1, *)
        let out = try Tensor(uninitializedLike: t, dtype: .float32)
        let x = pointer(t), o = pointer(out)
        for plane in 0..<(t.shape[0] * channels) {
            let a = scale[plane % channels], c = shift[plane % channels]
            let base = plane * inner
            for i in 0..<inner { o[base + i] = x[base + i] * a + c }
        }
        return out
    }
}
