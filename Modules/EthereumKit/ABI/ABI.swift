/// Entry points for Solidity ABI v2 encoding and decoding.
///
/// ```swift
/// let data = try ABI.encode([.address(to), .uint(amount)], as: [.address, .uint256])
/// let values = try ABI.decode([.address, .uint256], from: data)
/// ```
public enum ABI {
    /// Encodes `values` as the tuple `types` (what Solidity's `abi.encode(v1, v2, ...)` produces).
    /// Throws `ABIEncodingError` naming the offending value when a value does not match its type.
    public static func encode(_ values: [ABIValue], as types: [ABIType]) throws(ABIEncodingError) -> [UInt8] {
        try ABIEncoder.encode(values, as: types)
    }

    /// Encodes one value as `type` (the same bytes as `encode([value], as: [type])`).
    public static func encode(_ value: ABIValue, as type: ABIType) throws(ABIEncodingError) -> [UInt8] {
        try ABIEncoder.encode([value], as: [type])
    }

    /// Decodes the tuple `types` from `data`, strictly (see `ABIDecodingError.Kind` for what is refused).
    public static func decode(_ types: [ABIType], from data: some Collection<UInt8>) throws(ABIDecodingError) -> [ABIValue] {
        try ABIDecoder.decode(types, from: data)
    }

    /// Decodes one value of `type` from `data` (encoded as a one-element tuple).
    public static func decode(_ type: ABIType, from data: some Collection<UInt8>) throws(ABIDecodingError) -> ABIValue {
        let values = try ABIDecoder.decode([type], from: data)
        return values[0]
    }

    /// Solidity's non-standard packed mode (`abi.encodePacked`): static values in their minimal
    /// size, `bytes`/`string` raw, array elements padded to 32 bytes, tuples flattened.
    /// Throws for what Solidity cannot pack either: dynamic values inside arrays.
    public static func encodePacked(_ values: [ABIValue], as types: [ABIType]) throws(ABIEncodingError) -> [UInt8] {
        try ABIPackedEncoder.encode(values, as: types)
    }
}
