import EthereumKit

/// `PrivateKey.sign(digest:)`; each digest is the previous signature's r.
public final class SignWorkload: Workload {
    private let key: PrivateKey
    private var digest: [UInt8]

    public init() throws {
        key = try PrivateKey(bytes: pattern(count: 32, seed: 0x01))
        digest = pattern(count: 32, seed: 0x11)
    }

    public func run(_ count: Int) throws {
        for _ in 0..<count { digest = try key.sign(digest: digest).r }
    }

    public var checksum: UInt8 { digest[0] }
}
