import Foundation

/// MeanVarianceNormalization and LRN.
enum NormalizationOperators {
    static let definitions: [OperatorDefinition] = [
        OperatorDefinition("MeanVarianceNormalization", since: 9) { c in
            let x = try c.tensor(0)
            let axes = try Set((c.ints("axes") ?? [0, 2, 3]).map { try c.axis($0, rank: x.rank) })
            let (map, outShape) = ReductionOperators.outputMap(shape: x.shape, reduced: axes)
            let groups = outShape.reduce(1, *)
            let values = try Numbers(x).doubles
            var sum = [Double](repeating: 0, count: groups), squares = [Double](repeating: 0, count: groups)
            for (i, v) in values.enumerated() { sum[map[i]] += v; squares[map[i]] += v * v }
            let n = Double(values.count / max(groups, 1))
            let out = values.enumerated().map { i, v -> Double in
                let mean = sum[map[i]] / n
                let variance = squares[map[i]] / n - mean * mean
                return (v - mean) / (variance.squareRoot() + 1e-9)
            }
            return [.tensor(try Numbers.double(out).tensor(shape: x.shape, dtype: x.dtype))]
        },
        OperatorDefinition("LRN") { c in
            let x = try c.tensor(0)
            guard x.rank >= 3 else { throw c.fail("input must be N x C x ...") }
            let size = c.int("size", default: 1)
            let alpha = Double(c.float("alpha", default: 0.0001)), beta = Double(c.float("beta", default: 0.75)), bias = Double(c.float("bias", default: 1))
            let channels = x.shape[1], inner = x.shape[2...].reduce(1, *)
            let values = try Numbers(x).doubles
            var out = values
            let low = (size - 1) / 2, high = size - 1 - low
            for n in 0..<x.shape[0] { for ch in 0..<channels { for i in 0..<inner {
                var sum = 0.0
                for k in max(0, ch - low)...min(channels - 1, ch + high) { let v = values[(n * channels + k) * inner + i]; sum += v * v }
                let p = (n * channels + ch) * inner + i
                out[p] = values[p] / Foundation.pow(bias + alpha / Double(size) * sum, beta)
            } } }
            return [.tensor(try Numbers.double(out).tensor(shape: x.shape, dtype: x.dtype))]
        },
    ]
}
