import BigInt
import EthereumKit

/// Signing an EIP-1559 ERC-20 `transfer` (68 bytes of call data) to its raw bytes; the next nonce
/// grows by 1 or 2 depending on the last raw transaction's final byte.
public final class TransactionSigningWorkload: Workload {
    private let key: PrivateKey
    private var transaction: FeeMarketTransaction
    private var lastByte: UInt8 = 0

    public init() throws {
        key = try PrivateKey(bytes: pattern(count: 32, seed: 0x01))
        let recipientWord = [UInt8](repeating: 0, count: 12) + pattern(count: 20, seed: 0x66)
        let amount: UInt64 = 1_000_000_000_000_000_000  // 1 token of 18 decimals
        let amountWord = [UInt8](repeating: 0, count: 24) + (0..<8).map { UInt8(truncatingIfNeeded: amount >> (56 - 8 * $0)) }
        let transferCall = [0xa9, 0x05, 0x9c, 0xbb] + recipientWord + amountWord
        transaction = FeeMarketTransaction(
            chainID: 1, nonce: 0, maxPriorityFeePerGas: 1_000_000_000, maxFeePerGas: 30_000_000_000,
            gasLimit: 60_000, to: try Address(bytes: pattern(count: 20, seed: 0x55)), value: 0, data: transferCall)
    }

    public func run(_ count: Int) throws {
        for _ in 0..<count {
            let raw = transaction.sign(with: key).rawBytes
            lastByte = raw[raw.count - 1]
            transaction.nonce += 1 + UInt64(lastByte & 1)
        }
    }

    public var checksum: UInt8 { lastByte }
}
