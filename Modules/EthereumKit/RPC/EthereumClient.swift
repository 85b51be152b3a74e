import BigInt
import Logging

/// The Ethereum JSON-RPC API with Swift names and Swift types, over a ``JSONRPCClient``.
///
/// Reads take a ``BlockTag`` (default `.latest`). A call or gas estimate that reverts throws
/// ``ContractRevert`` carrying the revert data and its decoded reason; other node errors throw
/// ``JSONRPCError``; transport failures throw ``RPCTransportError``.
public struct EthereumClient: Sendable {
    /// The underlying JSON-RPC client (for batches and methods not wrapped here).
    public let rpc: JSONRPCClient

    public init(rpc: JSONRPCClient) { self.rpc = rpc }

    /// A client for `url` on the shared HTTP client (nothing to shut down).
    public init(
        url: String, configuration: JSONRPCClient.Configuration = .init(),
        logger: Logger = Logger(label: "aiplat.ethereum", factory: { _ in SwiftLogNoOpLogHandler() })
    ) throws(RPCTransportError) {
        self.rpc = try JSONRPCClient(url: url, configuration: configuration, logger: logger)
    }

    /// The endpoint URL.
    public var url: String { rpc.url }

    // MARK: Chain state

    /// `eth_chainId`.
    public func chainID() async throws -> UInt64 {
        try await uint64("eth_chainId")
    }

    /// `eth_blockNumber`: the newest block's number.
    public func blockNumber() async throws -> UInt64 {
        try await uint64("eth_blockNumber")
    }

    /// `web3_clientVersion`.
    public func clientVersion() async throws -> String {
        try await rpc.send(method: "web3_clientVersion", as: String.self)
    }

    /// `eth_getBalance`, in wei.
    public func balance(of address: Address, at block: BlockTag = .latest) async throws -> BigUInt {
        try await rpc.send(method: "eth_getBalance", params: RPCParams(address, block), as: Quantity.self).value
    }

    /// `eth_getTransactionCount`: the next nonce of `address` (use `.pending` to count queued transactions).
    public func nonce(of address: Address, at block: BlockTag = .latest) async throws -> UInt64 {
        try await uint64("eth_getTransactionCount", RPCParams(address, block))
    }

    /// `eth_getCode`: the runtime bytecode at `address` (empty for an account without code).
    public func code(at address: Address, block: BlockTag = .latest) async throws -> [UInt8] {
        try await rpc.send(method: "eth_getCode", params: RPCParams(address, block), as: HexData.self).bytes
    }

    /// `eth_getStorageAt`: the 32-byte word in storage slot `slot` of `address`.
    public func storage(at address: Address, slot: BigUInt, block: BlockTag = .latest) async throws -> Hash32 {
        let word = try await rpc.send(
            method: "eth_getStorageAt", params: RPCParams(address, Quantity(slot), block), as: HexData.self)
        // Some nodes strip leading zeros; left-pad back to a word.
        guard word.bytes.count <= 32 else {
            throw RPCTransportError(
                url: url, kind: .invalidResponse, reason: "storage word has \(word.bytes.count) bytes",
                method: "eth_getStorageAt", notDelivered: false)
        }
        return Hash32(validated: [UInt8](repeating: 0, count: 32 - word.bytes.count) + word.bytes)
    }

    /// `eth_gasPrice`, in wei.
    public func gasPrice() async throws -> BigUInt {
        try await rpc.send(method: "eth_gasPrice", as: Quantity.self).value
    }

    /// `eth_maxPriorityFeePerGas`: the node's suggested EIP-1559 tip, in wei.
    public func maxPriorityFeePerGas() async throws -> BigUInt {
        try await rpc.send(method: "eth_maxPriorityFeePerGas", as: Quantity.self).value
    }

    /// `eth_feeHistory` over `blockCount` blocks ending at `newest`, with priority fees at `rewardPercentiles`.
    public func feeHistory(
        blockCount: UInt64, newest: BlockTag = .latest, rewardPercentiles: [Double] = []
    ) async throws -> FeeHistory {
        try await rpc.send(
            method: "eth_feeHistory", params: RPCParams(Quantity(blockCount), newest, rewardPercentiles),
            as: FeeHistory.self)
    }

    /// `eth_accounts`: the accounts the node signs for (the devchain's funded test accounts).
    public func accounts() async throws -> [Address] {
        try await rpc.send(method: "eth_accounts", as: [Address].self)
    }

    // MARK: Execution

    /// `eth_call`: runs `request` against the state at `block` without a transaction and returns
    /// the output bytes. A revert throws ``ContractRevert``, its reason decoded with `errors`
    /// (the contract's custom errors) besides `Error(string)` and `Panic(uint256)`.
    public func call(_ request: CallRequest, block: BlockTag = .latest, errors: [ABIError] = []) async throws -> [UInt8] {
        do {
            return try await rpc.send(method: "eth_call", params: RPCParams(request, block), as: HexData.self).bytes
        } catch let error as JSONRPCError {
            throw ContractRevert(rpcError: error, errors: errors) ?? error
        }
    }

    /// `eth_estimateGas`: the gas `request` needs. A revert throws ``ContractRevert`` (decoded as in
    /// ``call(_:block:errors:)``).
    public func estimateGas(_ request: CallRequest, block: BlockTag? = nil, errors: [ABIError] = []) async throws -> UInt64 {
        do {
            let params = block.map { RPCParams(request, $0) } ?? RPCParams(request)
            return try await uint64("eth_estimateGas", params)
        } catch let error as JSONRPCError {
            throw ContractRevert(rpcError: error, errors: errors) ?? error
        }
    }

    /// `eth_sendRawTransaction`: submits signed, encoded transaction bytes; returns the transaction hash.
    ///
    /// Not retried once it may have reached the node (see ``JSONRPCClient``): on an
    /// ``RPCTransportError`` with `notDelivered == false`, look the hash up before sending again.
    public func sendRawTransaction(_ raw: [UInt8]) async throws -> Hash32 {
        try await rpc.send(method: "eth_sendRawTransaction", params: RPCParams(HexData(raw)), as: Hash32.self)
    }

    /// `eth_sendTransaction`: asks the node to sign with one of its own accounts (``accounts()``;
    /// the devchain's funded accounts) and send. Returns the transaction hash.
    public func sendTransaction(_ request: CallRequest) async throws -> Hash32 {
        try await rpc.send(method: "eth_sendTransaction", params: RPCParams(request), as: Hash32.self)
    }

    // MARK: Lookups

    /// `eth_getTransactionByHash`; nil when the node does not know the transaction.
    public func transaction(byHash hash: Hash32) async throws -> RPCTransaction? {
        try await rpc.send(method: "eth_getTransactionByHash", params: RPCParams(hash), as: RPCTransaction?.self)
    }

    /// `eth_getTransactionReceipt`; nil while the transaction is not mined (or unknown).
    public func receipt(for hash: Hash32) async throws -> TransactionReceipt? {
        try await rpc.send(method: "eth_getTransactionReceipt", params: RPCParams(hash), as: TransactionReceipt?.self)
    }

    /// `eth_getBlockByNumber` for a tag or number; nil when there is no such block.
    public func block(_ tag: BlockTag, fullTransactions: Bool = false) async throws -> Block? {
        try await rpc.send(method: "eth_getBlockByNumber", params: RPCParams(tag, fullTransactions), as: Block?.self)
    }

    /// `eth_getBlockByNumber`; nil when there is no such block.
    public func block(number: UInt64, fullTransactions: Bool = false) async throws -> Block? {
        try await block(.number(number), fullTransactions: fullTransactions)
    }

    /// `eth_getBlockByHash`; nil when there is no such block.
    public func block(hash: Hash32, fullTransactions: Bool = false) async throws -> Block? {
        try await rpc.send(method: "eth_getBlockByHash", params: RPCParams(hash, fullTransactions), as: Block?.self)
    }

    /// `eth_getLogs`.
    public func logs(_ filter: LogFilter) async throws -> [Log] {
        try await rpc.send(method: "eth_getLogs", params: RPCParams(filter), as: [Log].self)
    }

    // MARK: Receipts

    /// Polls until the transaction is mined and `confirmations` blocks deep (1 = mined), then returns
    /// its receipt. Throws ``ReceiptTimeoutError`` after `timeout`. Re-reads the receipt on the final
    /// check so a reorg that dropped or moved the transaction is noticed.
    public func waitForReceipt(
        _ hash: Hash32, confirmations: UInt64 = 1, timeout: Duration = .seconds(60),
        pollInterval: Duration = .milliseconds(100)
    ) async throws -> TransactionReceipt {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var lastSeen: TransactionReceipt?
        while true {
            if let receipt = try await receipt(for: hash) {
                lastSeen = receipt
                if confirmations <= 1 { return receipt }
                let head = try await blockNumber()
                if head >= receipt.blockNumber, head - receipt.blockNumber + 1 >= confirmations {
                    return receipt
                }
            }
            guard clock.now + pollInterval < deadline else {
                throw ReceiptTimeoutError(
                    transactionHash: hash, timeout: timeout, confirmations: confirmations,
                    minedInBlock: lastSeen?.blockNumber)
            }
            try await Task.sleep(for: pollInterval)
        }
    }

    // MARK: Devchain helpers (anvil/Hardhat/devchain only)

    /// `evm_mine`: mines `blocks` blocks now.
    public func mine(blocks: Int = 1) async throws {
        for _ in 0..<max(0, blocks) {
            _ = try await rpc.send(method: "evm_mine", as: JSONValue.self)
        }
    }

    /// `evm_snapshot`: records the chain state; pass the id to ``revert(to:)``.
    public func snapshot() async throws -> DevchainSnapshot {
        let value = try await rpc.send(method: "evm_snapshot", as: JSONValue.self)
        switch value {
        case .string(let text): return DevchainSnapshot(id: text)
        case .number(let text): return DevchainSnapshot(id: Quantity(UInt64(text) ?? 0).hex)
        default:
            throw RPCTransportError(
                url: url, kind: .invalidResponse, reason: "snapshot id \(value) is not a string",
                method: "evm_snapshot", notDelivered: false)
        }
    }

    /// `evm_revert`: rolls the chain back to `snapshot` (blocks after it disappear, like a reorg).
    /// Returns whether the node reverted.
    @discardableResult
    public func revert(to snapshot: DevchainSnapshot) async throws -> Bool {
        try await rpc.send(method: "evm_revert", params: RPCParams(snapshot.id), as: Bool.self)
    }

    /// `evm_increaseTime`: moves the next block's timestamp forward by `seconds`.
    public func increaseTime(by seconds: UInt64) async throws {
        _ = try await rpc.send(method: "evm_increaseTime", params: RPCParams(seconds), as: JSONValue.self)
    }

    /// `evm_setAutomine`: whether each transaction is mined into its own block as it arrives.
    public func setAutomine(_ enabled: Bool) async throws {
        _ = try await rpc.send(method: "evm_setAutomine", params: RPCParams(enabled), as: JSONValue.self)
    }

    // MARK: Helpers

    private func uint64(_ method: String, _ params: RPCParams = .none) async throws -> UInt64 {
        let quantity = try await rpc.send(method: method, params: params, as: Quantity.self)
        guard let value = quantity.uint64 else {
            throw RPCTransportError(
                url: url, kind: .invalidResponse, reason: "\(quantity.hex) does not fit in 64 bits",
                method: method, notDelivered: false)
        }
        return value
    }
}

/// An `evm_snapshot` id, to roll the devchain back with ``EthereumClient/revert(to:)``.
public struct DevchainSnapshot: Sendable, Hashable, Codable {
    public let id: String
    public init(id: String) { self.id = id }
}

/// A transaction was not mined (or not confirmed deep enough) within the time allowed.
public struct ReceiptTimeoutError: Error, Sendable, CustomStringConvertible {
    public let transactionHash: Hash32
    public let timeout: Duration
    public let confirmations: UInt64
    /// The block it was mined in, when it was mined but not yet confirmed enough.
    public let minedInBlock: UInt64?

    public var description: String {
        if let minedInBlock {
            return "transaction \(transactionHash) mined in block \(minedInBlock) but not \(confirmations) confirmations deep after \(timeout)"
        }
        return "transaction \(transactionHash) not mined after \(timeout)"
    }
}
