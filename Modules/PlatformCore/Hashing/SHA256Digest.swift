/// A finished SHA-256: 32 bytes.
public struct SHA256Digest: Sendable, Hashable {
    /// The 32 digest bytes.
    public let bytes: [UInt8]

    /// Wraps 32 bytes computed elsewhere (or random bytes to render as hex).
    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Lowercase hexadecimal, 64 characters.
    public var hex: String { HexEncoding.lowercase(bytes) }
}
