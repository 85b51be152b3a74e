import Foundation

/// Tensors in Open Inference Protocol v2 JSON (KServe/Triton): `{name, shape, datatype, data}`
/// with `data` flat or nested row-major, numbers for numeric types, booleans for `BOOL`, strings
/// for `BYTES`.
public enum OIPTensor {
    /// Decodes one entry of a request's `inputs` array (a parsed JSON object).
    public static func decode(_ object: Any, index: Int) throws -> (name: String, tensor: Tensor) {
        guard let entry = object as? [String: Any] else { throw ONNXError(.invalidInput, "inputs[\(index)] must be an object") }
        guard let name = entry["name"] as? String else { throw ONNXError(.invalidInput, "inputs[\(index)] has no name") }
        guard let shapeValues = entry["shape"] as? [Any] else { throw ONNXError(.invalidInput, "input \"\(name)\" has no shape") }
        let shape = try shapeValues.map { value -> Int in
            guard let number = value as? NSNumber, let size = Int(exactly: number.doubleValue), size >= 0 else {
                throw ONNXError(.invalidInput, "input \"\(name)\": shape must be non-negative integers")
            }
            return size
        }
        guard let datatype = entry["datatype"] as? String else { throw ONNXError(.invalidInput, "input \"\(name)\" has no datatype") }
        guard let dtype = ONNXElementType.dtype(oipName: datatype) else {
            throw ONNXError(.invalidInput, "input \"\(name)\": unknown datatype \(datatype) (FP32, FP64, FP16, BF16, INT8, INT16, INT32, INT64, UINT8, BOOL, BYTES)")
        }
        guard let data = entry["data"] else { throw ONNXError(.invalidInput, "input \"\(name)\" has no data") }
        var flat = [Any]()
        func flatten(_ value: Any) {
            if let list = value as? [Any] { list.forEach(flatten) } else { flat.append(value) }
        }
        flatten(data)
        let count = shape.reduce(1, *)
        guard flat.count == count else {
            throw ONNXError(.invalidInput, "input \"\(name)\": shape \(shape) needs \(count) values, data has \(flat.count)")
        }
        return (name, try tensor(flat, shape: shape, dtype: dtype, name: name))
    }

    static func tensor(_ flat: [Any], shape: [Int], dtype: DType, name: String) throws -> Tensor {
        switch dtype {
        case .string:
            return try Tensor(shape: shape, strings: flat.map { ($0 as? String) ?? "\($0)" })
        case .bool:
            return try Tensor(shape: shape, scalars: flat.map { value -> Bool in
                guard let number = value as? NSNumber else { throw ONNXError(.invalidInput, "input \"\(name)\": BOOL data must be true/false") }
                return number.boolValue
            })
        default:
            let numbers = try flat.map { value -> NSNumber in
                guard let number = value as? NSNumber else {
                    throw ONNXError(.invalidInput, "input \"\(name)\": \(ONNXElementType.oipName(for: dtype)) data must be numbers")
                }
                return number
            }
            if dtype == .int64 || dtype == .int32 || dtype == .int16 || dtype == .int8 || dtype == .uint8 {
                return try Numbers.int(numbers.map { $0.int64Value }).tensor(shape: shape, dtype: dtype)
            }
            if dtype == .float32 { return try Tensor(shape: shape, scalars: numbers.map { $0.floatValue }) }
            return try Numbers.double(numbers.map { $0.doubleValue }).tensor(shape: shape, dtype: dtype)
        }
    }

    /// A tensor as a JSON object (flat `data`), for responses and `aiplat infer --json`.
    public static func encode(name: String, _ tensor: Tensor) throws -> [String: Any] {
        let data: [Any] = switch try Numbers(tensor) {
        case let .float(v): v.map { $0.isFinite ? Double($0) as Any : String(describing: $0) as Any }
        case let .double(v): v.map { $0.isFinite ? $0 as Any : String(describing: $0) as Any }
        case let .int(v): v.map { NSNumber(value: $0) }
        case let .bool(v): v
        case let .string(v): v
        }
        return ["name": name, "shape": tensor.shape, "datatype": ONNXElementType.oipName(for: tensor.dtype), "data": data]
    }

    /// Output values as OIP entries; ONNX-ML sequences of maps (ZipMap) become one BYTES entry of
    /// JSON objects, since OIP v2 has no map type.
    public static func encode(name: String, _ value: ONNXValue) throws -> [String: Any] {
        switch value {
        case let .tensor(t): return try encode(name: name, t)
        case let .sequence(items):
            let texts = try items.map { item -> String in
                let object = try jsonObject(item)
                let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                return String(decoding: data, as: UTF8.self)
            }
            return ["name": name, "shape": [texts.count], "datatype": "BYTES", "data": texts]
        case .map:
            let data = try JSONSerialization.data(withJSONObject: jsonObject(value), options: [.sortedKeys])
            return ["name": name, "shape": [1], "datatype": "BYTES", "data": [String(decoding: data, as: UTF8.self)]]
        }
    }

    static func jsonObject(_ value: ONNXValue) throws -> Any {
        switch value {
        case let .tensor(t): return try encode(name: "", t)["data"] ?? []
        case let .sequence(items): return try items.map(jsonObject)
        case let .map(keys, values):
            let names: [String] = keys.dtype == .string ? try keys.strings() : try Numbers(keys).int64s.map(String.init)
            let numbers = try Numbers(values).doubles
            var object = [String: Any]()
            for (k, v) in zip(names, numbers) { object[k] = v }
            return object
        }
    }
}
