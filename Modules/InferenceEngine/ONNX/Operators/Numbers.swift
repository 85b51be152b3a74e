import Foundation

/// Tensor elements in the widest Swift type of their kind, for operators written once per kind
/// rather than once per dtype: f32 stays `Float` (the hot type keeps its own rounding), f64, f16
/// and bf16 compute in `Double` and round once on store, integers in `Int64` (wrapping on store
/// like numpy), bools and strings as themselves.
enum Numbers {
    case float([Float])
    case double([Double])
    case int([Int64])
    case bool([Bool])
    case string([String])

    /// Row-major elements of `tensor` (views are gathered).
    init(_ tensor: Tensor) throws {
        switch tensor.dtype {
        case .float32: self = .float(try tensor.scalars(as: Float.self))
        case .float64: self = .double(try tensor.scalars(as: Double.self))
        case .float16: self = .double(try tensor.scalars(as: Float16.self).map { Double($0) })
        case .bfloat16: self = .double(try tensor.scalars(as: BFloat16.self).map { Double($0.floatValue) })
        case .int8: self = .int(try tensor.scalars(as: Int8.self).map { Int64($0) })
        case .uint8: self = .int(try tensor.scalars(as: UInt8.self).map { Int64($0) })
        case .int16: self = .int(try tensor.scalars(as: Int16.self).map { Int64($0) })
        case .int32: self = .int(try tensor.scalars(as: Int32.self).map { Int64($0) })
        case .int64: self = .int(try tensor.scalars(as: Int64.self))
        case .bool: self = .bool(try tensor.scalars(as: Bool.self))
        case .string: self = .string(try tensor.strings())
        }
    }

    var count: Int {
        switch self {
        case let .float(v): v.count
        case let .double(v): v.count
        case let .int(v): v.count
        case let .bool(v): v.count
        case let .string(v): v.count
        }
    }

    /// Every element as Double (strings parse; unparsable -> NaN).
    var doubles: [Double] {
        switch self {
        case let .float(v): v.map { Double($0) }
        case let .double(v): v
        case let .int(v): v.map { Double($0) }
        case let .bool(v): v.map { $0 ? 1 : 0 }
        case let .string(v): v.map { Double($0) ?? .nan }
        }
    }

    var int64s: [Int64] {
        switch self {
        case let .int(v): v
        case let .bool(v): v.map { $0 ? 1 : 0 }
        default: doubles.map { Int64(exactly: $0.rounded(.towardZero)) ?? ($0.isNaN ? 0 : ($0 > 0 ? .max : .min)) }
        }
    }

    /// A tensor of `dtype` and `shape` from these elements.
    func tensor(shape: [Int], dtype: DType) throws -> Tensor {
        switch (self, dtype) {
        case let (.float(v), .float32): return try Tensor(shape: shape, scalars: v)
        case let (.string(v), .string): return try Tensor(shape: shape, strings: v)
        case let (.bool(v), .bool): return try Tensor(shape: shape, scalars: v)
        case let (.int(v), _) where !dtype.isFloatingPoint && dtype != .bool && dtype != .string:
            return try Self.integerTensor(v, shape: shape, dtype: dtype)
        default:
            let values = doubles
            switch dtype {
            case .float32: return try Tensor(shape: shape, scalars: values.map { Float($0) })
            case .float64: return try Tensor(shape: shape, scalars: values)
            case .float16: return try Tensor(shape: shape, scalars: values.map { Float16($0) })
            case .bfloat16: return try Tensor(shape: shape, scalars: values.map { BFloat16(Float($0)) })
            case .bool: return try Tensor(shape: shape, scalars: values.map { $0 != 0 })
            case .string: return try Tensor(shape: shape, strings: values.map { String(describing: $0) })
            default: return try Self.integerTensor(int64s, shape: shape, dtype: dtype)
            }
        }
    }

    static func integerTensor(_ v: [Int64], shape: [Int], dtype: DType) throws -> Tensor {
        switch dtype {
        case .int8: try Tensor(shape: shape, scalars: v.map { Int8(truncatingIfNeeded: $0) })
        case .uint8: try Tensor(shape: shape, scalars: v.map { UInt8(truncatingIfNeeded: $0) })
        case .int16: try Tensor(shape: shape, scalars: v.map { Int16(truncatingIfNeeded: $0) })
        case .int32: try Tensor(shape: shape, scalars: v.map { Int32(truncatingIfNeeded: $0) })
        default: try Tensor(shape: shape, scalars: v)
        }
    }
}

/// Numpy-style broadcasting for n-ary elementwise operators.
enum Broadcasting {
    static func shape(_ shapes: [[Int]]) throws -> [Int] {
        var result = [Int]()
        for shape in shapes { result = try Tensor.broadcastShape(result, shape) }
        return result
    }

    /// `tensor` expanded to `shape` and gathered row-major.
    static func expand(_ tensor: Tensor, to shape: [Int]) throws -> Numbers {
        if tensor.shape == shape { return try Numbers(tensor) }
        return try Numbers(tensor.broadcast(to: shape))
    }

    enum BinaryOp {
        case add, sub, mul, div, pow, max, min, mod, fmod
    }

    /// Arithmetic with ONNX semantics on every numeric dtype; result has the inputs' dtype.
    static func binary(_ a: Tensor, _ b: Tensor, op: BinaryOp) throws -> Tensor {
        guard a.dtype == b.dtype || op == .pow else {
            throw TensorError(.dtypeMismatch, "inputs have different dtypes \(a.dtype) and \(b.dtype)")
        }
        if let fast = try Float32Kernels.binary(a, b, op: op) { return fast }
        let shape = try self.shape([a.shape, b.shape])
        let x = try expand(a, to: shape), y = try expand(b, to: shape)
        switch (x, y) {
        case let (.float(p), .float(q)):
            let f: (Float, Float) -> Float = switch op {
            case .add: (+)
            case .sub: (-)
            case .mul: (*)
            case .div: (/)
            case .pow: { Foundation.pow($0, $1) }
            case .max: { $0.isNaN || $1.isNaN ? .nan : Swift.max($0, $1) }
            case .min: { $0.isNaN || $1.isNaN ? .nan : Swift.min($0, $1) }
            case .fmod: { Foundation.fmod($0, $1) }
            case .mod: { l, r in let m = Foundation.fmod(l, r); return m != 0 && (m < 0) != (r < 0) ? m + r : m }
            }
            let result = zip(p, q).map(f)
            return try Numbers.float(result).tensor(shape: shape, dtype: a.dtype)
        case let (.int(p), .int(q)):
            var result = [Int64](repeating: 0, count: p.count)
            for i in 0..<p.count {
                let l = p[i], r = q[i]
                switch op {
                case .add: result[i] = l &+ r
                case .sub: result[i] = l &- r
                case .mul: result[i] = l &* r
                case .div:
                    guard r != 0 else { throw TensorError(.invalidShape, "integer division by zero") }
                    result[i] = l.dividedReportingOverflow(by: r).partialValue
                case .pow: result[i] = Int64(Foundation.pow(Double(l), Double(r)))
                case .max: result[i] = Swift.max(l, r)
                case .min: result[i] = Swift.min(l, r)
                case .fmod:
                    guard r != 0 else { throw TensorError(.invalidShape, "integer modulo by zero") }
                    result[i] = l % r
                case .mod:
                    guard r != 0 else { throw TensorError(.invalidShape, "integer modulo by zero") }
                    let m = l % r
                    result[i] = m != 0 && (m < 0) != (r < 0) ? m + r : m
                }
            }
            return try Numbers.int(result).tensor(shape: shape, dtype: a.dtype)
        default:
            let p = x.doubles, q = y.doubles
            let f: (Double, Double) -> Double = switch op {
            case .add: (+)
            case .sub: (-)
            case .mul: (*)
            case .div: (/)
            case .pow: { Foundation.pow($0, $1) }
            case .max: { $0.isNaN || $1.isNaN ? .nan : Swift.max($0, $1) }
            case .min: { $0.isNaN || $1.isNaN ? .nan : Swift.min($0, $1) }
            case .fmod: { Foundation.fmod($0, $1) }
            case .mod: { l, r in let m = Foundation.fmod(l, r); return m != 0 && (m < 0) != (r < 0) ? m + r : m }
            }
            if case .int = x, op == .pow {
                return try Numbers.int(zip(p, q).map { Int64(f($0, $1)) }).tensor(shape: shape, dtype: a.dtype)
            }
            return try Numbers.double(zip(p, q).map(f)).tensor(shape: shape, dtype: a.dtype)
        }
    }

    enum CompareOp { case equal, less, greater, lessOrEqual, greaterOrEqual }

    static func compare(_ a: Tensor, _ b: Tensor, op: CompareOp) throws -> Tensor {
        if let fast = try compareFloat32(a, b, op: op) { return fast }
        let shape = try self.shape([a.shape, b.shape])
        let x = try expand(a, to: shape), y = try expand(b, to: shape)
        let result: [Bool]
        switch (x, y) {
        case let (.int(p), .int(q)): result = zip(p, q).map { compare($0, $1, op) }
        case let (.string(p), .string(q)): result = zip(p, q).map { compare($0, $1, op) }
        case let (.bool(p), .bool(q)): result = zip(p, q).map { compare($0 ? 1 : 0, $1 ? 1 : 0, op) }
        default: result = zip(x.doubles, y.doubles).map { compare($0, $1, op) }
        }
        return try Tensor(shape: shape, scalars: result)
    }

    /// f32 operands of one shape, or one of them a single value of no higher rank: compared in
    /// place (the general path widens both to Double arrays first; the result is the same).
    private static func compareFloat32(_ a: Tensor, _ b: Tensor, op: CompareOp) throws -> Tensor? {
        guard a.dtype == .float32, b.dtype == .float32, a.isContiguous, b.isContiguous else { return nil }
        let x = Float32Kernels.pointer(a), y = Float32Kernels.pointer(b)
        let out: Tensor, n: Int
        let xStep: Int, yStep: Int
        if a.shape == b.shape {
            out = try Tensor(uninitializedLike: a, dtype: .bool); n = a.count; xStep = 1; yStep = 1
        } else if b.count == 1, b.rank <= a.rank {
            out = try Tensor(uninitializedLike: a, dtype: .bool); n = a.count; xStep = 1; yStep = 0
        } else if a.count == 1, a.rank <= b.rank {
            out = try Tensor(uninitializedLike: b, dtype: .bool); n = b.count; xStep = 0; yStep = 1
        } else {
            return nil
        }
        let o = out.storage.bytes.assumingMemoryBound(to: Bool.self)
        for i in 0..<n { o[i] = compare(x[i * xStep], y[i * yStep], op) }
        return out
    }

    static func compare<T: Comparable>(_ l: T, _ r: T, _ op: CompareOp) -> Bool {
        switch op {
        case .equal: l == r
        case .less: l < r
        case .greater: l > r
        case .lessOrEqual: l <= r
        case .greaterOrEqual: l >= r
        }
    }
}
