/// Which logs `eth_getLogs` returns: a block range (or one block hash), emitting addresses, and
/// topic positions where each position matches any of its values (`nil` matches anything).
public struct LogFilter: Sendable, Hashable, Encodable {
    public var fromBlock: BlockTag?
    public var toBlock: BlockTag?
    /// When set, the filter covers exactly this block and the range is ignored.
    public var blockHash: Hash32?
    /// Emitting contracts; empty means any.
    public var addresses: [Address]
    /// Topic positions: `[[transferTopic], nil, [Hash32(leftPadding: to)]]`.
    public var topics: [[Hash32]?]

    public init(
        fromBlock: BlockTag? = nil, toBlock: BlockTag? = nil, blockHash: Hash32? = nil,
        addresses: [Address] = [], topics: [[Hash32]?] = []
    ) {
        self.fromBlock = fromBlock
        self.toBlock = toBlock
        self.blockHash = blockHash
        self.addresses = addresses
        self.topics = topics
    }

    /// A filter on one contract and (optionally) one event topic.
    public init(address: Address, topic0: Hash32? = nil, fromBlock: BlockTag? = nil, toBlock: BlockTag? = nil) {
        self.init(fromBlock: fromBlock, toBlock: toBlock, addresses: [address], topics: topic0.map { [[$0]] } ?? [])
    }

    private enum CodingKeys: String, CodingKey { case fromBlock, toBlock, blockHash, address, topics }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        if let blockHash {
            try c.encode(blockHash, forKey: .blockHash)
        } else {
            try c.encodeIfPresent(fromBlock, forKey: .fromBlock)
            try c.encodeIfPresent(toBlock, forKey: .toBlock)
        }
        if addresses.count == 1 {
            try c.encode(addresses[0], forKey: .address)
        } else if !addresses.isEmpty {
            try c.encode(addresses, forKey: .address)
        }
        if !topics.isEmpty {
            var positions = c.nestedUnkeyedContainer(forKey: .topics)
            for position in topics {
                switch position {
                case nil: try positions.encodeNil()
                case let values? where values.count == 1: try positions.encode(values[0])
                case let values?: try positions.encode(values)
                }
            }
        }
    }
}
