/// LabelEncoder: ml opset 1 (`classes_strings`), 2 (`keys_*`/`values_*`) and 4 (`*_tensor`).
enum LabelEncoding {
    /// A lookup key: floats compare by value with every NaN equal to every other.
    enum Key: Hashable {
        case int(Int64)
        case string(String)
        case float(UInt64)

        static func float(_ v: Double) -> Key { .float(v.isNaN ? Double.nan.bitPattern : (v == 0 ? 0 : v.bitPattern)) }
    }

    static func keys(_ n: Numbers) -> [Key] {
        switch n {
        case let .int(v): v.map { .int($0) }
        case let .string(v): v.map { .string($0) }
        case let .bool(v): v.map { .int($0 ? 1 : 0) }
        case let .float(v): v.map { Key.float(Double($0)) }
        case let .double(v): v.map { Key.float($0) }
        }
    }

    static func run(_ c: OperatorContext) throws -> [ONNXValue?] {
        let x = try c.tensor(0)
        let input = keys(try Numbers(x))
        if c.opset < 2 {
            let classes = c.strings("classes_strings") ?? []
            if x.dtype == .string {
                var index = [Key: Int64]()
                for (i, s) in classes.enumerated() where index[.string(s)] == nil { index[.string(s)] = Int64(i) }
                let fallback = Int64(c.int("default_int64", default: -1))
                return [.tensor(try Tensor(shape: x.shape, scalars: input.map { index[$0] ?? fallback }))]
            }
            let fallback = c.string("default_string", default: "_Unused")
            let out = input.map { key -> String in
                if case let .int(i) = key, i >= 0, i < classes.count { return classes[Int(i)] }
                return fallback
            }
            return [.tensor(try Tensor(shape: x.shape, strings: out))]
        }
        let keyValues: Numbers
        if let t = c.tensorAttribute("keys_tensor") {
            keyValues = try Numbers(t)
        } else if let v = c.strings("keys_strings") {
            keyValues = .string(v)
        } else if let v = c.ints("keys_int64s") {
            keyValues = .int(v.map { Int64($0) })
        } else if let v = c.floats("keys_floats") {
            keyValues = .float(v)
        } else {
            throw c.fail("keys_strings, keys_int64s, keys_floats or keys_tensor is required")
        }
        let values: Numbers, dtype: DType, fallback: Numbers
        if let t = c.tensorAttribute("values_tensor") {
            values = try Numbers(t)
            dtype = t.dtype
            if let d = c.tensorAttribute("default_tensor") {
                fallback = try Numbers(d)
            } else {
                fallback = switch dtype {
                case .string: .string(["_Unused"])
                case .float32, .float64, .float16, .bfloat16: .double([-0.0])
                default: .int([-1])
                }
            }
        } else if let v = c.strings("values_strings") {
            values = .string(v); dtype = .string; fallback = .string([c.string("default_string", default: "_Unused")])
        } else if let v = c.ints("values_int64s") {
            values = .int(v.map { Int64($0) }); dtype = .int64; fallback = .int([Int64(c.int("default_int64", default: -1))])
        } else if let v = c.floats("values_floats") {
            values = .float(v); dtype = .float32; fallback = .float([c.float("default_float", default: -0.0)])
        } else {
            throw c.fail("values_strings, values_int64s, values_floats or values_tensor is required")
        }
        let keyList = keys(keyValues)
        guard keyList.count == values.count else { throw c.fail("keys and values differ in length (\(keyList.count) vs \(values.count))") }
        guard fallback.count >= 1 else { throw c.fail("default_tensor is empty") }
        var index = [Key: Int]()
        for (i, k) in keyList.enumerated() where index[k] == nil { index[k] = i }
        let picks = input.map { index[$0] ?? -1 }
        switch (values, fallback) {
        case let (.string(v), .string(d)):
            return [.tensor(try Tensor(shape: x.shape, strings: picks.map { $0 < 0 ? d[0] : v[$0] }))]
        case let (.int(v), _):
            let d = fallback.int64s[0]
            return [.tensor(try Numbers.int(picks.map { $0 < 0 ? d : v[$0] }).tensor(shape: x.shape, dtype: dtype))]
        case let (.float(v), _) where dtype == .float32:
            let d = Float(fallback.doubles[0])
            return [.tensor(try Tensor(shape: x.shape, scalars: picks.map { $0 < 0 ? d : v[$0] }))]
        default:
            guard dtype != .string else { throw c.fail("default value type does not match the values") }
            let v = values.doubles, d = fallback.doubles[0]
            return [.tensor(try Numbers.double(picks.map { $0 < 0 ? d : v[$0] }).tensor(shape: x.shape, dtype: dtype))]
        }
    }
}
