import BigInt

/// The outcome of a mined transaction (`eth_getTransactionReceipt`).
public struct TransactionReceipt: Sendable, Hashable, Codable {
    public var transactionHash: Hash32
    public var transactionIndex: UInt64
    public var blockHash: Hash32
    public var blockNumber: UInt64
    public var from: Address
    /// Nil for a contract creation.
    public var to: Address?
    /// The created contract, for a creation.
    public var contractAddress: Address?
    public var cumulativeGasUsed: UInt64
    public var gasUsed: UInt64
    /// What one unit of gas actually cost (nil on pre-London nodes).
    public var effectiveGasPrice: BigUInt?
    public var logs: [Log]
    public var logsBloom: [UInt8]
    /// 0 legacy, 1 EIP-2930, 2 EIP-1559.
    public var type: UInt64
    /// 1 success, 0 reverted; nil on pre-Byzantium receipts (which carry `root` instead).
    public var status: UInt64?
    public var root: Hash32?

    /// True when the transaction executed without reverting.
    public var succeeded: Bool { status == 1 }

    private enum CodingKeys: String, CodingKey {
        case transactionHash, transactionIndex, blockHash, blockNumber, from, to, contractAddress
        case cumulativeGasUsed, gasUsed, effectiveGasPrice, logs, logsBloom, type, status, root
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        transactionHash = try c.decode(Hash32.self, forKey: .transactionHash)
        transactionIndex = try c.decodeUInt64(.transactionIndex)
        blockHash = try c.decode(Hash32.self, forKey: .blockHash)
        blockNumber = try c.decodeUInt64(.blockNumber)
        from = try c.decode(Address.self, forKey: .from)
        to = try c.decodeIfPresent(Address.self, forKey: .to)
        contractAddress = try c.decodeIfPresent(Address.self, forKey: .contractAddress)
        cumulativeGasUsed = try c.decodeUInt64(.cumulativeGasUsed)
        gasUsed = try c.decodeUInt64(.gasUsed)
        effectiveGasPrice = try c.decodeQuantityIfPresent(.effectiveGasPrice)
        logs = try c.decodeIfPresent([Log].self, forKey: .logs) ?? []
        logsBloom = try c.decodeBytesIfPresent(.logsBloom) ?? []
        type = try c.decodeUInt64IfPresent(.type) ?? 0
        status = try c.decodeUInt64IfPresent(.status)
        root = try? c.decodeIfPresent(Hash32.self, forKey: .root)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(transactionHash, forKey: .transactionHash)
        try c.encodeQuantityIfPresent(transactionIndex, forKey: .transactionIndex)
        try c.encode(blockHash, forKey: .blockHash)
        try c.encodeQuantityIfPresent(blockNumber, forKey: .blockNumber)
        try c.encode(from, forKey: .from)
        try c.encodeIfPresent(to, forKey: .to)
        try c.encodeIfPresent(contractAddress, forKey: .contractAddress)
        try c.encodeQuantityIfPresent(cumulativeGasUsed, forKey: .cumulativeGasUsed)
        try c.encodeQuantityIfPresent(gasUsed, forKey: .gasUsed)
        try c.encodeQuantityIfPresent(effectiveGasPrice, forKey: .effectiveGasPrice)
        try c.encode(logs, forKey: .logs)
        try c.encode(HexData(logsBloom), forKey: .logsBloom)
        try c.encodeQuantityIfPresent(type, forKey: .type)
        try c.encodeQuantityIfPresent(status, forKey: .status)
        try c.encodeIfPresent(root, forKey: .root)
    }
}
