/// Why bytes were refused as RLP, or an item did not have the expected shape.
public enum RLPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The input is empty.
    case emptyInput
    /// An item at `offset` needs `needed` bytes but only `available` remain (in the input or its enclosing list).
    case truncated(offset: Int, needed: Int, available: Int)
    /// A single byte below 0x80 at `offset` was wrapped in a string header (it must encode as itself).
    case nonCanonicalSingleByte(offset: Int)
    /// A long-form length at `offset` is below 56 (the short form was required).
    case nonCanonicalLength(offset: Int)
    /// A long-form length at `offset` starts with a zero byte.
    case leadingZeroInLength(offset: Int)
    /// A long-form length at `offset` does not fit in memory.
    case lengthTooLarge(offset: Int)
    /// `count` bytes follow the top-level item, starting at `offset`.
    case trailingBytes(offset: Int, count: Int)
    /// Lists are nested deeper than `RLP.maxDepth` at `offset`.
    case tooDeep(offset: Int)
    /// `field` was a list where a byte string was expected.
    case expectedBytes(field: String)
    /// `field` was a byte string where a list was expected.
    case expectedList(field: String)
    /// `field` is an integer with a leading zero byte.
    case nonCanonicalInteger(field: String)
    /// `field` is an integer longer than `maxBytes`.
    case integerTooLarge(field: String, maxBytes: Int)

    public var description: String {
        switch self {
        case .emptyInput: "invalid RLP: empty input"
        case .truncated(let offset, let needed, let available):
            "invalid RLP at offset \(offset): item needs \(needed) bytes, only \(available) remain"
        case .nonCanonicalSingleByte(let offset):
            "invalid RLP at offset \(offset): a single byte below 0x80 must be encoded as itself"
        case .nonCanonicalLength(let offset):
            "invalid RLP at offset \(offset): long-form length below 56 (must use the short form)"
        case .leadingZeroInLength(let offset): "invalid RLP at offset \(offset): length has a leading zero byte"
        case .lengthTooLarge(let offset): "invalid RLP at offset \(offset): length too large"
        case .trailingBytes(let offset, let count):
            "invalid RLP at offset \(offset): \(count) trailing byte\(count == 1 ? "" : "s") after the item"
        case .tooDeep(let offset): "invalid RLP at offset \(offset): lists nested deeper than \(RLP.maxDepth)"
        case .expectedBytes(let field): "invalid RLP: \(field) must be a byte string, got a list"
        case .expectedList(let field): "invalid RLP: \(field) must be a list, got a byte string"
        case .nonCanonicalInteger(let field): "invalid RLP: \(field) is an integer with a leading zero byte"
        case .integerTooLarge(let field, let maxBytes): "invalid RLP: \(field) is longer than \(maxBytes) bytes"
        }
    }
}
