import BigInt

/// Base fees and priority-fee percentiles of recent blocks (`eth_feeHistory`).
public struct FeeHistory: Sendable, Hashable, Codable {
    /// The first block covered.
    public var oldestBlock: UInt64
    /// Base fee per block, plus one extra entry: the base fee of the block after the newest.
    public var baseFeePerGas: [BigUInt]
    /// Fraction of the gas limit used, per block.
    public var gasUsedRatio: [Double]
    /// Per block, the priority fee at each requested percentile (nil when no percentiles were asked).
    public var reward: [[BigUInt]]?

    /// The base fee the next block will charge (the last `baseFeePerGas` entry).
    public var nextBaseFee: BigUInt? { baseFeePerGas.last }

    public init(oldestBlock: UInt64, baseFeePerGas: [BigUInt], gasUsedRatio: [Double], reward: [[BigUInt]]?) {
        self.oldestBlock = oldestBlock
        self.baseFeePerGas = baseFeePerGas
        self.gasUsedRatio = gasUsedRatio
        self.reward = reward
    }

    private enum CodingKeys: String, CodingKey { case oldestBlock, baseFeePerGas, gasUsedRatio, reward }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        oldestBlock = try c.decodeUInt64(.oldestBlock)
        baseFeePerGas = try (c.decodeIfPresent([Quantity].self, forKey: .baseFeePerGas) ?? []).map(\.value)
        gasUsedRatio = try c.decodeIfPresent([Double].self, forKey: .gasUsedRatio) ?? []
        reward = try c.decodeIfPresent([[Quantity]].self, forKey: .reward)?.map { $0.map(\.value) }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Quantity(oldestBlock), forKey: .oldestBlock)
        try c.encode(baseFeePerGas.map(Quantity.init), forKey: .baseFeePerGas)
        try c.encode(gasUsedRatio, forKey: .gasUsedRatio)
        try c.encodeIfPresent(reward?.map { $0.map(Quantity.init) }, forKey: .reward)
    }
}
