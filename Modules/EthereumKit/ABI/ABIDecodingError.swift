/// Why ABI data could not be decoded as the given types. Names the byte offset in the data and the
/// type being decoded, e.g. `invalid ABI data at offset 64 (uint8): dirty high bits in 0x...01ff`.
public struct ABIDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A category of decoding failure, so callers can match on it
    /// (`catch let error as ABIDecodingError where error.kind == .nonZeroPadding`).
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        public let name: String
        public var description: String { name }

        /// The data ends before a value does.
        public static let insufficientData = Kind(name: "insufficient data")
        /// An offset points outside the data or back into the head it belongs to.
        public static let invalidOffset = Kind(name: "invalid offset")
        /// An array or byte-string length is larger than the data could hold.
        public static let invalidLength = Kind(name: "invalid length")
        /// Bits above an integer's, address's or bool's size are not its zero or sign extension.
        public static let dirtyHighBits = Kind(name: "dirty high bits")
        /// A `bool` word holds something other than 0 or 1.
        public static let invalidBool = Kind(name: "invalid bool")
        /// Padding after `bytesN`, `bytes` or `string` content is not zero.
        public static let nonZeroPadding = Kind(name: "non-zero padding")
        /// A `string` is not valid UTF-8.
        public static let invalidUTF8 = Kind(name: "invalid UTF-8")
        /// Calldata or revert data does not start with the expected 4-byte selector.
        public static let selectorMismatch = Kind(name: "selector mismatch")
        /// A log's topics do not match the event's indexed inputs.
        public static let topicMismatch = Kind(name: "topic mismatch")
        /// The data describes far more elements than it could legitimately encode.
        public static let tooManyElements = Kind(name: "too many elements")
    }

    public let kind: Kind
    /// Byte offset in the data where the problem is (nil when it is not about a position).
    public let offset: Int?
    /// The canonical type being decoded.
    public let type: String
    /// Details, in words.
    public let detail: String

    public init(_ kind: Kind, offset: Int?, type: String, detail: String) {
        self.kind = kind
        self.offset = offset
        self.type = type
        self.detail = detail
    }

    public var description: String {
        if let offset {
            return "invalid ABI data at offset \(offset) (\(type)): \(detail)"
        }
        return "invalid ABI data (\(type)): \(detail)"
    }
}
