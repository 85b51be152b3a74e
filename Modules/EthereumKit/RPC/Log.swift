/// An event log as nodes return it in receipts and from `eth_getLogs`.
///
/// `removed` is true when a reorg took the log out of the canonical chain (nodes set it in filter
/// answers; ``LogPoller`` sets it when it detects the reorg itself).
public struct Log: Sendable, Hashable, Codable {
    public var address: Address
    public var topics: [Hash32]
    public var data: [UInt8]
    public var blockNumber: UInt64?
    public var blockHash: Hash32?
    public var transactionHash: Hash32?
    public var transactionIndex: UInt64?
    public var logIndex: UInt64?
    public var removed: Bool

    public init(
        address: Address, topics: [Hash32], data: [UInt8], blockNumber: UInt64? = nil, blockHash: Hash32? = nil,
        transactionHash: Hash32? = nil, transactionIndex: UInt64? = nil, logIndex: UInt64? = nil, removed: Bool = false
    ) {
        self.address = address
        self.topics = topics
        self.data = data
        self.blockNumber = blockNumber
        self.blockHash = blockHash
        self.transactionHash = transactionHash
        self.transactionIndex = transactionIndex
        self.logIndex = logIndex
        self.removed = removed
    }

    private enum CodingKeys: String, CodingKey {
        case address, topics, data, blockNumber, blockHash, transactionHash, transactionIndex, logIndex, removed
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        address = try c.decode(Address.self, forKey: .address)
        topics = try c.decodeIfPresent([Hash32].self, forKey: .topics) ?? []
        data = try c.decodeBytesIfPresent(.data) ?? []
        blockNumber = try c.decodeUInt64IfPresent(.blockNumber)
        blockHash = try c.decodeIfPresent(Hash32.self, forKey: .blockHash)
        transactionHash = try c.decodeIfPresent(Hash32.self, forKey: .transactionHash)
        transactionIndex = try c.decodeUInt64IfPresent(.transactionIndex)
        logIndex = try c.decodeUInt64IfPresent(.logIndex)
        removed = try c.decodeIfPresent(Bool.self, forKey: .removed) ?? false
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(address, forKey: .address)
        try c.encode(topics, forKey: .topics)
        try c.encode(HexData(data), forKey: .data)
        try c.encodeQuantityIfPresent(blockNumber, forKey: .blockNumber)
        try c.encodeIfPresent(blockHash, forKey: .blockHash)
        try c.encodeIfPresent(transactionHash, forKey: .transactionHash)
        try c.encodeQuantityIfPresent(transactionIndex, forKey: .transactionIndex)
        try c.encodeQuantityIfPresent(logIndex, forKey: .logIndex)
        try c.encode(removed, forKey: .removed)
    }
}
