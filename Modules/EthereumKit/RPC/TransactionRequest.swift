import BigInt

/// A transaction to send before nonce, gas and fees are settled: ``TransactionSender`` fills in
/// whatever is nil (nonce from its ``NonceManager``, gas from `eth_estimateGas` plus a buffer,
/// fees from ``FeeEstimator`` or `eth_gasPrice`).
public struct TransactionRequest: Sendable, Hashable {
    /// The transaction type to build.
    public enum Kind: Sendable, Hashable, CustomStringConvertible {
        /// Type 0 with EIP-155 replay protection.
        case legacy
        /// Type 1 (EIP-2930): gas price plus an access list.
        case accessList
        /// Type 2 (EIP-1559): max fee and priority fee.
        case feeMarket

        public var description: String {
            switch self {
            case .legacy: return "legacy"
            case .accessList: return "EIP-2930"
            case .feeMarket: return "EIP-1559"
            }
        }
    }

    public var kind: Kind
    /// Nil deploys `data` as init code.
    public var to: Address?
    public var value: BigUInt
    public var data: [UInt8]
    public var accessList: [AccessListEntry]
    public var gasLimit: UInt64?
    /// For legacy and EIP-2930 transactions.
    public var gasPrice: BigUInt?
    /// For EIP-1559 transactions.
    public var maxFeePerGas: BigUInt?
    public var maxPriorityFeePerGas: BigUInt?
    /// Set to bypass the nonce manager (e.g. to replace a stuck transaction).
    public var nonce: UInt64?
    /// Custom errors of the target contract, to decode a revert found in simulation.
    public var errors: [ABIError]

    public init(
        kind: Kind = .feeMarket, to: Address?, value: BigUInt = 0, data: [UInt8] = [],
        accessList: [AccessListEntry] = [], gasLimit: UInt64? = nil, gasPrice: BigUInt? = nil,
        maxFeePerGas: BigUInt? = nil, maxPriorityFeePerGas: BigUInt? = nil, nonce: UInt64? = nil,
        errors: [ABIError] = []
    ) {
        self.kind = kind
        self.to = to
        self.value = value
        self.data = data
        self.accessList = accessList
        self.gasLimit = gasLimit
        self.gasPrice = gasPrice
        self.maxFeePerGas = maxFeePerGas
        self.maxPriorityFeePerGas = maxPriorityFeePerGas
        self.nonce = nonce
        self.errors = errors
    }

    /// The `eth_call`/`eth_estimateGas` form of this request, sent from `sender`.
    public func callRequest(from sender: Address) -> CallRequest {
        CallRequest(
            from: sender, to: to, gas: gasLimit, value: value, data: data,
            accessList: kind == .legacy || accessList.isEmpty ? nil : accessList)
    }
}
