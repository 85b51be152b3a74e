/// A Swift type that is the in-memory representation of one ``DType`` (all but `.string`).
public protocol TensorScalar: Sendable {
    /// The dtype whose elements have this representation.
    static var dtype: DType { get }
    /// The value as a Double (exact for every type but Int64 beyond 2^53).
    var doubleValue: Double { get }
    /// Converts from Double: floats round to nearest, integers truncate toward zero and clamp to
    /// their range (NaN becomes 0), Bool is `value != 0`. Never traps.
    init(convertingDouble value: Double)
}

extension Float: TensorScalar {
    public static var dtype: DType { .float32 }
    public var doubleValue: Double { Double(self) }
    public init(convertingDouble value: Double) { self = Float(value) }
}

extension Double: TensorScalar {
    public static var dtype: DType { .float64 }
    public var doubleValue: Double { self }
    public init(convertingDouble value: Double) { self = value }
}

extension Float16: TensorScalar {
    public static var dtype: DType { .float16 }
    public var doubleValue: Double { Double(Float(self)) }
    // through Float: f32 -> f16 is the conversion every consumer uses; f64 sources round twice
    public init(convertingDouble value: Double) { self = Float16(Float(value)) }
}

extension BFloat16: TensorScalar {
    public static var dtype: DType { .bfloat16 }
    public var doubleValue: Double { Double(floatValue) }
    public init(convertingDouble value: Double) { self = BFloat16(Float(value)) }
}

extension Bool: TensorScalar {
    public static var dtype: DType { .bool }
    public var doubleValue: Double { self ? 1 : 0 }
    public init(convertingDouble value: Double) { self = value != 0 }
}

/// Shared clamping conversion for the integer dtypes.
protocol ClampingTensorInteger: FixedWidthInteger {}

extension ClampingTensorInteger {
    static func clamping(_ value: Double) -> Self {
        if value.isNaN { return 0 }
        if value <= Double(Self.min) { return Self.min }
        // Double(Self.max) rounds up for 64-bit types; compare with >= to stay in range
        if value >= Double(Self.max) { return Self.max }
        return Self(value.rounded(.towardZero))
    }
}

extension Int8: TensorScalar, ClampingTensorInteger {
    public static var dtype: DType { .int8 }
    public var doubleValue: Double { Double(self) }
    public init(convertingDouble value: Double) { self = .clamping(value) }
}

extension UInt8: TensorScalar, ClampingTensorInteger {
    public static var dtype: DType { .uint8 }
    public var doubleValue: Double { Double(self) }
    public init(convertingDouble value: Double) { self = .clamping(value) }
}

extension Int16: TensorScalar, ClampingTensorInteger {
    public static var dtype: DType { .int16 }
    public var doubleValue: Double { Double(self) }
    public init(convertingDouble value: Double) { self = .clamping(value) }
}

extension Int32: TensorScalar, ClampingTensorInteger {
    public static var dtype: DType { .int32 }
    public var doubleValue: Double { Double(self) }
    public init(convertingDouble value: Double) { self = .clamping(value) }
}

extension Int64: TensorScalar, ClampingTensorInteger {
    public static var dtype: DType { .int64 }
    public var doubleValue: Double { Double(self) }
    public init(convertingDouble value: Double) { self = .clamping(value) }
}
