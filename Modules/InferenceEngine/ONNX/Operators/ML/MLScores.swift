import Foundation

/// Score post-processing shared by the ONNX-ML classifiers and regressors, written to match
/// onnxruntime's `ml_common.h` (the reference the exported models were validated against).
enum MLPostTransform: Sendable {
    case none, softmax, logistic, softmaxZero, probit

    init(name: String, fail: (String) -> ONNXError) throws {
        switch name {
        case "NONE": self = .none
        case "SOFTMAX": self = .softmax
        case "LOGISTIC": self = .logistic
        case "SOFTMAX_ZERO": self = .softmaxZero
        case "PROBIT": self = .probit
        default: throw fail("unknown post_transform \"\(name)\"")
        }
    }

    /// TreeEnsemble (ml opset 5) spells the transform as an int.
    init(code: Int, fail: (String) -> ONNXError) throws {
        let all: [MLPostTransform] = [.none, .softmax, .logistic, .softmaxZero, .probit]
        guard all.indices.contains(code) else { throw fail("unknown post_transform \(code)") }
        self = all[code]
    }

    static func from(_ c: OperatorContext) throws -> MLPostTransform {
        try MLPostTransform(name: c.string("post_transform", default: "NONE"), fail: c.fail)
    }

    /// Transforms one row of two or more scores in place.
    func apply(_ row: inout [Double]) {
        switch self {
        case .none: break
        case .logistic: for i in row.indices { row[i] = Self.logistic(row[i]) }
        case .probit: for i in row.indices { row[i] = Self.probit(row[i]) }
        case .softmax: Self.softmax(&row)
        case .softmaxZero: Self.softmaxZero(&row)
        }
    }

    static func logistic(_ x: Double) -> Double {
        let v = 1 / (1 + Foundation.exp(-Swift.abs(x)))
        return x < 0 ? 1 - v : v
    }

    /// onnxruntime's probit: sqrt(2) * erfinv(2p - 1) with Winitzki's erfinv approximation.
    static func probit(_ x: Double) -> Double { 1.41421356 * erfInverse(x * 2 - 1) }

    static func erfInverse(_ x: Double) -> Double {
        let sign: Double = x < 0 ? -1 : 1
        let y = (1 - x) * (1 + x)
        if y == 0 { return 0 }
        let log = Foundation.log(y)
        let v = 2 / (Double.pi * 0.147) + 0.5 * log
        let v2 = 1 / 0.147 * log
        let v3 = -v + (v * v - v2).squareRoot()
        return sign * v3.squareRoot()
    }

    static func softmax(_ row: inout [Double]) {
        guard let maximum = row.max() else { return }
        var sum = 0.0
        for i in row.indices { row[i] = Foundation.exp(row[i] - maximum); sum += row[i] }
        for i in row.indices { row[i] /= sum }
    }

    /// Softmax that leaves exact zeros (no score) at zero weight.
    static func softmaxZero(_ row: inout [Double]) {
        guard let maximum = row.max() else { return }
        let scale = Foundation.exp(-maximum)
        var sum = 0.0
        for i in row.indices {
            let v = row[i]
            row[i] = v > 0.0000001 || v < -0.0000001 ? Foundation.exp(v - maximum) : v * scale
            sum += row[i]
        }
        if sum == 0 {
            for i in row.indices { row[i] = 0.5 }
        } else {
            for i in row.indices { row[i] /= sum }
        }
    }

    /// onnxruntime's `write_scores` for a single binary score: how the missing second column is
    /// made depends on whether the weights were all positive (probability-like) and on the transform.
    enum SecondClass { case none, complement, negation }

    func expandBinary(_ score: Double, _ second: SecondClass) -> [Double] {
        if self == .probit { return [Self.probit(score)] }
        switch second {
        case .none: return [score]
        case .complement:
            if self == .logistic { return [Self.logistic(-score), Self.logistic(score)] }
            return [1 - score, score]
        case .negation:
            if self == .logistic { return [Self.logistic(-score), Self.logistic(score)] }
            return [-score, score]
        }
    }
}

/// Reading the [N, F] feature matrix the ML operators take (a 1-D input is one row).
struct MLFeatures {
    let rows: Int
    let width: Int
    let values: [Double]

    init(_ t: Tensor, _ c: OperatorContext) throws {
        guard t.dtype != .string, t.dtype != .bool else { throw c.fail("expected a numeric tensor, got \(t.dtype)") }
        values = try Numbers(t).doubles
        if t.rank <= 1 {
            rows = 1
            width = values.count
        } else {
            rows = t.shape[0]
            width = rows == 0 ? t.shape[1...].reduce(1, *) : values.count / rows
        }
    }

    @inline(__always) func row(_ n: Int) -> ArraySlice<Double> { values[(n * width)..<((n + 1) * width)] }
}

/// Attribute readers for the ONNX-ML conventions (`*_as_tensor` variants hold doubles).
extension OperatorContext {
    func mlDoubles(_ name: String) throws -> [Double]? {
        if let cache = prepared as? MLAttributeCache, let cached = cache.doubles[name] { return cached }
        if let t = tensorAttribute(name + "_as_tensor") { return try Numbers(t).doubles }
        if let t = tensorAttribute(name) { return try Numbers(t).doubles }
        return floats(name).map { $0.map(Double.init) }
    }

    /// Float scores as an f32 tensor `[rows, columns]`.
    func scoreTensor(_ values: [Double], rows: Int, columns: Int) throws -> Tensor {
        try Tensor(shape: [rows, columns], scalars: values.map { Float($0) })
    }
}

/// The numeric array attributes of an ONNX-ML node (support vectors, coefficients, scales, ...)
/// converted to Double once at plan time, so a batch-1 call does not re-read and widen them.
final class MLAttributeCache: Sendable {
    let doubles: [String: [Double]]

    init(doubles: [String: [Double]]) {
        self.doubles = doubles
    }

    /// An operator definition's `prepare`.
    static func prepare(_ c: OperatorContext) throws -> any Sendable {
        var doubles = [String: [Double]]()
        for key in c.node.attributes.keys {
            let name = key.hasSuffix("_as_tensor") ? String(key.dropLast("_as_tensor".count)) : key
            if doubles[name] == nil, let values = try? c.mlDoubles(name) { doubles[name] = values }
        }
        return MLAttributeCache(doubles: doubles)
    }
}
