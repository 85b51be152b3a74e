/// TreeEnsembleRegressor, TreeEnsembleClassifier (ml opsets 1-3) and TreeEnsemble (ml opset 5),
/// with onnxruntime's aggregation, base-value and binary-class conventions.
enum TreeEnsembleOperators {
    /// Bound on attribute-given output widths, so a corrupt model cannot ask for a huge allocation.
    static let maxTargets = 1 << 20

    static func aggregate(named name: String, fail: (String) -> ONNXError) throws -> TreeEnsembleModel.Aggregate {
        switch name {
        case "SUM": .sum
        case "AVERAGE": .average
        case "MIN": .min
        case "MAX": .max
        default: throw fail("unknown aggregate_function \"\(name)\"")
        }
    }

    /// Base values join the aggregated scores only when there is one per target (onnxruntime
    /// ignores a mismatched list, except that a single value offsets a single target).
    static func regress(_ model: TreeEnsembleModel, x: MLFeatures, targets: Int, aggregate: TreeEnsembleModel.Aggregate,
                        base: [Double], transform: MLPostTransform, singlePrecision: Bool) -> [Double] {
        @inline(__always) func round(_ v: Double) -> Double { singlePrecision ? Double(Float(v)) : v }
        var out = [Double]()
        out.reserveCapacity(x.rows * targets)
        var scores = [Double](repeating: 0, count: targets), touched = [Bool](repeating: false, count: targets)
        for n in 0..<x.rows {
            model.scores(row: x.row(n), targets: targets, aggregate: aggregate, singlePrecision: singlePrecision, into: &scores, touched: &touched)
            if base.count == targets || (targets == 1 && base.count == 1) {
                for t in 0..<targets { scores[t] = round(scores[t] + base[t]) }
            }
            if targets >= 2 {
                transform.apply(&scores)
            } else if targets == 1, transform == .probit {
                scores[0] = MLPostTransform.probit(scores[0])
            }
            out.append(contentsOf: scores)
        }
        return out
    }

    static func regressor(_ c: OperatorContext) throws -> [ONNXValue?] {
        let x = try MLFeatures(c.tensor(0), c)
        let model = try (c.prepared as? TreeEnsembleModel) ?? TreeEnsembleModel(legacy: c, prefix: "target")
        let targets = c.int("n_targets", default: 1)
        guard targets > 0, targets <= maxTargets else { throw c.fail("n_targets must be in 1...\(maxTargets), got \(targets)") }
        let out = regress(model, x: x, targets: targets, aggregate: try aggregate(named: c.string("aggregate_function", default: "SUM"), fail: c.fail),
                          base: try c.mlDoubles("base_values") ?? [], transform: try MLPostTransform.from(c),
                          singlePrecision: try c.tensor(0).dtype != .float64)
        return [.tensor(try c.scoreTensor(out, rows: x.rows, columns: targets))]
    }

    static func ensemble(_ c: OperatorContext) throws -> [ONNXValue?] {
        let input = try c.tensor(0)
        let x = try MLFeatures(input, c)
        let model = try (c.prepared as? TreeEnsembleModel) ?? TreeEnsembleModel(v5: c)
        guard let targets = c.int("n_targets"), targets > 0, targets <= maxTargets else { throw c.fail("n_targets must be in 1...\(maxTargets)") }
        let codes: [TreeEnsembleModel.Aggregate] = [.average, .sum, .min, .max]
        let code = c.int("aggregate_function", default: 1)
        guard codes.indices.contains(code) else { throw c.fail("unknown aggregate_function \(code)") }
        let out = regress(model, x: x, targets: targets, aggregate: codes[code], base: [],
                          transform: try MLPostTransform(code: c.int("post_transform", default: 0), fail: c.fail),
                          singlePrecision: input.dtype != .float64)
        let dtype: DType = input.dtype.isFloatingPoint ? input.dtype : .float32
        return [.tensor(try Numbers.double(out).tensor(shape: [x.rows, targets], dtype: dtype))]
    }

    /// What TreeEnsembleClassifier reads from its attributes besides the trees, read once at plan
    /// time (at batch 1, re-reading the class weights and ids cost more than walking the trees).
    final class ClassifierSetup: Sendable {
        let model: TreeEnsembleModel
        let intLabels: [Int], stringLabels: [String]
        let base: [Double]
        let transform: MLPostTransform
        /// Two classes whose leaves all score one class id (onnxruntime's binary case).
        let binaryCase: Bool
        let allPositive: Bool

        init(_ c: OperatorContext) throws {
            model = try TreeEnsembleModel(legacy: c, prefix: "class")
            let intLabels = c.ints("classlabels_int64s") ?? [], stringLabels = c.strings("classlabels_strings") ?? []
            self.intLabels = intLabels
            self.stringLabels = stringLabels
            base = try c.mlDoubles("base_values") ?? []
            transform = try MLPostTransform.from(c)
            let classes = intLabels.isEmpty ? stringLabels.count : intLabels.count
            binaryCase = classes == 2 && Set(c.ints("class_ids") ?? []).count == 1
            allPositive = try (c.mlDoubles("class_weights") ?? []).allSatisfy { $0 >= 0 }
        }
    }

    static func classifier(_ c: OperatorContext) throws -> [ONNXValue?] {
        let input = try c.tensor(0)
        let x = try MLFeatures(input, c)
        let single = input.dtype != .float64
        @inline(__always) func round(_ v: Double) -> Double { single ? Double(Float(v)) : v }
        let setup = try (c.prepared as? ClassifierSetup) ?? ClassifierSetup(c)
        let model = setup.model, intLabels = setup.intLabels, stringLabels = setup.stringLabels
        let useStrings = intLabels.isEmpty
        let classes = useStrings ? stringLabels.count : intLabels.count
        guard classes > 0 else { throw c.fail("classlabels_int64s or classlabels_strings is required") }
        let base = setup.base, transform = setup.transform, binaryCase = setup.binaryCase, allPositive = setup.allPositive

        var labelIndices = [Int]()  // index into the labels, or -1/-2 for the literal 0/1 onnxruntime writes
        var scores = [Double]()
        var columns = classes
        // Per-row buffers reused across the batch (the binary case below may resize `p`).
        var p = [Double](repeating: 0, count: classes), has = [Bool](repeating: false, count: classes)
        for n in 0..<x.rows {
            if p.count != classes { p = [Double](repeating: 0, count: classes) }
            model.scores(row: x.row(n), targets: classes, aggregate: .sum, singlePrecision: single, into: &p, touched: &has)
            var label: Int
            var second = MLPostTransform.SecondClass.none
            if classes > 2 {
                for k in 0..<min(base.count, classes) { p[k] = round(p[k] + base[k]); has[k] = true }
                var best = -1
                for k in 0..<classes where has[k] && (best == -1 || p[k] > p[best]) { best = k }
                label = max(best, 0)
                transform.apply(&p)
            } else if classes == 2 {
                if base.count == 2 {
                    if has[1] {
                        // onnxruntime keeps only base_values[1] here and mirrors class 0 (which it
                        // then writes as 0 unless a leaf scored it).
                        p[1] = round(base[1] + p[0])
                        p[0] = -p[1]
                    } else {
                        p[1] = round(p[1] + base[1])
                        p[0] = round(p[0] + base[0])
                    }
                } else if base.count == 1 {
                    p[0] = round(p[0] + base[0])
                    if !has[1] { p.removeLast() }
                } else if base.isEmpty {
                    second = .negation
                    if !has[1] { p.removeLast() }
                }
                let positive = p.count == 2 && has[1] ? p[1] : (has[0] ? p[0] : 0)
                if binaryCase {
                    if allPositive {
                        second = .complement
                        label = positive > 0.5 ? 1 : 0
                    } else {
                        second = .negation
                        label = positive > 0 ? 1 : 0
                    }
                } else {
                    label = positive > 0 ? -2 : -1
                }
                // onnxruntime writes a class no leaf (and no base value) scored as 0, whatever was added to it
                for k in p.indices where !has[k] { p[k] = 0 }
                if p.count >= 2 { transform.apply(&p) } else { p = transform.expandBinary(p[0], second) }
                // onnxruntime's output is always [N, 2]; the column it leaves unwritten (binary PROBIT)
                // holds stale buffer contents there, 0 here
                while p.count < 2 { p.append(0) }
            } else {
                var best = -1
                for k in 0..<classes where has[k] && (best == -1 || p[k] > p[best]) { best = k }
                label = max(best, 0)
                transform.apply(&p)
            }
            if n == 0 { columns = p.count }
            guard p.count == columns else { throw c.fail("rows produced different numbers of scores") }
            scores.append(contentsOf: p)
            labelIndices.append(label)
        }
        let labelTensor: Tensor
        if useStrings {
            labelTensor = try Tensor(shape: [x.rows], strings: labelIndices.map { i in
                let index = i >= 0 ? i : (i == -2 ? 1 : 0)
                return index < stringLabels.count ? stringLabels[index] : ""
            })
        } else {
            labelTensor = try Tensor(shape: [x.rows], scalars: labelIndices.map { i in Int64(i >= 0 ? intLabels[i] : (i == -2 ? 1 : 0)) })
        }
        return [.tensor(labelTensor), .tensor(try c.scoreTensor(scores, rows: x.rows, columns: x.rows == 0 ? classes : columns))]
    }

    static let definitions: [OperatorDefinition] = [
        OperatorDefinition("TreeEnsembleRegressor", domain: "ai.onnx.ml", prepare: { c in try TreeEnsembleModel(legacy: c, prefix: "target") }) { c in
            try regressor(c)
        },
        OperatorDefinition("TreeEnsembleClassifier", domain: "ai.onnx.ml", prepare: { c in try ClassifierSetup(c) }) { c in
            try classifier(c)
        },
        OperatorDefinition("TreeEnsemble", domain: "ai.onnx.ml", since: 5, prepare: { c in try TreeEnsembleModel(v5: c) }) { c in try ensemble(c) },
    ]
}
