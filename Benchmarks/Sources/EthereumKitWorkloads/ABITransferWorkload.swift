import BigInt
import EthereumKit

/// `ABI.encode` + `ABI.decode` of `transfer(address,uint256)` arguments; the next amount is the
/// decoded amount plus one.
public final class ABITransferWorkload: Workload {
    private let types: [ABIType] = [.address, .uint256]
    private let recipient: Address
    private var amount = BigUInt(10).power(18)

    public init() throws {
        recipient = try Address(bytes: pattern(count: 20, seed: 0x66))
    }

    public func run(_ count: Int) throws {
        for _ in 0..<count {
            let encoded = try ABI.encode([.address(recipient), .uint(amount)], as: types)
            let decoded = try ABI.decode(types, from: encoded)
            amount = (decoded[1].uintValue ?? 0) + 1
        }
    }

    public var checksum: UInt8 { UInt8(truncatingIfNeeded: amount.words.first ?? 0) }
}
