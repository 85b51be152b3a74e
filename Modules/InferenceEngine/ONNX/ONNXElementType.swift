/// ONNX `TensorProto.DataType` codes and their mapping to ``DType``.
public enum ONNXElementType {
    /// The engine's dtype for an ONNX element type code, nil for types it does not hold
    /// (unsigned 16/32/64-bit, complex, 8/4/2-bit floats and ints).
    public static func dtype(for code: Int) -> DType? {
        switch code {
        case 1: .float32
        case 2: .uint8
        case 3: .int8
        case 5: .int16
        case 6: .int32
        case 7: .int64
        case 8: .string
        case 9: .bool
        case 10: .float16
        case 11: .float64
        case 16: .bfloat16
        default: nil
        }
    }

    /// The ONNX code of a dtype.
    public static func code(for dtype: DType) -> Int {
        switch dtype {
        case .float32: 1
        case .uint8: 2
        case .int8: 3
        case .int16: 5
        case .int32: 6
        case .int64: 7
        case .string: 8
        case .bool: 9
        case .float16: 10
        case .float64: 11
        case .bfloat16: 16
        }
    }

    /// ONNX's own spelling of an element type code (`float`, `int64`, `float8e4m3fn`, ...).
    public static func name(of code: Int) -> String {
        let names = [
            0: "undefined", 1: "float", 2: "uint8", 3: "int8", 4: "uint16", 5: "int16", 6: "int32", 7: "int64",
            8: "string", 9: "bool", 10: "float16", 11: "double", 12: "uint32", 13: "uint64", 14: "complex64",
            15: "complex128", 16: "bfloat16", 17: "float8e4m3fn", 18: "float8e4m3fnuz", 19: "float8e5m2",
            20: "float8e5m2fnuz", 21: "uint4", 22: "int4", 23: "float4e2m1", 24: "float8e8m0", 25: "uint2",
            26: "int2", 27: "float6e2m3", 28: "float6e3m2",
        ]
        return names[code] ?? "type\(code)"
    }

    /// Open Inference Protocol v2 datatype names (`FP32`, `INT64`, `BOOL`, `BYTES`, ...).
    public static func oipName(for dtype: DType) -> String {
        switch dtype {
        case .float32: "FP32"
        case .float16: "FP16"
        case .bfloat16: "BF16"
        case .float64: "FP64"
        case .int8: "INT8"
        case .uint8: "UINT8"
        case .int16: "INT16"
        case .int32: "INT32"
        case .int64: "INT64"
        case .bool: "BOOL"
        case .string: "BYTES"
        }
    }

    /// The dtype for an Open Inference Protocol v2 datatype name.
    public static func dtype(oipName name: String) -> DType? {
        DType.allCases.first { oipName(for: $0) == name.uppercased() }
    }
}
