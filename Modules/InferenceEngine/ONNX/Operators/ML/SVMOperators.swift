import Foundation

/// SVMClassifier and SVMRegressor (libsvm layouts: one-vs-one support vectors, or liblinear
/// coefficients when there are none), following onnxruntime and the onnx reference.
enum SVMOperators {
    enum Kernel { case linear, poly, rbf, sigmoid }

    struct KernelFunction {
        var kind: Kernel
        var gamma = 0.0, coef0 = 0.0, degree = 0.0

        init(_ c: OperatorContext) throws {
            switch c.string("kernel_type", default: "LINEAR").uppercased() {
            case "LINEAR": kind = .linear
            case "POLY": kind = .poly
            case "RBF": kind = .rbf
            case "SIGMOID": kind = .sigmoid
            case let other: throw c.fail("unknown kernel_type \"\(other)\"")
            }
            if let p = c.floats("kernel_params"), p.count >= 3 {
                gamma = Double(p[0]); coef0 = Double(p[1]); degree = Double(p[2]).rounded(.towardZero)  // libsvm's int degree
            }
        }

        /// The kernel of two vectors of `count` values (nil pointers: empty vectors).
        func callAsFunction(_ a: UnsafePointer<Double>?, _ b: UnsafePointer<Double>?, count: Int) -> Double {
            var s = 0.0
            switch kind {
            case .rbf:
                if let a, let b { for i in 0..<count { let d = a[i] - b[i]; s += d * d } }
                return Foundation.exp(-gamma * s)
            default:
                if let a, let b { for i in 0..<count { s += a[i] * b[i] } }
            }
            switch kind {
            case .poly: return Foundation.pow(s * gamma + coef0, degree)
            case .sigmoid: return Foundation.tanh(s * gamma + coef0)
            default: return s
            }
        }
    }

    /// libsvm's pairwise coupling (Wu, Lin and Weng method 2), as onnxruntime runs it.
    static func multiclassProbability(_ k: Int, _ r: [[Double]]) -> [Double] {
        let maxIterations = max(100, k)
        var q = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
        var qp = [Double](repeating: 0, count: k)
        var p = [Double](repeating: 1 / Double(k), count: k)
        let eps = 0.005 / Double(k)
        for t in 0..<k {
            q[t][t] = 0
            for j in 0..<t { q[t][t] += r[j][t] * r[j][t]; q[t][j] = q[j][t] }
            for j in (t + 1)..<max(k, t + 1) { q[t][t] += r[j][t] * r[j][t]; q[t][j] = -r[j][t] * r[t][j] }
        }
        for _ in 0..<maxIterations {
            var pqp = 0.0
            for t in 0..<k {
                qp[t] = 0
                for j in 0..<k { qp[t] += q[t][j] * p[j] }
                pqp += p[t] * qp[t]
            }
            var maxError = 0.0
            for t in 0..<k { maxError = max(maxError, Swift.abs(qp[t] - pqp)) }
            if maxError < eps { break }
            for t in 0..<k {
                let diff = (-qp[t] + pqp) / q[t][t]
                p[t] += diff
                pqp = (pqp + diff * (diff * q[t][t] + 2 * qp[t])) / ((1 + diff) * (1 + diff))
                for j in 0..<k {
                    qp[j] = (qp[j] + diff * q[t][j]) / (1 + diff)
                    p[j] /= 1 + diff
                }
            }
        }
        return p
    }

    /// SVMClassifier's attributes, read and widened once at plan time.
    final class ClassifierSetup: Sendable {
        let kernel: KernelFunction
        let intLabels: [Int], stringLabels: [String]
        let perClass: [Int], starts: [Int], vectorCount: Int
        let coefficients: [Double], supportVectors: [Double], rho: [Double], probA: [Double], probB: [Double]
        let transform: MLPostTransform
        let allPositive: Bool

        init(_ c: OperatorContext) throws {
            kernel = try KernelFunction(c)
            intLabels = c.ints("classlabels_ints") ?? []
            stringLabels = c.strings("classlabels_strings") ?? []
            let perClass = c.ints("vectors_per_class") ?? [], coefficients = try c.mlDoubles("coefficients") ?? []
            self.perClass = perClass
            self.coefficients = coefficients
            supportVectors = try c.mlDoubles("support_vectors") ?? []
            rho = try c.mlDoubles("rho") ?? []
            probA = try c.mlDoubles("prob_a") ?? []
            probB = try c.mlDoubles("prob_b") ?? []
            transform = try MLPostTransform.from(c)
            var starts = [Int](), vectorCount = 0
            for v in perClass { starts.append(vectorCount); vectorCount += v }
            self.starts = starts
            self.vectorCount = vectorCount
            allPositive = coefficients.allSatisfy { $0 >= 0 }
        }
    }

    static func classifier(_ c: OperatorContext) throws -> [ONNXValue?] {
        let x = try MLFeatures(c.tensor(0), c)
        let setup = try (c.prepared as? ClassifierSetup) ?? ClassifierSetup(c)
        let kernel = setup.kernel
        let intLabels = setup.intLabels, stringLabels = setup.stringLabels
        let useStrings = !stringLabels.isEmpty
        let labelCount = useStrings ? stringLabels.count : intLabels.count
        let classCount = max(labelCount, 1)
        let perClass = setup.perClass, starts = setup.starts, vectorCount = setup.vectorCount
        let coefficients = setup.coefficients, supportVectors = setup.supportVectors, rho = setup.rho
        let probA = setup.probA, probB = setup.probB
        let transform = setup.transform
        let svc = vectorCount > 0
        let allPositive = setup.allPositive
        let pairs = classCount * (classCount - 1) / 2
        if svc {
            guard perClass.count == classCount, perClass.allSatisfy({ $0 >= 0 }), x.width > 0,
                  supportVectors.count == vectorCount * x.width, coefficients.count == (classCount - 1) * vectorCount,
                  rho.count >= pairs
            else { throw c.fail("support_vectors, coefficients, rho or vectors_per_class do not match \(classCount) classes of \(x.width) features") }
        } else {
            guard coefficients.count == classCount * x.width, !rho.isEmpty else {
                throw c.fail("coefficients must have \(classCount) x \(x.width) values and rho at least one")
            }
        }
        let hasProbabilities = svc && !probA.isEmpty
        if hasProbabilities { guard probA.count >= pairs, probB.count >= pairs else { throw c.fail("prob_a and prob_b need \(pairs) values") } }

        var labels = [Int]()  // label index
        labels.reserveCapacity(x.rows)
        var out = [Double]()
        var columns = -1
        var kernels = [Double](repeating: 0, count: vectorCount)
        let width = x.width
        for n in 0..<x.rows {
            var scores = [Double]()
            var votes = [Double]()
            if svc {
                x.values.withUnsafeBufferPointer { values in
                    supportVectors.withUnsafeBufferPointer { vectors in
                        let row = values.baseAddress?.advanced(by: n * width)
                        for j in 0..<vectorCount { kernels[j] = kernel(row, vectors.baseAddress?.advanced(by: j * width), count: width) }
                    }
                }
                votes = [Double](repeating: 0, count: classCount)
                scores.reserveCapacity(pairs)
                var evaluation = 0
                for i in 0..<classCount {
                    for j in (i + 1)..<max(classCount, i + 1) {
                        var s = rho[evaluation]
                        for v in 0..<perClass[i] { s += coefficients[(j - 1) * vectorCount + starts[i] + v] * kernels[starts[i] + v] }
                        for v in 0..<perClass[j] { s += coefficients[i * vectorCount + starts[j] + v] * kernels[starts[j] + v] }
                        scores.append(s)
                        votes[s > 0 ? i : j] += 1
                        evaluation += 1
                    }
                }
            } else {
                x.values.withUnsafeBufferPointer { values in
                    coefficients.withUnsafeBufferPointer { weights in
                        for j in 0..<classCount {
                            scores.append(rho[0] + kernel(values.baseAddress?.advanced(by: n * width), weights.baseAddress?.advanced(by: j * width), count: width))
                        }
                    }
                }
            }
            if hasProbabilities {
                var pairwise = [[Double]](repeating: [Double](repeating: 0, count: classCount), count: classCount)
                var index = 0
                for i in 0..<classCount {
                    for j in (i + 1)..<max(classCount, i + 1) {
                        let probability = 1 - MLPostTransform.logistic(scores[index] * probA[index] + probB[index])
                        let clipped = min(max(probability, 1e-7), 1 - 1e-7)
                        pairwise[i][j] = clipped
                        pairwise[j][i] = 1 - clipped
                        index += 1
                    }
                }
                scores = multiclassProbability(classCount, pairwise)
            }
            // onnxruntime: the class with most votes (SVC) or the top score (linear); only a linear
            // model's top score counts as a weight for the binary rules below.
            let weights = votes.isEmpty ? scores : votes
            var best = 0
            for k in weights.indices where weights[k] > weights[best] { best = k }
            let maxWeight = votes.isEmpty && !scores.isEmpty ? scores[best] : 0
            var label = best
            if classCount == 2, !hasProbabilities, (allPositive && maxWeight >= 0.5) || (!allPositive && maxWeight > 0) {
                label = 1
            }
            if svc && !hasProbabilities && classCount == 2, let s = scores.first {
                // one decision value becomes two columns: [-s, s] untransformed, [probit(s), 0],
                // otherwise the complement of the (logistic) score
                if transform == .probit {
                    scores = [MLPostTransform.probit(s), 0]
                } else {
                    scores = transform.expandBinary(s, transform == .none ? .negation : .complement)
                }
            } else if scores.count >= 2 {
                transform.apply(&scores)
            } else if transform == .probit, let s = scores.first {
                scores = [MLPostTransform.probit(s)]
            }
            if columns < 0 { columns = scores.count }
            guard scores.count == columns else { throw c.fail("rows produced different numbers of scores") }
            labels.append(label)
            out.append(contentsOf: scores)
        }
        // without labels onnxruntime refuses the model; the class index stands in
        let labelTensor: Tensor
        if useStrings {
            labelTensor = try Tensor(shape: [x.rows], strings: labels.map { $0 < stringLabels.count ? stringLabels[$0] : String($0) })
        } else {
            labelTensor = try Tensor(shape: [x.rows], scalars: labels.map { Int64($0 < intLabels.count ? intLabels[$0] : $0) })
        }
        let defaultColumns = hasProbabilities || !svc ? classCount : (classCount == 2 ? 2 : pairs)
        return [.tensor(labelTensor), .tensor(try c.scoreTensor(out, rows: x.rows, columns: columns < 0 ? defaultColumns : columns))]
    }

    static func regressor(_ c: OperatorContext) throws -> [ONNXValue?] {
        let x = try MLFeatures(c.tensor(0), c)
        let kernel = try KernelFunction(c)
        let supports = c.int("n_supports", default: 0)
        let coefficients = try c.mlDoubles("coefficients") ?? []
        let supportVectors = try c.mlDoubles("support_vectors") ?? []
        let rho = try c.mlDoubles("rho") ?? []
        let oneClass = c.int("one_class", default: 0) != 0
        let transform = try MLPostTransform.from(c)
        guard !rho.isEmpty else { throw c.fail("rho is required") }
        if supports > 0 {
            guard supportVectors.count == supports * x.width, coefficients.count >= supports else {
                throw c.fail("support_vectors/coefficients do not match \(supports) supports of \(x.width) features")
            }
        } else {
            guard coefficients.count == x.width else { throw c.fail("coefficients must have \(x.width) values") }
        }
        var out = [Double]()
        for n in 0..<x.rows {
            let row = x.row(n)
            var s = 0.0
            if supports > 0 {
                x.values.withUnsafeBufferPointer { values in
                    supportVectors.withUnsafeBufferPointer { vectors in
                        for j in 0..<supports {
                            s += coefficients[j] * kernel(values.baseAddress?.advanced(by: n * x.width), vectors.baseAddress?.advanced(by: j * x.width), count: x.width)
                        }
                    }
                }
            } else {
                // liblinear mode: the coefficients are the weight vector, always a linear kernel
                var k = 0
                for v in row { s += v * coefficients[k]; k += 1 }
            }
            s += rho[0]
            if oneClass { s = s > 0 ? 1 : -1 }
            if transform == .probit { s = MLPostTransform.probit(s) }
            out.append(s)
        }
        return [.tensor(try c.scoreTensor(out, rows: x.rows, columns: 1))]
    }

    static let definitions: [OperatorDefinition] = [
        OperatorDefinition("SVMClassifier", domain: "ai.onnx.ml", prepare: { c in try ClassifierSetup(c) }) { c in try classifier(c) },
        OperatorDefinition("SVMRegressor", domain: "ai.onnx.ml", prepare: MLAttributeCache.prepare) { c in try regressor(c) },
    ]
}
