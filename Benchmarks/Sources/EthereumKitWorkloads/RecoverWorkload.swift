import EthereumKit

/// `Signature(bytes:)` + `recoverPublicKey(digest:)` over 256 precomputed 65-byte signatures;
/// the next pair is chosen by the low bit of the last recovered key's first byte.
public final class RecoverWorkload: Workload {
    private static let pairCount = 256
    private let digests: [[UInt8]]
    private let signatures: [[UInt8]]
    private var index = 0
    private var lastKeyByte: UInt8 = 0

    public init() throws {
        let key = try PrivateKey(bytes: pattern(count: 32, seed: 0x01))
        var digests: [[UInt8]] = [], signatures: [[UInt8]] = []
        var digest = pattern(count: 32, seed: 0x22)
        for _ in 0..<Self.pairCount {
            let signature = try key.sign(digest: digest)
            digests.append(digest)
            signatures.append(signature.r + signature.s + [signature.recoveryID])
            digest = signature.r
        }
        self.digests = digests
        self.signatures = signatures
    }

    public func run(_ count: Int) throws {
        for _ in 0..<count {
            let signature = try Signature(bytes: signatures[index])
            let publicKey = try signature.recoverPublicKey(digest: digests[index])
            lastKeyByte = publicKey.rawBytes[0]
            index = (index + 1 + Int(lastKeyByte & 1)) % Self.pairCount
        }
    }

    public var checksum: UInt8 { lastKeyByte }
}
