import BigInt
import EthereumKit

/// Turns cast-style transaction options into EthereumKit's `TransactionRequest` and a
/// `TransactionSender`, which fills in what the options leave out (nonce, gas, fees) and signs.
///
/// The chain id and nonce are asked from the node only when not given, so a fully specified `mktx`
/// (with `--nonce`, `--gas-limit`, `--chain` and the fees) never contacts it.
struct TransactionPlanner: Sendable {
    let options: TransactionOptions.Parsed
    let client: EthereumClient

    /// The request for a call of `data` on `to` (nil: deploy `data` as init code).
    func request(to: Address?, data: [UInt8], errors: [ABIError] = []) -> TransactionRequest {
        TransactionRequest(
            kind: options.legacy ? .legacy : .feeMarket,
            to: to,
            value: options.value,
            data: data,
            gasLimit: options.gasLimit,
            gasPrice: options.legacy ? options.gasPrice : nil,
            maxFeePerGas: options.legacy ? nil : options.gasPrice,
            maxPriorityFeePerGas: options.priorityGasPrice,
            nonce: options.nonce,
            errors: errors)
    }

    /// A sender for `key` on `--chain` (or the node's chain id). `simulate` runs `eth_call` before
    /// signing; without a gas limit `eth_estimateGas` simulates anyway.
    func sender(for key: PrivateKey, simulate: Bool) async throws -> TransactionSender {
        let chainID: UInt64
        if let given = options.chainID { chainID = given } else { chainID = try await client.chainID() }
        return TransactionSender(client: client, key: key, chainID: chainID, simulate: simulate)
    }

    /// The signed transaction `request` becomes, without sending it (what `mktx` prints).
    func sign(_ request: TransactionRequest, with key: PrivateKey) async throws -> SignedTransaction {
        let sender = try await sender(for: key, simulate: false)
        let nonce: UInt64
        if let given = options.nonce { nonce = given } else { nonce = try await client.nonce(of: key.address, at: .pending) }
        return try await sender.prepare(request, nonce: nonce).sign(with: key)
    }

    /// Sends `request` from `key`. Without `wait`, prints the hash (cast's `--async`) and returns nil;
    /// otherwise returns the receipt once it is `confirmations` blocks deep, whether or not it reverted.
    func send(
        _ request: TransactionRequest, from key: PrivateKey, wait: Bool, confirmations: UInt64, timeout: UInt64,
        json: Bool
    ) async throws -> (pending: PendingTransaction, receipt: TransactionReceipt?) {
        let sender = try await sender(for: key, simulate: true)
        let pending = try await sender.send(request)
        guard wait else {
            if json { try JSONOutput.print(["transactionHash": pending.hash.hex]) } else { Console.line(pending.hash.hex) }
            return (pending, nil)
        }
        let receipt = try await client.waitForReceipt(
            pending.hash, confirmations: confirmations, timeout: .seconds(Int64(timeout)))
        return (pending, receipt)
    }

    /// Throws when the transaction was mined but reverted, so the command exits non-zero after
    /// printing the receipt.
    static func requireSuccess(_ receipt: TransactionReceipt) throws {
        if let status = receipt.status, status != 1 {
            throw ChainCLIError("transaction \(receipt.transactionHash.hex) reverted (status \(status)) in block \(receipt.blockNumber)")
        }
    }
}
