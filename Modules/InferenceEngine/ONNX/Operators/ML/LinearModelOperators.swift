/// LinearClassifier and LinearRegressor, with onnxruntime's binary-class conventions.
enum LinearModelOperators {
    /// `X * W^T + b` for `targets` rows of coefficients.
    static func scores(_ x: MLFeatures, coefficients: [Double], intercepts: [Double], targets: Int, c: OperatorContext) throws -> [Double] {
        guard coefficients.count == targets * x.width else {
            throw c.fail("coefficients has \(coefficients.count) values, expected \(targets) targets x \(x.width) features")
        }
        guard intercepts.isEmpty || intercepts.count == targets else { throw c.fail("intercepts must have \(targets) values") }
        var out = [Double](repeating: 0, count: x.rows * targets)
        for n in 0..<x.rows {
            let row = x.row(n)
            for t in 0..<targets {
                var sum = intercepts.isEmpty ? 0 : intercepts[t]
                var k = 0
                for v in row { sum += v * coefficients[t * x.width + k]; k += 1 }
                out[n * targets + t] = sum
            }
        }
        return out
    }

    static func classifier(_ c: OperatorContext) throws -> [ONNXValue?] {
        let x = try MLFeatures(c.tensor(0), c)
        let coefficients = try c.mlDoubles("coefficients") ?? []
        let intercepts = try c.mlDoubles("intercepts") ?? []
        let intLabels = c.ints("classlabels_ints") ?? [], stringLabels = c.strings("classlabels_strings") ?? []
        let useStrings = !stringLabels.isEmpty
        let labelCount = useStrings ? stringLabels.count : intLabels.count
        guard x.width > 0 || x.rows == 0 else { throw c.fail("input has no features") }
        let targets = !intercepts.isEmpty ? intercepts.count : (x.width > 0 ? coefficients.count / x.width : 0)
        guard targets > 0 else { throw c.fail("no coefficients") }
        let raw = try scores(x, coefficients: coefficients, intercepts: intercepts, targets: targets, c: c)
        let transform = try MLPostTransform.from(c)
        let addSecondClass = targets == 1 && labelCount == 2
        var labels = [Int]()  // index into the labels; -1/-2 are the literal 0/1 onnxruntime writes
        var out = [Double]()
        for n in 0..<x.rows {
            var row = Array(raw[(n * targets)..<((n + 1) * targets)])
            if targets == 1 {
                labels.append(row[0] > 0 ? (labelCount == 2 ? 1 : -2) : (labelCount == 2 ? 0 : -1))
                if transform == .probit {
                    // onnxruntime leaves the second column of a binary PROBIT unwritten (its rows come
                    // out misaligned); this writes 0 there
                    row = addSecondClass ? [MLPostTransform.probit(row[0]), 0] : [MLPostTransform.probit(row[0])]
                } else if addSecondClass {
                    row = transform.expandBinary(row[0], .complement)
                }
            } else {
                var best = 0
                for k in 1..<targets where row[k] > row[best] { best = k }
                guard best < labelCount else { throw c.fail("class index \(best) has no label") }
                labels.append(best)
                transform.apply(&row)
            }
            out.append(contentsOf: row)
        }
        let labelTensor: Tensor
        if useStrings {
            labelTensor = try Tensor(shape: [x.rows], strings: labels.map { $0 >= 0 ? stringLabels[$0] : ($0 == -2 ? "1" : "0") })
        } else {
            labelTensor = try Tensor(shape: [x.rows], scalars: labels.map { Int64($0 >= 0 ? intLabels[$0] : ($0 == -2 ? 1 : 0)) })
        }
        return [.tensor(labelTensor), .tensor(try c.scoreTensor(out, rows: x.rows, columns: addSecondClass ? 2 : targets))]
    }

    static func regressor(_ c: OperatorContext) throws -> [ONNXValue?] {
        let x = try MLFeatures(c.tensor(0), c)
        let targets = c.int("targets", default: 1)
        guard targets > 0 else { throw c.fail("targets must be positive") }
        var out = try scores(x, coefficients: try c.mlDoubles("coefficients") ?? [], intercepts: try c.mlDoubles("intercepts") ?? [], targets: targets, c: c)
        let transform = try MLPostTransform.from(c)
        if targets > 1 {
            for n in 0..<x.rows {
                var row = Array(out[(n * targets)..<((n + 1) * targets)])
                transform.apply(&row)
                out.replaceSubrange((n * targets)..<((n + 1) * targets), with: row)
            }
        } else if transform == .probit {
            out = out.map(MLPostTransform.probit)
        }
        return [.tensor(try c.scoreTensor(out, rows: x.rows, columns: targets))]
    }

    static let definitions: [OperatorDefinition] = [
        OperatorDefinition("LinearClassifier", domain: "ai.onnx.ml", prepare: MLAttributeCache.prepare) { c in try classifier(c) },
        OperatorDefinition("LinearRegressor", domain: "ai.onnx.ml", prepare: MLAttributeCache.prepare) { c in try regressor(c) },
    ]
}
