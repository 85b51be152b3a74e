import Foundation

/// Elementwise math, activations, arithmetic, comparisons, logic, `Where`, `Clip`, `Cast`.
enum Elementwise {
    enum Unary { case relu }

    static func unary(_ t: Tensor, _ op: Unary) throws -> Tensor {
        switch op {
        case .relu: try map(t, f: { $0 < 0 ? 0 : $0 }, d: { $0 < 0 ? 0 : $0 }, i: { Swift.max($0, 0) })
        }
    }

    /// Applies `f` to f32 elements, `d` to f64/f16/bf16 ones (rounded once on store) and `i`, when
    /// given, to integers.
    static func map(_ t: Tensor, f: (Float) -> Float, d: (Double) -> Double, i: ((Int64) -> Int64)? = nil) throws -> Tensor {
        if let fast = try Float32Kernels.map(t, f) { return fast }
        switch try Numbers(t) {
        case let .float(v): return try Numbers.float(v.map(f)).tensor(shape: t.shape, dtype: t.dtype)
        case let .double(v): return try Numbers.double(v.map(d)).tensor(shape: t.shape, dtype: t.dtype)
        case let .int(v):
            guard let i else { throw TensorError(.unsupportedDType, "dtype \(t.dtype) is not supported here") }
            return try Numbers.int(v.map(i)).tensor(shape: t.shape, dtype: t.dtype)
        default: throw TensorError(.unsupportedDType, "dtype \(t.dtype) is not supported here")
        }
    }
}

enum ElementwiseOperators {
    typealias MathFunctions = (f: (Float) -> Float, d: (Double) -> Double, i: ((Int64) -> Int64)?)

    static func math(_ name: String, since: Int = 1, _ functions: @escaping @Sendable (OperatorContext) -> MathFunctions) -> OperatorDefinition {
        OperatorDefinition(name, since: since, single: { context in
            let fns = functions(context)
            return .tensor(try Elementwise.map(context.tensor(0), f: fns.f, d: fns.d, i: fns.i))
        })
    }

    static func simple(_ name: String, _ f: @escaping @Sendable (Float) -> Float, _ d: @escaping @Sendable (Double) -> Double, _ i: (@Sendable (Int64) -> Int64)? = nil) -> OperatorDefinition {
        math(name) { _ in (f, d, i) }
    }

    static func erf(_ x: Double) -> Double { Foundation.erf(x) }

    static let unaryMath: [OperatorDefinition] = [
        simple("Abs", { Swift.abs($0) }, { Swift.abs($0) }, { $0 == .min ? .min : Swift.abs($0) }),
        simple("Neg", { -$0 }, { -$0 }, { 0 &- $0 }),
        simple("Exp", { Foundation.exp($0) }, { Foundation.exp($0) }),
        simple("Log", { Foundation.log($0) }, { Foundation.log($0) }),
        simple("Sqrt", { $0.squareRoot() }, { $0.squareRoot() }),
        simple("Reciprocal", { 1 / $0 }, { 1 / $0 }),
        simple("Floor", { $0.rounded(.down) }, { $0.rounded(.down) }),
        simple("Ceil", { $0.rounded(.up) }, { $0.rounded(.up) }),
        simple("Round", { $0.rounded(.toNearestOrEven) }, { $0.rounded(.toNearestOrEven) }),
        simple("Sin", { Foundation.sin($0) }, { Foundation.sin($0) }),
        simple("Cos", { Foundation.cos($0) }, { Foundation.cos($0) }),
        simple("Tan", { Foundation.tan($0) }, { Foundation.tan($0) }),
        simple("Asin", { Foundation.asin($0) }, { Foundation.asin($0) }),
        simple("Acos", { Foundation.acos($0) }, { Foundation.acos($0) }),
        simple("Atan", { Foundation.atan($0) }, { Foundation.atan($0) }),
        simple("Sinh", { Foundation.sinh($0) }, { Foundation.sinh($0) }),
        simple("Cosh", { Foundation.cosh($0) }, { Foundation.cosh($0) }),
        simple("Asinh", { Foundation.asinh($0) }, { Foundation.asinh($0) }),
        simple("Acosh", { Foundation.acosh($0) }, { Foundation.acosh($0) }),
        simple("Atanh", { Foundation.atanh($0) }, { Foundation.atanh($0) }),
        simple("Tanh", { Foundation.tanh($0) }, { Foundation.tanh($0) }),
        simple("Erf", { Foundation.erf($0) }, { Foundation.erf($0) }),
        simple("Sigmoid", { 1 / (1 + Foundation.exp(-$0)) }, { 1 / (1 + Foundation.exp(-$0)) }),
        OperatorDefinition("Relu") { c in
            let x = try c.tensor(0)
            if let fast = try Float32Kernels.relu(x) { return [.tensor(fast)] }
            return [.tensor(try Elementwise.map(x, f: { $0 < 0 ? 0 : $0 }, d: { $0 < 0 ? 0 : $0 }, i: { Swift.max($0, 0) }))]
        },
        simple("Softplus", { Foundation.log(1 + Foundation.exp($0)) }, { Foundation.log(1 + Foundation.exp($0)) }),
        simple("Softsign", { $0 / (1 + Swift.abs($0)) }, { $0 / (1 + Swift.abs($0)) }),
        simple("Sign", { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) }, { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) }, { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) }),
        simple("Mish", { $0 * Foundation.tanh(Foundation.log(1 + Foundation.exp($0))) }, { $0 * Foundation.tanh(Foundation.log(1 + Foundation.exp($0))) }),
        simple("HardSwish", { $0 * Swift.max(0, Swift.min(1, $0 / 6 + 0.5)) }, { $0 * Swift.max(0, Swift.min(1, $0 / 6 + 0.5)) }),
        math("LeakyRelu") { c in
            let a = c.float("alpha", default: 0.01)
            return ({ $0 < 0 ? a * $0 : $0 }, { $0 < 0 ? Double(a) * $0 : $0 }, nil)
        },
        math("Elu") { c in
            let a = c.float("alpha", default: 1)
            return ({ $0 < 0 ? a * (Foundation.exp($0) - 1) : $0 }, { $0 < 0 ? Double(a) * (Foundation.exp($0) - 1) : $0 }, nil)
        },
        math("Celu") { c in
            let a = c.float("alpha", default: 1)
            return ({ Swift.max(0, $0) + Swift.min(0, a * (Foundation.exp($0 / a) - 1)) },
                    { Swift.max(0, $0) + Swift.min(0, Double(a) * (Foundation.exp($0 / Double(a)) - 1)) }, nil)
        },
        math("Selu") { c in
            let a = c.float("alpha", default: 1.67326319217681884765625), g = c.float("gamma", default: 1.05070102214813232421875)
            return ({ $0 <= 0 ? g * (a * Foundation.exp($0) - a) : g * $0 }, { $0 <= 0 ? Double(g) * (Double(a) * Foundation.exp($0) - Double(a)) : Double(g) * $0 }, nil)
        },
        math("ThresholdedRelu") { c in
            let a = c.float("alpha", default: 1)
            return ({ $0 > a ? $0 : 0 }, { $0 > Double(a) ? $0 : 0 }, nil)
        },
        math("HardSigmoid") { c in
            let a = c.float("alpha", default: 0.2), b = c.float("beta", default: 0.5)
            return ({ Swift.max(0, Swift.min(1, a * $0 + b)) }, { Swift.max(0, Swift.min(1, Double(a) * $0 + Double(b))) }, nil)
        },
        math("Gelu", since: 20) { c in
            if c.string("approximate", default: "none") == "tanh" {
                let k = Float((2 / Double.pi).squareRoot())
                return ({ 0.5 * $0 * (1 + Foundation.tanh(k * ($0 + 0.044715 * $0 * $0 * $0))) },
                        { 0.5 * $0 * (1 + Foundation.tanh((2 / Double.pi).squareRoot() * ($0 + 0.044715 * $0 * $0 * $0))) }, nil)
            }
            return ({ 0.5 * $0 * (1 + Foundation.erf($0 / Float(2).squareRoot())) }, { 0.5 * $0 * (1 + Foundation.erf($0 / 2.0.squareRoot())) }, nil)
        },
    ]

    static func binary(_ name: String, _ op: Broadcasting.BinaryOp) -> OperatorDefinition {
        OperatorDefinition(name, single: { c in .tensor(try Broadcasting.binary(c.tensor(0), c.tensor(1), op: op)) })
    }

    static func variadic(_ name: String, _ op: Broadcasting.BinaryOp, mean: Bool = false) -> OperatorDefinition {
        OperatorDefinition(name, single: { c in
            var result = try c.tensor(0)
            for index in 1..<max(c.inputCount, 1) { result = try Broadcasting.binary(result, c.tensor(index), op: op) }
            if mean {
                let count = try Numbers.double([Double(c.inputCount)]).tensor(shape: [], dtype: result.dtype)
                result = try Broadcasting.binary(result, count, op: .div)
            }
            return .tensor(try result.contiguous(forceCopy: c.inputCount == 1))
        })
    }

    static func comparison(_ name: String, _ op: Broadcasting.CompareOp) -> OperatorDefinition {
        OperatorDefinition(name, single: { c in .tensor(try Broadcasting.compare(c.tensor(0), c.tensor(1), op: op)) })
    }

    static func logic(_ name: String, _ f: @escaping @Sendable (Bool, Bool) -> Bool) -> OperatorDefinition {
        OperatorDefinition(name) { c in
            let a = try c.tensor(0), b = try c.tensor(1)
            let shape = try Broadcasting.shape([a.shape, b.shape])
            guard case let .bool(p) = try Broadcasting.expand(a, to: shape), case let .bool(q) = try Broadcasting.expand(b, to: shape) else {
                throw c.fail("inputs must be bool")
            }
            return [.tensor(try Tensor(shape: shape, scalars: zip(p, q).map(f)))]
        }
    }

    static let arithmetic: [OperatorDefinition] = [
        binary("Add", .add), binary("Sub", .sub), binary("Mul", .mul), binary("Div", .div), binary("Pow", .pow),
        OperatorDefinition("Mod") { c in
            [.tensor(try Broadcasting.binary(c.tensor(0), c.tensor(1), op: c.int("fmod", default: 0) == 1 ? .fmod : .mod))]
        },
        variadic("Sum", .add), variadic("Max", .max), variadic("Min", .min), variadic("Mean", .add, mean: true),
        comparison("Equal", .equal), comparison("Less", .less), comparison("Greater", .greater),
        comparison("LessOrEqual", .lessOrEqual), comparison("GreaterOrEqual", .greaterOrEqual),
        logic("And") { $0 && $1 }, logic("Or") { $0 || $1 }, logic("Xor") { $0 != $1 },
        OperatorDefinition("Not") { c in
            guard case let .bool(v) = try Numbers(c.tensor(0)) else { throw c.fail("input must be bool") }
            return [.tensor(try Tensor(shape: c.tensor(0).shape, scalars: v.map { !$0 }))]
        },
        OperatorDefinition("IsNaN") { c in
            let t = try c.tensor(0)
            return [.tensor(try Tensor(shape: t.shape, scalars: Numbers(t).doubles.map(\.isNaN)))]
        },
        OperatorDefinition("IsInf") { c in
            let t = try c.tensor(0)
            let positive = c.int("detect_positive", default: 1) == 1, negative = c.int("detect_negative", default: 1) == 1
            return [.tensor(try Tensor(shape: t.shape, scalars: Numbers(t).doubles.map { $0.isInfinite && (($0 > 0 && positive) || ($0 < 0 && negative)) }))]
        },
        OperatorDefinition("PRelu") { c in
            let x = try c.tensor(0), slope = try c.tensor(1)
            let shape = try Broadcasting.shape([x.shape, slope.shape])
            let p = try Broadcasting.expand(x, to: shape).doubles, q = try Broadcasting.expand(slope, to: shape).doubles
            return [.tensor(try Numbers.double(zip(p, q).map { $0 < 0 ? $0 * $1 : $0 }).tensor(shape: shape, dtype: x.dtype))]
        },
        OperatorDefinition("Where") { c in
            let condition = try c.tensor(0), x = try c.tensor(1), y = try c.tensor(2)
            let shape = try Broadcasting.shape([condition.shape, x.shape, y.shape])
            guard case let .bool(mask) = try Broadcasting.expand(condition, to: shape) else { throw c.fail("condition must be bool") }
            switch (try Broadcasting.expand(x, to: shape), try Broadcasting.expand(y, to: shape)) {
            case let (.float(p), .float(q)): return [.tensor(try Numbers.float((0..<mask.count).map { mask[$0] ? p[$0] : q[$0] }).tensor(shape: shape, dtype: x.dtype))]
            case let (.int(p), .int(q)): return [.tensor(try Numbers.int((0..<mask.count).map { mask[$0] ? p[$0] : q[$0] }).tensor(shape: shape, dtype: x.dtype))]
            case let (.string(p), .string(q)): return [.tensor(try Tensor(shape: shape, strings: (0..<mask.count).map { mask[$0] ? p[$0] : q[$0] }))]
            case let (.bool(p), .bool(q)): return [.tensor(try Tensor(shape: shape, scalars: (0..<mask.count).map { mask[$0] ? p[$0] : q[$0] }))]
            case let (p, q):
                let a = p.doubles, b = q.doubles
                return [.tensor(try Numbers.double((0..<mask.count).map { mask[$0] ? a[$0] : b[$0] }).tensor(shape: shape, dtype: x.dtype))]
            }
        },
        OperatorDefinition("Clip") { c in
            let x = try c.tensor(0)
            var low = -Double.infinity, high = Double.infinity
            if c.opset < 11 {
                low = Double(c.float("min", default: -.infinity)); high = Double(c.float("max", default: .infinity))
            } else {
                if let t = try c.optionalTensor(1) { low = try Numbers(t).doubles.first ?? low }
                if let t = try c.optionalTensor(2) { high = try Numbers(t).doubles.first ?? high }
            }
            if case let .int(v) = try Numbers(x) {
                let lo = low.isInfinite ? Int64.min : Int64(low), hi = high.isInfinite ? Int64.max : Int64(high)
                return [.tensor(try Numbers.int(v.map { Swift.min(Swift.max($0, lo), hi) }).tensor(shape: x.shape, dtype: x.dtype))]
            }
            let fl = Float(low), fh = Float(high)
            return [.tensor(try Elementwise.map(x, f: { $0.isNaN ? $0 : Swift.min(Swift.max($0, fl), fh) }, d: { $0.isNaN ? $0 : Swift.min(Swift.max($0, low), high) }))]
        },
        OperatorDefinition("Cast", single: { c in
            let x = try c.tensor(0)
            guard let code = c.int("to"), let target = ONNXElementType.dtype(for: code) else {
                throw ONNXError(.unsupported, "Cast node \(c.node.displayName): target type \(ONNXElementType.name(of: c.int("to") ?? 0)) is not supported")
            }
            return .tensor(try cast(x, to: target))
        }),
        OperatorDefinition("CastLike") { c in [.tensor(try cast(c.tensor(0), to: c.tensor(1).dtype))] },
        OperatorDefinition("Identity", single: { c in try c.value(0) }),
        OperatorDefinition("Dropout") { c in
            let x = try c.tensor(0)
            if let training = try c.optionalTensor(2), try Numbers(training).doubles.first ?? 0 != 0,
               try c.optionalTensor(1).map({ try Numbers($0).doubles.first ?? 0 }) ?? 0.5 != 0 {
                throw ONNXError(.unsupported, "Dropout node \(c.node.displayName): training mode draws random masks, which inference does not reproduce")
            }
            var outputs: [ONNXValue?] = [.tensor(x)]
            if c.wantsOutput(1) { outputs.append(.tensor(try Tensor(shape: x.shape, scalars: [Bool](repeating: true, count: x.count)))) }
            return outputs
        },
    ]

    /// ONNX Cast: float -> int truncates toward zero, numbers <-> strings use their decimal text,
    /// strings parse (`"INF"`, `"NaN"` included).
    static func cast(_ x: Tensor, to target: DType) throws -> Tensor {
        // Tensors are immutable once made, so a cast to the same type is the input itself.
        if target == x.dtype { return x }
        if x.dtype == .bool, target == .float32, x.isContiguous {
            let out = try Tensor(uninitializedLike: x, dtype: .float32)
            let source = x.storage.bytes.assumingMemoryBound(to: Bool.self) + x.offset, o = Float32Kernels.pointer(out)
            for i in 0..<x.count { o[i] = source[i] ? 1 : 0 }
            return out
        }
        let values = try Numbers(x)
        if target == .string {
            let text: [String] = switch values {
            case let .float(v): v.map { formatFloat(Double($0), float32: true) }
            case let .double(v): v.map { formatFloat($0, float32: false) }
            case let .int(v): v.map { String($0) }
            case let .bool(v): v.map { $0 ? "1" : "0" }
            case let .string(v): v
            }
            return try Tensor(shape: x.shape, strings: text)
        }
        if case let .string(v) = values {
            let parsed = v.map { text -> Double in
                let lowered = text.lowercased()
                if ["inf", "+inf", "infinity", "+infinity"].contains(lowered) { return .infinity }
                if ["-inf", "-infinity"].contains(lowered) { return -.infinity }
                if lowered == "nan" { return .nan }
                return Double(text) ?? .nan
            }
            if !target.isFloatingPoint, target != .bool { return try Numbers.int(v.map { Int64($0) ?? Int64(Double($0) ?? 0) }).tensor(shape: x.shape, dtype: target) }
            return try Numbers.double(parsed).tensor(shape: x.shape, dtype: target)
        }
        if case let .float(v) = values, target == .float16 || target == .bfloat16 {
            return try Tensor(shape: x.shape, scalars: v).converted(to: target)
        }
        return try values.tensor(shape: x.shape, dtype: target)
    }

    static func formatFloat(_ value: Double, float32: Bool) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "INF" : "-INF" }
        return float32 ? "\(Float(value))" : "\(value)"
    }

    static let definitions: [OperatorDefinition] = unaryMath + arithmetic
}
