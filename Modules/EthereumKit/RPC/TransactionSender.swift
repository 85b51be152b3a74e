import BigInt
import Logging

/// Sends transactions from one key: simulate, fill in gas and fees, take a nonce, sign, send, and
/// wait for the receipt.
///
/// ```swift
/// let sender = try await TransactionSender.connect(client: client, key: key)
/// let receipt = try await sender.sendAndWait(TransactionRequest(to: recipient, value: 1_000))
/// ```
/// Before anything is signed the request runs through `eth_call` (when ``simulate`` is on) and
/// `eth_estimateGas` (when it has no gas limit); a revert there throws ``ContractRevert`` with the
/// decoded reason and no nonce is consumed. Senders sharing a key should share one ``NonceManager``
/// (copies of a sender do).
public struct TransactionSender: Sendable {
    public let client: EthereumClient
    /// The signing key (never printed: `PrivateKey` redacts itself).
    public let key: PrivateKey
    /// The sending account, derived from `key`.
    public let address: Address
    public let chainID: UInt64
    public let nonces: NonceManager
    public var feeEstimator: FeeEstimator
    /// Added to `eth_estimateGas`'s answer, in percent (default 20).
    public var gasBufferPercent: UInt64
    /// Whether to run `eth_call` before sending (default true). `eth_estimateGas` runs regardless
    /// whenever the request has no gas limit.
    public var simulate: Bool
    public var logger: Logger

    public init(
        client: EthereumClient, key: PrivateKey, chainID: UInt64, nonces: NonceManager? = nil,
        feeEstimator: FeeEstimator = FeeEstimator(), gasBufferPercent: UInt64 = 20, simulate: Bool = true,
        logger: Logger = Logger(label: "aiplat.transactions", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.client = client
        self.key = key
        self.address = key.address
        self.chainID = chainID
        self.nonces = nonces ?? NonceManager(client: client)
        self.feeEstimator = feeEstimator
        self.gasBufferPercent = gasBufferPercent
        self.simulate = simulate
        self.logger = logger
    }

    /// A sender for `key` on the chain `client` talks to (reads the chain id once).
    public static func connect(
        client: EthereumClient, key: PrivateKey, nonces: NonceManager? = nil
    ) async throws -> TransactionSender {
        TransactionSender(client: client, key: key, chainID: try await client.chainID(), nonces: nonces)
    }

    /// Builds, signs and submits `request`; returns once the node accepted it.
    public func send(_ request: TransactionRequest) async throws -> PendingTransaction {
        let settled = try await settle(request)
        if let nonce = request.nonce {
            return try await submit(settled, nonce: nonce)
        }
        return try await nonces.withNonce(for: address) { nonce in
            try await submit(settled, nonce: nonce)
        }
    }

    /// ``send(_:)``, then waits for the receipt `confirmations` blocks deep. A transaction mined
    /// but reverted throws ``TransactionRevertedError`` carrying the receipt.
    public func sendAndWait(
        _ request: TransactionRequest, confirmations: UInt64 = 1, timeout: Duration = .seconds(60)
    ) async throws -> TransactionReceipt {
        let pending = try await send(request)
        let receipt = try await client.waitForReceipt(pending.hash, confirmations: confirmations, timeout: timeout)
        guard receipt.succeeded else { throw TransactionRevertedError(receipt: receipt) }
        return receipt
    }

    /// Runs `request` through `eth_call` without sending it; returns the output. A revert throws
    /// ``ContractRevert``.
    public func call(_ request: TransactionRequest, block: BlockTag = .latest) async throws -> [UInt8] {
        try await client.call(request.callRequest(from: address), block: block, errors: request.errors)
    }

    /// The transaction `request` becomes with `nonce`: gas and fees filled in, ready to sign.
    public func prepare(_ request: TransactionRequest, nonce: UInt64) async throws -> Transaction {
        try await settle(request).transaction(nonce: nonce, chainID: chainID)
    }

    // MARK: Steps

    /// A request with gas and fees decided.
    struct Settled: Sendable {
        let request: TransactionRequest
        let gasLimit: UInt64
        let fees: FeeEstimate

        func transaction(nonce: UInt64, chainID: UInt64) -> Transaction {
            switch (request.kind, fees) {
            case (.feeMarket, .eip1559(let maxFee, let tip, _)):
                return .feeMarket(FeeMarketTransaction(
                    chainID: chainID, nonce: nonce, maxPriorityFeePerGas: tip, maxFeePerGas: maxFee,
                    gasLimit: gasLimit, to: request.to, value: request.value, data: request.data,
                    accessList: request.accessList))
            case (.feeMarket, .legacy(let gasPrice)):
                return .feeMarket(FeeMarketTransaction(
                    chainID: chainID, nonce: nonce, maxPriorityFeePerGas: gasPrice, maxFeePerGas: gasPrice,
                    gasLimit: gasLimit, to: request.to, value: request.value, data: request.data,
                    accessList: request.accessList))
            case (.accessList, _):
                return .accessList(AccessListTransaction(
                    chainID: chainID, nonce: nonce, gasPrice: fees.maxCostPerGas, gasLimit: gasLimit,
                    to: request.to, value: request.value, data: request.data, accessList: request.accessList))
            case (.legacy, _):
                return .legacy(LegacyTransaction(
                    chainID: chainID, nonce: nonce, gasPrice: fees.maxCostPerGas, gasLimit: gasLimit,
                    to: request.to, value: request.value, data: request.data))
            }
        }
    }

    private func settle(_ request: TransactionRequest) async throws -> Settled {
        let call = request.callRequest(from: address)
        if simulate {
            _ = try await client.call(call, errors: request.errors)
        }
        let gasLimit: UInt64
        if let given = request.gasLimit {
            gasLimit = given
        } else {
            let estimate = try await client.estimateGas(call, errors: request.errors)
            gasLimit = estimate + estimate * gasBufferPercent / 100
        }
        return Settled(request: request, gasLimit: gasLimit, fees: try await fees(for: request))
    }

    private func fees(for request: TransactionRequest) async throws -> FeeEstimate {
        switch request.kind {
        case .feeMarket:
            if let maxFee = request.maxFeePerGas {
                let tip = request.maxPriorityFeePerGas ?? min(maxFee, feeEstimator.fallbackPriorityFee)
                return .eip1559(maxFeePerGas: maxFee, maxPriorityFeePerGas: tip, baseFee: 0)
            }
            let estimate = try await feeEstimator.estimate(using: client)
            if let tip = request.maxPriorityFeePerGas, case .eip1559(_, _, let baseFee) = estimate {
                return feeEstimator.fees(baseFee: baseFee, tip: tip)
            }
            return estimate
        case .legacy, .accessList:
            if let gasPrice = request.gasPrice { return .legacy(gasPrice: gasPrice) }
            return .legacy(gasPrice: try await client.gasPrice())
        }
    }

    private func submit(_ settled: Settled, nonce: UInt64) async throws -> PendingTransaction {
        let transaction = settled.transaction(nonce: nonce, chainID: chainID)
        let signed = transaction.sign(with: key)
        let expected = try Hash32(bytes: signed.hash)
        logger.debug("sending transaction", metadata: [
            "hash": "\(expected)", "from": "\(address)", "nonce": "\(nonce)", "type": "\(settled.request.kind)",
        ])
        let answered = try await client.sendRawTransaction(signed.rawBytes)
        if answered != expected {
            logger.warning("node answered another transaction hash", metadata: [
                "expected": "\(expected)", "answered": "\(answered)",
            ])
        }
        return PendingTransaction(hash: expected, signed: signed)
    }
}

/// A transaction the node accepted.
public struct PendingTransaction: Sendable, Hashable {
    public let hash: Hash32
    public let signed: SignedTransaction

    /// The address of the contract this transaction deploys, if it deploys one.
    public var contractAddress: Address? { signed.contractAddress }
}

/// A transaction was mined but reverted (receipt status 0).
public struct TransactionRevertedError: Error, Sendable, CustomStringConvertible {
    public let receipt: TransactionReceipt

    public var description: String {
        "transaction \(receipt.transactionHash) reverted in block \(receipt.blockNumber) (gas used \(receipt.gasUsed))"
    }
}
