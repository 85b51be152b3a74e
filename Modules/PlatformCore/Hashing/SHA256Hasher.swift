import COpenSSL

/// Streaming SHA-256 through the system OpenSSL (SHA-NI/AVX2 assembly where the CPU has it).
///
/// A value type: the whole hash state is a plain C struct, so a partially fed hasher can be
/// copied, stored between requests (resumable uploads) and handed to another task.
///
/// ```swift
/// var hasher = SHA256Hasher()
/// hasher.update(chunk1)
/// hasher.update(chunk2)
/// let hex = hasher.finalize().hex
/// ```
public struct SHA256Hasher: Sendable {
    private var context = SHA256_CTX()
    /// How many bytes have been fed so far.
    public private(set) var byteCount: Int64 = 0

    public init() {
        SHA256_Init(&context)
    }

    /// Feeds `bytes`.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        SHA256_Update(&context, base, bytes.count)
        byteCount += Int64(bytes.count)
    }

    /// Feeds `bytes`.
    public mutating func update(_ bytes: some ContiguousBytesSequence) {
        bytes.withUnsafeBytesOfChunk { update($0) }
    }

    /// The digest of everything fed so far. The hasher itself is left unchanged, so feeding may go on.
    public func finalize() -> SHA256Digest {
        var copy = context
        var output = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        output.withUnsafeMutableBufferPointer { _ = SHA256_Final($0.baseAddress, &copy) }
        return SHA256Digest(bytes: output)
    }

    /// The digest of `bytes` in one call.
    public static func hash(_ bytes: some ContiguousBytesSequence) -> SHA256Digest {
        var hasher = SHA256Hasher()
        hasher.update(bytes)
        return hasher.finalize()
    }
}
