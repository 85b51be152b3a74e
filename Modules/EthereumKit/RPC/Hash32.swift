/// A 32-byte value on the wire: a transaction or block hash, a log topic, a storage slot.
/// Codable as lowercase `0x` hex.
public struct Hash32: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The 32 bytes.
    public let bytes: [UInt8]

    /// 32 zero bytes.
    public static let zero = Hash32(validated: [UInt8](repeating: 0, count: 32))

    init(validated bytes: [UInt8]) { self.bytes = bytes }

    /// Exactly 32 bytes.
    public init(bytes: some Collection<UInt8>) throws(Hash32Error) {
        let bytes = Array(bytes)
        guard bytes.count == 32 else {
            throw Hash32Error(input: Hex.encode(bytes), reason: "expected 32 bytes, got \(bytes.count)")
        }
        self.bytes = bytes
    }

    /// 64 hex digits with or without `0x`.
    public init(hex: String) throws(Hash32Error) {
        let decoded: [UInt8]
        do {
            decoded = try Hex.decode(hex)
        } catch {
            throw Hash32Error(input: hex, reason: error.reason)
        }
        guard decoded.count == 32 else {
            throw Hash32Error(input: hex, reason: "expected 32 bytes (64 hex digits), got \(decoded.count) bytes")
        }
        self.bytes = decoded
    }

    /// A 32-byte word holding `address` right-aligned (how an indexed address appears in a topic).
    public init(leftPadding address: Address) {
        self.bytes = [UInt8](repeating: 0, count: 12) + address.bytes
    }

    /// Lowercase `0x` hex.
    public var hex: String { Hex.encode(bytes) }
    public var description: String { hex }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try Hash32(hex: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }
}

/// Why bytes or hex were refused as a 32-byte hash.
public struct Hash32Error: Error, Sendable, Equatable, CustomStringConvertible {
    public let input: String
    public let reason: String
    public var description: String { "invalid 32-byte hash \"\(input.prefix(140))\": \(reason)" }
}
