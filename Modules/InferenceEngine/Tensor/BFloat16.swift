/// The bfloat16 format: the upper 16 bits of an IEEE-754 binary32 (8 exponent bits, 7 mantissa bits).
public struct BFloat16: Sendable, Hashable, CustomStringConvertible {
    /// The raw 16 bits.
    public var bitPattern: UInt16

    /// Wraps raw bits.
    public init(bitPattern: UInt16) { self.bitPattern = bitPattern }

    /// Rounds `value` to nearest, ties to even (as PyTorch and ml_dtypes do). NaN stays a quiet NaN.
    public init(_ value: Float) {
        let bits = value.bitPattern
        if value.isNaN {
            bitPattern = UInt16(truncatingIfNeeded: bits >> 16) | 0x0040
            return
        }
        let roundingBias: UInt32 = 0x7FFF + ((bits >> 16) & 1)
        bitPattern = UInt16(truncatingIfNeeded: (bits &+ roundingBias) >> 16)
    }

    /// The exact binary32 value.
    public var floatValue: Float { Float(bitPattern: UInt32(bitPattern) << 16) }

    public var description: String { floatValue.description }
}
