/// Matrix products for every numeric dtype: f32 through the GEMM kernels, others in Double or
/// Int64 with ONNX's 1-D promotion rules.
enum LinearAlgebra {
    static func matmul(_ a: Tensor, _ b: Tensor, options: ExecutionOptions) throws -> Tensor {
        let left = a.rank == 1 ? try a.reshaped([1, a.shape[0]]) : a
        let right = b.rank == 1 ? try b.reshaped([b.shape[0], 1]) : b
        var product: Tensor
        if a.dtype == .float32, b.dtype == .float32 {
            product = try left.matmul(right, options: options)
        } else {
            product = try generic(left, right)
        }
        if a.rank == 1 || b.rank == 1 {
            var shape = product.shape
            if b.rank == 1 { shape.removeLast() }
            if a.rank == 1 { shape.remove(at: shape.count - (b.rank == 1 ? 1 : 2)) }
            product = try product.reshaped(shape)
        }
        return product
    }

    static func generic(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        guard a.dtype == b.dtype else { throw TensorError(.dtypeMismatch, "MatMul inputs have dtypes \(a.dtype) and \(b.dtype)") }
        let m = a.shape[a.rank - 2], k = a.shape[a.rank - 1], n = b.shape[b.rank - 1]
        guard b.shape[b.rank - 2] == k else { throw TensorError(.shapeMismatch, "inner dimensions differ: \(a.shape) x \(b.shape)") }
        let batch = try Tensor.broadcastShape(Array(a.shape.dropLast(2)), Array(b.shape.dropLast(2)))
        let x = try Numbers(a.broadcast(to: batch + [m, k])), y = try Numbers(b.broadcast(to: batch + [k, n]))
        let batches = batch.reduce(1, *)
        switch (x, y) {
        case let (.int(p), .int(q)):
            var out = [Int64](repeating: 0, count: batches * m * n)
            for t in 0..<batches { for i in 0..<m { for l in 0..<k {
                let av = p[t * m * k + i * k + l]
                for j in 0..<n { out[t * m * n + i * n + j] &+= av &* q[t * k * n + l * n + j] }
            } } }
            return try Numbers.int(out).tensor(shape: batch + [m, n], dtype: a.dtype)
        default:
            let p = x.doubles, q = y.doubles
            var out = [Double](repeating: 0, count: batches * m * n)
            for t in 0..<batches { for i in 0..<m { for l in 0..<k {
                let av = p[t * m * k + i * k + l]
                for j in 0..<n { out[t * m * n + i * n + j] += av * q[t * k * n + l * n + j] }
            } } }
            return try Numbers.double(out).tensor(shape: batch + [m, n], dtype: a.dtype)
        }
    }
}
