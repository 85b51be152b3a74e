#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// f32 ops used by an MLP / transformer forward pass. Every reduction runs in a fixed order, so
// only GEMM depends on `ExecutionOptions`.
extension Tensor {
    func requireFloat32(_ operation: String) throws {
        guard dtype == .float32 else {
            throw TensorError(.unsupportedDType, "\(operation): only f32 is implemented, got \(dtype)")
        }
    }

    /// Pointer to element `position` (storage index) of an f32 tensor.
    var floatBase: UnsafeMutablePointer<Float> { storage.bytes.assumingMemoryBound(to: Float.self) }

    /// numpy broadcasting of two shapes.
    public static func broadcastShape(_ a: [Int], _ b: [Int]) throws -> [Int] {
        let rank = max(a.count, b.count)
        var result = [Int](repeating: 1, count: rank)
        for axis in 0..<rank {
            let x = axis < rank - a.count ? 1 : a[axis - (rank - a.count)]
            let y = axis < rank - b.count ? 1 : b[axis - (rank - b.count)]
            guard x == y || x == 1 || y == 1 else {
                throw TensorError(.shapeMismatch, "cannot broadcast shapes \(a) and \(b)")
            }
            result[axis] = x == 1 ? y : x
        }
        return result
    }

    func elementwise(_ other: Tensor, _ operation: String, _ body: (Float, Float) -> Float) throws -> Tensor {
        try requireFloat32(operation)
        try other.requireFloat32(operation)
        let shape = try Self.broadcastShape(self.shape, other.shape)
        let left = try broadcast(to: shape), right = try other.broadcast(to: shape)
        let result = try Tensor(zeros: shape, dtype: .float32)
        let out = result.floatBase, x = left.floatBase, y = right.floatBase
        if left.isContiguous, right.isContiguous {
            let xs = x + left.offset, ys = y + right.offset
            for index in 0..<result.count { out[index] = body(xs[index], ys[index]) }
        } else {
            for (index, (i, j)) in zip(left.storageIndices(), right.storageIndices()).enumerated() {
                out[index] = body(x[i], y[j])
            }
        }
        return withExtendedLifetime((left, right)) { result }
    }

    func map(_ operation: String, _ body: (Float) -> Float) throws -> Tensor {
        try requireFloat32(operation)
        let source = try contiguous()
        let result = try Tensor(zeros: shape, dtype: .float32)
        let out = result.floatBase, x = source.floatBase + source.offset
        for index in 0..<result.count { out[index] = body(x[index]) }
        return withExtendedLifetime(source) { result }
    }

    /// Elementwise sum with broadcasting.
    public func adding(_ other: Tensor) throws -> Tensor { try elementwise(other, "add") { $0 + $1 } }
    /// Elementwise difference with broadcasting.
    public func subtracting(_ other: Tensor) throws -> Tensor { try elementwise(other, "sub") { $0 - $1 } }
    /// Elementwise product with broadcasting.
    public func multiplying(_ other: Tensor) throws -> Tensor { try elementwise(other, "mul") { $0 * $1 } }
    /// Elementwise quotient with broadcasting.
    public func dividing(_ other: Tensor) throws -> Tensor { try elementwise(other, "div") { $0 / $1 } }

    /// `max(x, 0)` (NaN stays NaN).
    public func relu() throws -> Tensor { try map("relu") { $0 < 0 ? 0 : $0 } }

    /// Exact GELU: `0.5 x (1 + erf(x / sqrt 2))` (``Kernels/geluInPlace(_:count:)``).
    public func gelu() throws -> Tensor {
        let result = try map("gelu") { $0 }
        Kernels.geluInPlace(result.floatBase, count: result.count)
        return result
    }

    /// Softmax over the last axis, `exp(x - max)` normalised (no overflow for large inputs).
    public func softmax() throws -> Tensor {
        try requireFloat32("softmax")
        guard let width = shape.last, width > 0 else { return try contiguous(forceCopy: true) }
        let result = try contiguous(forceCopy: true)
        let data = result.floatBase
        for row in 0..<(result.count / width) {
            let x = data + row * width
            var maximum = -Float.infinity
            for i in 0..<width where x[i] > maximum { maximum = x[i] }
            if maximum == -.infinity { maximum = 0 } // all -inf row: exp gives 0s, sum 0 -> NaN, as numpy
            var sum: Float = 0
            for i in 0..<width {
                x[i] = expf(x[i] - maximum)
                sum += x[i]
            }
            for i in 0..<width { x[i] /= sum }
        }
        return result
    }

    /// Layer normalisation over the last axis: `(x - mean) / sqrt(var + epsilon) * scale + bias`,
    /// population variance; `scale`/`bias` have the last axis' size (nil = 1 and 0).
    public func layerNorm(scale: Tensor? = nil, bias: Tensor? = nil, epsilon: Float = 1e-5) throws -> Tensor {
        try requireFloat32("layerNorm")
        guard let width = shape.last, width > 0 else { return try contiguous(forceCopy: true) }
        func parameter(_ tensor: Tensor?, _ name: String) throws -> [Float]? {
            guard let tensor else { return nil }
            try tensor.requireFloat32("layerNorm")
            guard tensor.count == width else {
                throw TensorError(.shapeMismatch, "layerNorm: \(name) has shape \(tensor.shape), expected [\(width)]")
            }
            return try tensor.scalars(as: Float.self)
        }
        let gamma = try parameter(scale, "scale"), beta = try parameter(bias, "bias")
        let result = try contiguous(forceCopy: true)
        let data = result.floatBase
        for row in 0..<(result.count / width) {
            let x = data + row * width
            var sum: Float = 0
            for i in 0..<width { sum += x[i] }
            let mean = sum / Float(width)
            var squares: Float = 0
            for i in 0..<width { squares += (x[i] - mean) * (x[i] - mean) }
            let inverse = 1 / (squares / Float(width) + epsilon).squareRoot()
            for i in 0..<width {
                var y = (x[i] - mean) * inverse
                if let gamma { y *= gamma[i] }
                if let beta { y += beta[i] }
                x[i] = y
            }
        }
        return result
    }
}
