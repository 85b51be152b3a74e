import EthereumKit

/// Keccak-256 of a buffer; the buffer's first byte becomes the previous digest's first byte
/// (for 32-byte inputs the whole input is the previous digest).
public final class KeccakWorkload: Workload {
    private var input: [UInt8]

    public init(byteCount: Int, seed: UInt8) {
        input = pattern(count: byteCount, seed: seed)
    }

    public func run(_ count: Int) {
        if input.count == Keccak256.digestByteCount {
            for _ in 0..<count { input = Keccak256.hash(input) }
        } else {
            for _ in 0..<count { input[0] = Keccak256.hash(input)[0] }
        }
    }

    public var checksum: UInt8 { input[0] }
}
