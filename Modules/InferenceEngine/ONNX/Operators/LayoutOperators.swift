/// EyeLike, Compress, ReverseSequence, DepthToSpace, SpaceToDepth.
enum LayoutOperators {
    static let definitions: [OperatorDefinition] = [
        OperatorDefinition("EyeLike", since: 9) { c in
            let x = try c.tensor(0)
            guard x.rank == 2 else { throw c.fail("input must be 2-D") }
            let k = c.int("k", default: 0)
            let dtype = try c.int("dtype").map { code -> DType in
                guard let d = ONNXElementType.dtype(for: code) else { throw c.fail("unsupported dtype \(ONNXElementType.name(of: code))") }
                return d
            } ?? x.dtype
            let rows = x.shape[0], cols = x.shape[1]
            var values = [Double](repeating: 0, count: rows * cols)
            for i in 0..<rows where i + k >= 0 && i + k < cols { values[i * cols + i + k] = 1 }
            return [.tensor(try Numbers.double(values).tensor(shape: x.shape, dtype: dtype))]
        },
        OperatorDefinition("Compress", since: 9) { c in
            let x = try c.tensor(0)
            guard case let .bool(condition) = try Numbers(c.tensor(1)) else { throw c.fail("condition must be bool") }
            if let raw = c.int("axis") {
                let axis = try c.axis(raw, rank: x.rank)
                let picks = condition.prefix(x.shape[axis]).enumerated().filter(\.element).map(\.offset)
                return [.tensor(try ShapeOperators.gather(x, axis: axis, indices: picks))]
            }
            let picks = condition.prefix(x.count).enumerated().filter(\.element).map(\.offset)
            return [.tensor(try ElementCopy.take(x, positions: picks, shape: [picks.count]))]
        },
        OperatorDefinition("ReverseSequence", since: 10) { c in
            let x = try c.tensor(0)
            let lengths = try CoreIndices.raw(c.tensor(1), c)
            let batchAxis = c.int("batch_axis", default: 1), timeAxis = c.int("time_axis", default: 0)
            let strides = Tensor.contiguousStrides(for: x.shape)
            let positions = (0..<x.count).map { flat -> Int in
                var rest = flat
                var index = [Int](repeating: 0, count: x.rank)
                for d in 0..<x.rank { index[d] = rest / strides[d]; rest %= strides[d] }
                let length = lengths[index[batchAxis]]
                if index[timeAxis] < length { index[timeAxis] = length - 1 - index[timeAxis] }
                return zip(index, strides).reduce(0) { $0 + $1.0 * $1.1 }
            }
            return [.tensor(try ElementCopy.take(x, positions: positions, shape: x.shape))]
        },
        OperatorDefinition("DepthToSpace") { c in
            let x = try c.tensor(0)
            guard x.rank == 4 else { throw c.fail("input must be NCHW") }
            let b = c.int("blocksize", default: 1), n = x.shape[0], ch = x.shape[1], h = x.shape[2], w = x.shape[3]
            guard b > 0, ch % (b * b) == 0 else { throw c.fail("channels \(ch) not divisible by blocksize^2") }
            let crd = c.string("mode", default: "DCR") == "CRD"
            let view = crd ? try x.contiguous().reshaped([n, ch / (b * b), b, b, h, w]).permuted([0, 1, 4, 2, 5, 3])
                : try x.contiguous().reshaped([n, b, b, ch / (b * b), h, w]).permuted([0, 3, 4, 1, 5, 2])
            return [.tensor(try view.contiguous().reshaped([n, ch / (b * b), h * b, w * b]))]
        },
        OperatorDefinition("SpaceToDepth") { c in
            let x = try c.tensor(0)
            guard x.rank == 4 else { throw c.fail("input must be NCHW") }
            let b = c.int("blocksize", default: 1), n = x.shape[0], ch = x.shape[1], h = x.shape[2], w = x.shape[3]
            guard b > 0, h % b == 0, w % b == 0 else { throw c.fail("spatial size not divisible by blocksize") }
            let crd = c.string("mode", default: "DCR") == "CRD"
            let view = try x.contiguous().reshaped([n, ch, h / b, b, w / b, b]).permuted(crd ? [0, 1, 3, 5, 2, 4] : [0, 3, 5, 1, 2, 4])
            return [.tensor(try view.contiguous().reshaped([n, ch * b * b, h / b, w / b]))]
        },
    ]
}
