/// A finished SHA-256: 32 bytes.
public struct SHA256Digest: Sendable, Hashable {
    /// The 32 digest bytes.
    public let bytes: [UInt8]

    /// Wraps 32 bytes computed elsewhere (or random bytes to render as hex).
    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Lowercase hexadecimal, 64 characters.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
