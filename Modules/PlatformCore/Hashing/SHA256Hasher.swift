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

    /// The state after the bytes fed so far, in a portable form (the eight chaining words
    /// big-endian, the byte count, the bytes of the unfinished block) that ``init(exportedState:)``
    /// reads back, so hashing can go on in another process or on another machine.
    public var exportedState: [UInt8] {
        var out = Array("S256".utf8)
        withUnsafeBytes(of: context.h) { words in
            for word in words.bindMemory(to: UInt32.self) { out += withUnsafeBytes(of: word.bigEndian, Array.init) }
        }
        out += withUnsafeBytes(of: UInt64(byteCount).bigEndian, Array.init)
        let pending = Int(byteCount % 64)
        out.append(UInt8(pending))
        withUnsafeBytes(of: context.data) { out += $0.prefix(pending) }
        return out
    }

    /// A hasher that goes on from an ``exportedState``; nil when `state` is not one.
    public init?(exportedState state: [UInt8]) {
        let header = 4 + 32 + 8 + 1
        guard state.count >= header, state.prefix(4).elementsEqual("S256".utf8) else { return nil }
        let count = state[36..<44].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let pending = Int(state[44])
        guard count < UInt64(Int64.max) / 8, pending == Int(count % 64), state.count == header + pending else { return nil }
        self.init()
        withUnsafeMutableBytes(of: &context.h) { words in
            for i in 0..<8 {
                let word = state[(4 + 4 * i)..<(8 + 4 * i)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
                words.storeBytes(of: word, toByteOffset: 4 * i, as: UInt32.self)
            }
        }
        let bits = count * 8
        context.Nl = UInt32(truncatingIfNeeded: bits)
        context.Nh = UInt32(truncatingIfNeeded: bits >> 32)
        context.num = UInt32(pending)
        withUnsafeMutableBytes(of: &context.data) { data in
            for i in 0..<pending { data[i] = state[header + i] }
        }
        byteCount = Int64(count)
    }

    /// The digest of `bytes` in one call.
    public static func hash(_ bytes: some ContiguousBytesSequence) -> SHA256Digest {
        var hasher = SHA256Hasher()
        hasher.update(bytes)
        return hasher.finalize()
    }
}
