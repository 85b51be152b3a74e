import BigInt

/// The transaction-shaped argument of `eth_call` and `eth_estimateGas`. Every field is optional;
/// the node fills in what is missing.
public struct CallRequest: Sendable, Hashable, Codable {
    public var from: Address?
    /// Nil for a contract creation (then `data` is the init code).
    public var to: Address?
    public var gas: UInt64?
    public var gasPrice: BigUInt?
    public var maxFeePerGas: BigUInt?
    public var maxPriorityFeePerGas: BigUInt?
    public var value: BigUInt?
    public var data: [UInt8]?
    public var nonce: UInt64?
    public var accessList: [AccessListEntry]?

    public init(
        from: Address? = nil, to: Address? = nil, gas: UInt64? = nil, gasPrice: BigUInt? = nil,
        maxFeePerGas: BigUInt? = nil, maxPriorityFeePerGas: BigUInt? = nil, value: BigUInt? = nil,
        data: [UInt8]? = nil, nonce: UInt64? = nil, accessList: [AccessListEntry]? = nil
    ) {
        self.from = from
        self.to = to
        self.gas = gas
        self.gasPrice = gasPrice
        self.maxFeePerGas = maxFeePerGas
        self.maxPriorityFeePerGas = maxPriorityFeePerGas
        self.value = value
        self.data = data
        self.nonce = nonce
        self.accessList = accessList
    }

    private enum CodingKeys: String, CodingKey {
        case from, to, gas, gasPrice, maxFeePerGas, maxPriorityFeePerGas, value, data, input, nonce, accessList
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        from = try c.decodeIfPresent(Address.self, forKey: .from)
        to = try c.decodeIfPresent(Address.self, forKey: .to)
        gas = try c.decodeUInt64IfPresent(.gas)
        gasPrice = try c.decodeQuantityIfPresent(.gasPrice)
        maxFeePerGas = try c.decodeQuantityIfPresent(.maxFeePerGas)
        maxPriorityFeePerGas = try c.decodeQuantityIfPresent(.maxPriorityFeePerGas)
        value = try c.decodeQuantityIfPresent(.value)
        data = try c.decodeBytesIfPresent(.input) ?? c.decodeBytesIfPresent(.data)
        nonce = try c.decodeUInt64IfPresent(.nonce)
        accessList = try c.decodeIfPresent([AccessListEntry].self, forKey: .accessList)
    }

    /// Writes the calldata as `data` (the name every node accepts; `input` is the newer alias).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(from, forKey: .from)
        try c.encodeIfPresent(to, forKey: .to)
        try c.encodeQuantityIfPresent(gas, forKey: .gas)
        try c.encodeQuantityIfPresent(gasPrice, forKey: .gasPrice)
        try c.encodeQuantityIfPresent(maxFeePerGas, forKey: .maxFeePerGas)
        try c.encodeQuantityIfPresent(maxPriorityFeePerGas, forKey: .maxPriorityFeePerGas)
        try c.encodeQuantityIfPresent(value, forKey: .value)
        try c.encodeBytesIfPresent(data, forKey: .data)
        try c.encodeQuantityIfPresent(nonce, forKey: .nonce)
        try c.encodeIfPresent(accessList, forKey: .accessList)
    }
}
