import BigInt
import EthereumKit

/// Fills in a transaction's missing fields from the node and signs it: the CLI glue between cast-style
/// options and EthereumKit's `Transaction`. Asks the node only for what the options leave out, so a
/// fully specified `mktx` works offline.
struct TransactionPlanner: Sendable {
    /// What the transaction does.
    struct Intent: Sendable {
        var to: Address?
        var data: [UInt8]
    }

    let options: TransactionOptions.Parsed
    /// The node; asked only for the fields the options leave out.
    let client: EthereumClient

    /// The unsigned transaction from `sender`, every field decided.
    func transaction(_ intent: Intent, from sender: Address) async throws -> Transaction {
        func node() -> EthereumClient { client }

        let chainID: UInt64
        if let given = options.chainID { chainID = given } else { chainID = try await node().chainID() }
        let nonce: UInt64
        if let given = options.nonce { nonce = given } else { nonce = try await node().nonce(of: sender, at: .pending) }
        let gasLimit: UInt64
        if let given = options.gasLimit {
            gasLimit = given
        } else {
            // Estimating also simulates: a call that would revert fails here with its reason, before signing.
            let request = CallRequest(from: sender, to: intent.to, value: options.value, data: intent.data)
            gasLimit = try await node().estimateGas(request)
        }

        if options.legacy {
            let gasPrice: BigUInt
            if let given = options.gasPrice { gasPrice = given } else { gasPrice = try await node().gasPrice() }
            return .legacy(LegacyTransaction(
                chainID: chainID, nonce: nonce, gasPrice: gasPrice, gasLimit: gasLimit,
                to: intent.to, value: options.value, data: intent.data))
        }

        var maxFee = options.gasPrice
        var tip = options.priorityGasPrice
        if maxFee == nil || tip == nil {
            switch try await FeeEstimator().estimate(using: node()) {
            case .eip1559(let estimatedMaxFee, let estimatedTip, _):
                maxFee = maxFee ?? estimatedMaxFee
                tip = tip ?? Swift.min(estimatedTip, maxFee ?? estimatedTip)
            case .legacy(let gasPrice):
                // A chain without EIP-1559: pay the node's gas price as both fee and tip.
                maxFee = maxFee ?? gasPrice
                tip = tip ?? Swift.min(gasPrice, maxFee ?? gasPrice)
            }
        }
        guard let maxFee, let tip else {
            throw ChainCLIError("could not decide the transaction's fees")
        }
        guard tip <= maxFee else {
            throw ChainCLIError("--priority-gas-price (\(tip) wei) exceeds the max fee per gas (\(maxFee) wei)")
        }
        return .feeMarket(FeeMarketTransaction(
            chainID: chainID, nonce: nonce, maxPriorityFeePerGas: tip, maxFeePerGas: maxFee,
            gasLimit: gasLimit, to: intent.to, value: options.value, data: intent.data))
    }
}
