import BigInt

/// A deployed contract with a typed API: calls and transactions by function name (or signature
/// for overloads) with ``ABIValue`` arguments, results decoded by the ABI, events decoded by name.
///
/// ```swift
/// let token = try await Contract.deploy(artifact, arguments: ["Token", "TOK", .uint(18), .uint(supply)], sender: sender)
/// let balance = try await token.call("balanceOf", [.address(holder)])[0].uintValue
/// let receipt = try await token.send("transfer", [.address(to), .uint(5)], from: sender)
/// let transfers = token.decodeEvents(in: receipt).filter { $0.name == "Transfer" }
/// ```
public struct Contract: Sendable {
    public let address: Address
    public let abi: ContractABI
    public let client: EthereumClient

    public init(address: Address, abi: ContractABI, client: EthereumClient) {
        self.address = address
        self.abi = abi
        self.client = client
    }

    /// Deploys `artifact` with `arguments` for its constructor, waits for the receipt, and returns the
    /// contract at its new address. A creation that reverts throws (``ContractRevert`` when caught in
    /// simulation, ``TransactionRevertedError`` when mined).
    public static func deploy(
        _ artifact: ContractArtifact, arguments: [ABIValue] = [], sender: TransactionSender,
        value: BigUInt = 0, kind: TransactionRequest.Kind = .feeMarket, gasLimit: UInt64? = nil,
        confirmations: UInt64 = 1, timeout: Duration = .seconds(60)
    ) async throws -> DeployedContract {
        let data: [UInt8]
        if let constructor = artifact.abi.constructor {
            data = try constructor.encodeDeployment(bytecode: artifact.bytecode, arguments: arguments)
        } else if arguments.isEmpty {
            data = artifact.bytecode
        } else {
            throw ABIEncodingError(
                type: artifact.contractName,
                reason: "\(artifact.contractName) has no constructor, got \(arguments.count) arguments")
        }
        let request = TransactionRequest(
            kind: kind, to: nil, value: value, data: data, gasLimit: gasLimit, errors: artifact.abi.errors)
        let receipt = try await sender.sendAndWait(request, confirmations: confirmations, timeout: timeout)
        guard let address = receipt.contractAddress else {
            throw TransactionRevertedError(receipt: receipt)
        }
        return DeployedContract(
            contract: Contract(address: address, abi: artifact.abi, client: sender.client), receipt: receipt)
    }

    /// The ABI function named by `nameOrSignature` (a signature picks an overload).
    public func function(_ nameOrSignature: String) throws(ContractABI.LookupError) -> ABIFunction {
        try abi.function(nameOrSignature)
    }

    /// Calldata for `function` with `arguments`.
    public func calldata(_ function: String, _ arguments: [ABIValue] = []) throws -> [UInt8] {
        try self.function(function).encodeCall(arguments)
    }

    /// Calls a function with `eth_call` and decodes its outputs. A revert throws ``ContractRevert``
    /// with the reason decoded against this contract's errors.
    public func call(
        _ function: String, _ arguments: [ABIValue] = [], from: Address? = nil, value: BigUInt? = nil,
        block: BlockTag = .latest
    ) async throws -> ABIDecodedValues {
        let abiFunction = try self.function(function)
        let data = try abiFunction.encodeCall(arguments)
        let output = try await client.call(
            CallRequest(from: from, to: address, value: value, data: data), block: block, errors: abi.errors)
        return try abiFunction.decodeNamedOutput(output)
    }

    /// Sends a transaction calling `function`, waits for its receipt, and returns it.
    /// A revert in simulation throws ``ContractRevert`` before anything is sent.
    public func send(
        _ function: String, _ arguments: [ABIValue] = [], from sender: TransactionSender, value: BigUInt = 0,
        kind: TransactionRequest.Kind = .feeMarket, gasLimit: UInt64? = nil, confirmations: UInt64 = 1,
        timeout: Duration = .seconds(60)
    ) async throws -> TransactionReceipt {
        try await sender.sendAndWait(
            request(function, arguments, value: value, kind: kind, gasLimit: gasLimit),
            confirmations: confirmations, timeout: timeout)
    }

    /// The transaction request for calling `function` (to send it yourself, e.g. without waiting).
    public func request(
        _ function: String, _ arguments: [ABIValue] = [], value: BigUInt = 0,
        kind: TransactionRequest.Kind = .feeMarket, gasLimit: UInt64? = nil
    ) throws -> TransactionRequest {
        TransactionRequest(
            kind: kind, to: address, value: value, data: try calldata(function, arguments), gasLimit: gasLimit,
            errors: abi.errors)
    }

    /// The events this contract emitted in `receipt`, decoded, in log order. Logs of other
    /// contracts and logs matching no event of the ABI are skipped.
    public func decodeEvents(in receipt: TransactionReceipt) throws -> [DecodedEvent] {
        try decodeEvents(receipt.logs)
    }

    /// Decodes those of `logs` this contract emitted (see ``decodeEvents(in:)``).
    public func decodeEvents(_ logs: [Log]) throws -> [DecodedEvent] {
        var events: [DecodedEvent] = []
        for log in logs where log.address == address {
            if let decoded = try abi.decodeLog(topics: log.topics.map(\.bytes), data: log.data) {
                events.append(DecodedEvent(event: decoded.event, values: decoded.values, log: log))
            }
        }
        return events
    }

    /// The log filter for `event` of this contract over a block range.
    public func filter(event: String, fromBlock: BlockTag? = nil, toBlock: BlockTag? = nil) throws -> LogFilter {
        let abiEvent = try abi.event(event)
        return LogFilter(
            address: address, topic0: try Hash32(bytes: abiEvent.topic0), fromBlock: fromBlock, toBlock: toBlock)
    }

    /// Reads and decodes `event` logs of this contract with `eth_getLogs`.
    public func events(
        _ event: String, fromBlock: BlockTag = .earliest, toBlock: BlockTag = .latest
    ) async throws -> [DecodedEvent] {
        try decodeEvents(try await client.logs(filter(event: event, fromBlock: fromBlock, toBlock: toBlock)))
    }
}

/// A contract just deployed, and the receipt of its creation.
public struct DeployedContract: Sendable {
    public let contract: Contract
    public let receipt: TransactionReceipt

    public var address: Address { contract.address }
}

/// An event log decoded against the contract's ABI.
public struct DecodedEvent: Sendable, Hashable {
    public let event: ABIEvent
    /// The event's inputs (indexed and not), by position and by name.
    public let values: ABIDecodedValues
    /// The raw log.
    public let log: Log

    /// The event's name (`Transfer`).
    public var name: String { event.name }

    /// The value of input `name`, if the event has one.
    public subscript(name: String) -> ABIValue? { values[name] }
}
