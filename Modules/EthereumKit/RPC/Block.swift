import BigInt

/// A block header and its transactions (hashes only, or full objects when requested).
public struct Block: Sendable, Hashable, Codable {
    /// The block's transactions, in the form that was asked for.
    public enum Transactions: Sendable, Hashable, Codable {
        case hashes([Hash32])
        case full([RPCTransaction])

        /// The transaction hashes, whichever form the block came in.
        public var hashes: [Hash32] {
            switch self {
            case .hashes(let hashes): return hashes
            case .full(let transactions): return transactions.map(\.hash)
            }
        }

        public var count: Int {
            switch self {
            case .hashes(let hashes): return hashes.count
            case .full(let transactions): return transactions.count
            }
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let hashes = try? container.decode([Hash32].self) {
                self = .hashes(hashes)
            } else {
                self = .full(try container.decode([RPCTransaction].self))
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .hashes(let hashes): try container.encode(hashes)
            case .full(let transactions): try container.encode(transactions)
            }
        }
    }

    /// Nil for a pending block.
    public var number: UInt64?
    /// Nil for a pending block.
    public var hash: Hash32?
    public var parentHash: Hash32
    public var timestamp: UInt64
    public var gasLimit: UInt64
    public var gasUsed: UInt64
    /// EIP-1559 base fee (nil before London).
    public var baseFeePerGas: BigUInt?
    public var miner: Address?
    public var stateRoot: Hash32?
    public var transactionsRoot: Hash32?
    public var receiptsRoot: Hash32?
    public var logsBloom: [UInt8]
    public var extraData: [UInt8]
    public var difficulty: BigUInt?
    public var size: UInt64?
    public var transactions: Transactions
    public var uncles: [Hash32]

    private enum CodingKeys: String, CodingKey {
        case number, hash, parentHash, timestamp, gasLimit, gasUsed, baseFeePerGas, miner
        case stateRoot, transactionsRoot, receiptsRoot, logsBloom, extraData, difficulty, size, transactions, uncles
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        number = try c.decodeUInt64IfPresent(.number)
        hash = try c.decodeIfPresent(Hash32.self, forKey: .hash)
        parentHash = try c.decode(Hash32.self, forKey: .parentHash)
        timestamp = try c.decodeUInt64(.timestamp)
        gasLimit = try c.decodeUInt64(.gasLimit)
        gasUsed = try c.decodeUInt64(.gasUsed)
        baseFeePerGas = try c.decodeQuantityIfPresent(.baseFeePerGas)
        miner = try c.decodeIfPresent(Address.self, forKey: .miner)
        stateRoot = try c.decodeIfPresent(Hash32.self, forKey: .stateRoot)
        transactionsRoot = try c.decodeIfPresent(Hash32.self, forKey: .transactionsRoot)
        receiptsRoot = try c.decodeIfPresent(Hash32.self, forKey: .receiptsRoot)
        logsBloom = try c.decodeBytesIfPresent(.logsBloom) ?? []
        extraData = try c.decodeBytesIfPresent(.extraData) ?? []
        difficulty = try c.decodeQuantityIfPresent(.difficulty)
        size = try c.decodeUInt64IfPresent(.size)
        transactions = try c.decodeIfPresent(Transactions.self, forKey: .transactions) ?? .hashes([])
        uncles = try c.decodeIfPresent([Hash32].self, forKey: .uncles) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeQuantityIfPresent(number, forKey: .number)
        try c.encodeIfPresent(hash, forKey: .hash)
        try c.encode(parentHash, forKey: .parentHash)
        try c.encodeQuantityIfPresent(timestamp, forKey: .timestamp)
        try c.encodeQuantityIfPresent(gasLimit, forKey: .gasLimit)
        try c.encodeQuantityIfPresent(gasUsed, forKey: .gasUsed)
        try c.encodeQuantityIfPresent(baseFeePerGas, forKey: .baseFeePerGas)
        try c.encodeIfPresent(miner, forKey: .miner)
        try c.encodeIfPresent(stateRoot, forKey: .stateRoot)
        try c.encodeIfPresent(transactionsRoot, forKey: .transactionsRoot)
        try c.encodeIfPresent(receiptsRoot, forKey: .receiptsRoot)
        try c.encode(HexData(logsBloom), forKey: .logsBloom)
        try c.encode(HexData(extraData), forKey: .extraData)
        try c.encodeQuantityIfPresent(difficulty, forKey: .difficulty)
        try c.encodeQuantityIfPresent(size, forKey: .size)
        try c.encode(transactions, forKey: .transactions)
        try c.encode(uncles, forKey: .uncles)
    }
}
