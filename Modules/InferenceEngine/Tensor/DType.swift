/// Element type of a ``Tensor``.
///
/// Raw values are short, frozen names (`f32`, `bf16`, ...) suitable for files and wire formats.
public enum DType: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    case float32 = "f32"
    case float16 = "f16"
    case bfloat16 = "bf16"
    case float64 = "f64"
    case int8 = "i8"
    case uint8 = "u8"
    case int16 = "i16"
    case int32 = "i32"
    case int64 = "i64"
    case bool = "bool"
    case string = "string"

    /// Bytes per element in the aligned buffer; strings live in a Swift array instead (0 here).
    public var byteSize: Int {
        switch self {
        case .float32, .int32: 4
        case .float16, .bfloat16, .int16: 2
        case .float64, .int64: 8
        case .int8, .uint8, .bool: 1
        case .string: 0
        }
    }

    /// Whether the type is a floating-point type.
    public var isFloatingPoint: Bool {
        switch self {
        case .float32, .float16, .bfloat16, .float64: true
        default: false
        }
    }

    public var description: String { rawValue }
}
