/// Arbitrary bytes on the wire: `0x`-prefixed lowercase hex (`"0x"` for none).
public struct HexData: Sendable, Hashable, Codable, CustomStringConvertible {
    public var bytes: [UInt8]

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Parses `0x`-prefixed (or bare) hex with an even number of digits.
    public init(hex text: String) throws(Hex.DecodingError) {
        self.bytes = try Hex.decode(text)
    }

    public var hex: String { Hex.encode(bytes) }
    public var description: String { hex }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            bytes = try Hex.decode(text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }
}
