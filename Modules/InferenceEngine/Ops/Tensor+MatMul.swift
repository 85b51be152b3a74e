extension Tensor {
    /// How a 2-D strided view is handed to GEMM: row-major (`transposed == false`) or as the
    /// transpose of a row-major matrix, with its leading dimension. nil: needs a copy.
    static func gemmLayout(rows: Int, cols: Int, rowStride: Int, colStride: Int) -> (transposed: Bool, leading: Int)? {
        if colStride == 1 || cols == 1 {
            if rows == 1 { return (false, max(cols, 1)) }
            if rowStride >= max(cols, 1) { return (false, rowStride) }
        }
        if rowStride == 1 || rows == 1 {
            if cols == 1 { return (true, max(rows, 1)) }
            if colStride >= max(rows, 1) { return (true, colStride) }
        }
        return nil
    }

    /// Matrix product over the last two axes (`[..., m, k] x [..., k, n] -> [..., m, n]`), batch
    /// axes broadcast as in numpy. Transposed views are read in place (no copy).
    public func matmul(_ other: Tensor, options: ExecutionOptions = .default) throws -> Tensor {
        try requireFloat32("matmul")
        try other.requireFloat32("matmul")
        guard rank >= 2, other.rank >= 2 else {
            throw TensorError(.invalidShape, "matmul: both operands need at least 2 axes, got \(shape) and \(other.shape)")
        }
        let m = shape[rank - 2], k = shape[rank - 1], n = other.shape[other.rank - 1]
        guard other.shape[other.rank - 2] == k else {
            throw TensorError(.shapeMismatch, "matmul: inner dimensions differ: \(shape) x \(other.shape)")
        }
        // [..., m, k] x [k, n] with a contiguous left side (activations times weights): the
        // leading axes are just more rows, so one GEMM of (batch * m) rows does it all.
        if other.rank == 2, isContiguous, rank >= 2,
           let (transposeB, ldb) = Self.gemmLayout(rows: k, cols: n, rowStride: other.strides[0], colStride: other.strides[1]) {
            let rows = count / max(k, 1)
            let result = try Tensor(uninitialized: Array(shape.dropLast()) + [n], dtype: .float32)
            guard rows > 0, n > 0 else { return result }
            try Kernels.sgemm(
                transposeA: false, transposeB: transposeB, m: rows, n: n, k: k,
                a: floatBase + offset, lda: max(k, 1), b: other.floatBase + other.offset, ldb: ldb,
                c: result.floatBase, ldc: n, backend: options.effectiveGEMMBackend, threads: options.threads)
            return withExtendedLifetime((self, other)) { result }
        }
        let batch = try Self.broadcastShape(Array(shape.dropLast(2)), Array(other.shape.dropLast(2)))
        var left = try broadcast(to: batch + [m, k])
        var right = try other.broadcast(to: batch + [k, n])
        func layout(_ t: inout Tensor) throws -> (transposed: Bool, leading: Int) {
            let r = t.rank
            if let found = Self.gemmLayout(rows: t.shape[r - 2], cols: t.shape[r - 1], rowStride: t.strides[r - 2], colStride: t.strides[r - 1]) {
                return found
            }
            t = try t.contiguous().broadcast(to: t.shape)
            return (false, max(t.shape[r - 1], 1))
        }
        let (transposeA, lda) = try layout(&left)
        let (transposeB, ldb) = try layout(&right)
        // sgemm with beta 0 writes every element of C, so only an empty inner dimension needs zeros.
        let result = k == 0 ? try Tensor(zeros: batch + [m, n], dtype: .float32) : try Tensor(uninitialized: batch + [m, n], dtype: .float32)
        guard m > 0, n > 0 else { return result }

        func batchOffsets(_ t: Tensor) -> [Int] {
            Tensor(dtype: t.dtype, shape: batch, strides: Array(t.strides.dropLast(2)), offset: t.offset, storage: t.storage)
                .storageIndices()
        }
        let offsetsA = batchOffsets(left), offsetsB = batchOffsets(right)
        let backend = options.effectiveGEMMBackend
        for index in 0..<offsetsA.count {
            try Kernels.sgemm(
                transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                a: left.floatBase + offsetsA[index], lda: lda, b: right.floatBase + offsetsB[index], ldb: ldb,
                c: result.floatBase + index * m * n, ldc: n, backend: backend, threads: options.threads)
        }
        return withExtendedLifetime((left, right)) { result }
    }
}
