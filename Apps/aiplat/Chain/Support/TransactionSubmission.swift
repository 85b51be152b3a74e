import EthereumKit

/// Broadcasting a signed transaction and waiting for its receipt, shared by `send` and `deploy`.
enum TransactionSubmission {
    /// Sends `signed`. Without `wait`, prints the hash (cast's `--async`) and returns nil; otherwise
    /// returns the receipt once it is `confirmations` blocks deep.
    static func submit(
        _ signed: SignedTransaction, client: EthereumClient, wait: Bool, confirmations: UInt64,
        timeout: UInt64, json: Bool
    ) async throws -> TransactionReceipt? {
        let hash = try await client.sendRawTransaction(signed.rawBytes)
        guard wait else {
            if json { try JSONOutput.print(["transactionHash": hash.hex]) } else { Console.line(hash.hex) }
            return nil
        }
        return try await client.waitForReceipt(hash, confirmations: confirmations, timeout: .seconds(Int64(timeout)))
    }

    /// Throws when the transaction was mined but reverted, so the command exits non-zero after
    /// printing the receipt.
    static func requireSuccess(_ receipt: TransactionReceipt) throws {
        if let status = receipt.status, status != 1 {
            throw ChainCLIError("transaction \(receipt.transactionHash.hex) reverted (status \(status)) in block \(receipt.blockNumber)")
        }
    }
}
