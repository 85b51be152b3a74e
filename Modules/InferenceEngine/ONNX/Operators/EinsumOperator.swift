import Foundation

/// `Einsum`: any equation (explicit or implicit output, repeated labels for diagonals, `...`
/// broadcasting), evaluated by iterating output and summed label spaces. f32 contractions that
/// are plain matrix products reach the GEMM kernels through `MatMul` in exported graphs; this
/// operator favours generality.
enum EinsumOperator {
    static func run(_ c: OperatorContext) throws -> [ONNXValue?] {
        guard let equation = c.string("equation") else { throw c.fail("equation is required") }
        let inputs = try (0..<c.inputCount).map { try c.tensor($0) }
        let text = equation.replacingOccurrences(of: " ", with: "")
        let sides = text.components(separatedBy: "->")
        let terms = sides[0].components(separatedBy: ",")
        guard terms.count == inputs.count else { throw c.fail("equation has \(terms.count) operands, node has \(inputs.count) inputs") }

        // Labels per input, with "..." expanded to synthetic labels (digits) right-aligned.
        var ellipsisRank = 0
        var explicitCounts = [Int]()
        for (term, input) in zip(terms, inputs) {
            let letters = term.replacingOccurrences(of: "...", with: "").count
            explicitCounts.append(letters)
            if term.contains("...") { ellipsisRank = max(ellipsisRank, input.rank - letters) }
        }
        let ellipsisLabels = (0..<ellipsisRank).map { Character(UnicodeScalar(0x2460 + $0)!) }
        func expand(_ term: String, rank: Int) throws -> [Character] {
            guard term.contains("...") else {
                guard term.count == rank else { throw c.fail("term \(term) has \(term.count) labels for rank \(rank)") }
                return Array(term)
            }
            let parts = term.components(separatedBy: "...")
            let covered = rank - (parts[0].count + parts[1].count)
            guard covered >= 0 else { throw c.fail("term \(term) does not fit rank \(rank)") }
            return Array(parts[0]) + Array(ellipsisLabels.suffix(covered)) + Array(parts[1])
        }
        let labels = try zip(terms, inputs).map { try expand($0, rank: $1.rank) }
        var sizes = [Character: Int]()
        for (labelList, input) in zip(labels, inputs) {
            for (axis, label) in labelList.enumerated() {
                let size = input.shape[axis]
                if let known = sizes[label], known != size {
                    if known == 1 { sizes[label] = size } else if size != 1 {
                        throw c.fail("label \(label) has sizes \(known) and \(size)")
                    }
                } else if sizes[label] == nil {
                    sizes[label] = size
                }
            }
        }
        let outputLabels: [Character]
        if sides.count > 1 {
            outputLabels = sides[1].contains("...")
                ? Array(sides[1].components(separatedBy: "...")[0]) + ellipsisLabels + Array(sides[1].components(separatedBy: "...")[1])
                : Array(sides[1])
        } else {
            var counts = [Character: Int]()
            for list in labels { for l in list where !ellipsisLabels.contains(l) { counts[l, default: 0] += 1 } }
            outputLabels = ellipsisLabels + counts.filter { $0.value == 1 }.map(\.key).sorted()
        }
        for label in outputLabels where sizes[label] == nil { throw c.fail("output label \(label) is not in any input") }
        let summed = sizes.keys.filter { !outputLabels.contains($0) }.sorted()
        let order = outputLabels + summed
        let position = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        // Stride of each label (in order) per input; a broadcast axis of size 1 contributes 0.
        var strides = [[Int]](repeating: [Int](repeating: 0, count: order.count), count: inputs.count)
        for (i, input) in inputs.enumerated() {
            let contiguous = Tensor.contiguousStrides(for: input.shape)
            for (axis, label) in labels[i].enumerated() where input.shape[axis] != 1 || sizes[label] == 1 {
                strides[i][position[label]!] += contiguous[axis]
            }
        }
        let values = try inputs.map { try Numbers($0).doubles }
        let dims = order.map { sizes[$0]! }
        let outShape = outputLabels.map { sizes[$0]! }
        let outCount = outShape.reduce(1, *), sumCount = summed.map { sizes[$0]! }.reduce(1, *)
        var out = [Double](repeating: 0, count: outCount)
        var index = [Int](repeating: 0, count: order.count)
        let outRank = outputLabels.count
        for o in 0..<outCount {
            var rest = o
            for d in stride(from: outRank - 1, through: 0, by: -1) { index[d] = rest % dims[d]; rest /= dims[d] }
            var total = 0.0
            for s in 0..<sumCount {
                var r = s
                for d in stride(from: order.count - 1, through: outRank, by: -1) { index[d] = r % dims[d]; r /= dims[d] }
                var product = 1.0
                for i in 0..<inputs.count {
                    var p = 0
                    for d in 0..<order.count { p += index[d] * strides[i][d] }
                    product *= values[i][p]
                }
                total += product
            }
            out[o] = total
        }
        let dtype = inputs[0].dtype
        if !dtype.isFloatingPoint { return [.tensor(try Numbers.int(out.map { Int64($0) }).tensor(shape: outShape, dtype: dtype))] }
        return [.tensor(try Numbers.double(out).tensor(shape: outShape, dtype: dtype))]
    }

    static let definitions: [OperatorDefinition] = [OperatorDefinition("Einsum", since: 12) { c in try run(c) }]
}
