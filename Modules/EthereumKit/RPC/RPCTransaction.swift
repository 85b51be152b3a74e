import BigInt

/// A transaction as `eth_getTransactionByHash` and full blocks return it. Fields a node omits for
/// a transaction type (e.g. `gasPrice` on some EIP-1559 answers) are nil.
public struct RPCTransaction: Sendable, Hashable, Codable {
    public var hash: Hash32
    /// 0 legacy, 1 EIP-2930, 2 EIP-1559 (newer types are passed through).
    public var type: UInt64
    public var nonce: UInt64
    public var from: Address
    /// Nil for a contract creation.
    public var to: Address?
    public var value: BigUInt
    public var gas: UInt64
    public var gasPrice: BigUInt?
    public var maxFeePerGas: BigUInt?
    public var maxPriorityFeePerGas: BigUInt?
    public var input: [UInt8]
    public var chainID: UInt64?
    public var accessList: [AccessListEntry]?
    /// Nil while pending.
    public var blockHash: Hash32?
    public var blockNumber: UInt64?
    public var transactionIndex: UInt64?
    public var v: BigUInt?
    public var r: BigUInt?
    public var s: BigUInt?
    public var yParity: UInt64?

    private enum CodingKeys: String, CodingKey {
        case hash, type, nonce, from, to, value, gas, gasPrice, maxFeePerGas, maxPriorityFeePerGas
        case input, data, chainID = "chainId", accessList, blockHash, blockNumber, transactionIndex, v, r, s, yParity
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        hash = try c.decode(Hash32.self, forKey: .hash)
        type = try c.decodeUInt64IfPresent(.type) ?? 0
        nonce = try c.decodeUInt64(.nonce)
        from = try c.decode(Address.self, forKey: .from)
        to = try c.decodeIfPresent(Address.self, forKey: .to)
        value = try c.decodeQuantityIfPresent(.value) ?? 0
        gas = try c.decodeUInt64(.gas)
        gasPrice = try c.decodeQuantityIfPresent(.gasPrice)
        maxFeePerGas = try c.decodeQuantityIfPresent(.maxFeePerGas)
        maxPriorityFeePerGas = try c.decodeQuantityIfPresent(.maxPriorityFeePerGas)
        // Older nodes call the calldata "data".
        input = try c.decodeBytesIfPresent(.input) ?? c.decodeBytesIfPresent(.data) ?? []
        chainID = try c.decodeUInt64IfPresent(.chainID)
        accessList = try c.decodeIfPresent([AccessListEntry].self, forKey: .accessList)
        blockHash = try c.decodeIfPresent(Hash32.self, forKey: .blockHash)
        blockNumber = try c.decodeUInt64IfPresent(.blockNumber)
        transactionIndex = try c.decodeUInt64IfPresent(.transactionIndex)
        v = try c.decodeQuantityIfPresent(.v)
        r = try c.decodeQuantityIfPresent(.r)
        s = try c.decodeQuantityIfPresent(.s)
        yParity = try c.decodeUInt64IfPresent(.yParity)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(hash, forKey: .hash)
        try c.encodeQuantityIfPresent(type, forKey: .type)
        try c.encodeQuantityIfPresent(nonce, forKey: .nonce)
        try c.encode(from, forKey: .from)
        try c.encodeIfPresent(to, forKey: .to)
        try c.encodeQuantity(value, forKey: .value)
        try c.encodeQuantityIfPresent(gas, forKey: .gas)
        try c.encodeQuantityIfPresent(gasPrice, forKey: .gasPrice)
        try c.encodeQuantityIfPresent(maxFeePerGas, forKey: .maxFeePerGas)
        try c.encodeQuantityIfPresent(maxPriorityFeePerGas, forKey: .maxPriorityFeePerGas)
        try c.encode(HexData(input), forKey: .input)
        try c.encodeQuantityIfPresent(chainID, forKey: .chainID)
        try c.encodeIfPresent(accessList, forKey: .accessList)
        try c.encodeIfPresent(blockHash, forKey: .blockHash)
        try c.encodeQuantityIfPresent(blockNumber, forKey: .blockNumber)
        try c.encodeQuantityIfPresent(transactionIndex, forKey: .transactionIndex)
        try c.encodeQuantityIfPresent(v, forKey: .v)
        try c.encodeQuantityIfPresent(r, forKey: .r)
        try c.encodeQuantityIfPresent(s, forKey: .s)
        try c.encodeQuantityIfPresent(yParity, forKey: .yParity)
    }
}
