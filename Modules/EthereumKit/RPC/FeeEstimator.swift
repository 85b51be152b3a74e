import BigInt

/// What a transaction should pay for gas.
public enum FeeEstimate: Sendable, Hashable, CustomStringConvertible {
    /// EIP-1559 fees; `baseFee` is the next block's base fee they were derived from.
    case eip1559(maxFeePerGas: BigUInt, maxPriorityFeePerGas: BigUInt, baseFee: BigUInt)
    /// A single gas price, for chains without EIP-1559.
    case legacy(gasPrice: BigUInt)

    /// The most one unit of gas can cost.
    public var maxCostPerGas: BigUInt {
        switch self {
        case .eip1559(let maxFee, _, _): return maxFee
        case .legacy(let gasPrice): return gasPrice
        }
    }

    public var description: String {
        switch self {
        case .eip1559(let maxFee, let tip, let base):
            return "maxFeePerGas \(maxFee) wei, maxPriorityFeePerGas \(tip) wei (base fee \(base) wei)"
        case .legacy(let gasPrice):
            return "gasPrice \(gasPrice) wei"
        }
    }
}

/// Estimates EIP-1559 fees from `eth_feeHistory`: `maxFeePerGas = nextBaseFee * baseFeeMultiplier + tip`,
/// where the tip is the median over recent non-empty blocks of the `rewardPercentile` priority fee
/// (falling back to `eth_maxPriorityFeePerGas`, then `fallbackPriorityFee`). A chain without a base
/// fee (or without `eth_feeHistory`) gets a legacy `eth_gasPrice` estimate.
public struct FeeEstimator: Sendable {
    public var blockCount: UInt64
    public var rewardPercentile: Double
    /// Headroom over the next base fee: 2 survives six consecutive full blocks (+12.5 % each).
    public var baseFeeMultiplier: BigUInt
    /// Tip used when neither the history nor the node suggests one (1 gwei).
    public var fallbackPriorityFee: BigUInt

    public init(
        blockCount: UInt64 = 10, rewardPercentile: Double = 50, baseFeeMultiplier: BigUInt = 2,
        fallbackPriorityFee: BigUInt = 1_000_000_000
    ) {
        self.blockCount = blockCount
        self.rewardPercentile = rewardPercentile
        self.baseFeeMultiplier = baseFeeMultiplier
        self.fallbackPriorityFee = fallbackPriorityFee
    }

    /// Queries the node and returns the estimate.
    public func estimate(using client: EthereumClient) async throws -> FeeEstimate {
        let history: FeeHistory
        do {
            history = try await client.feeHistory(
                blockCount: blockCount, newest: .latest, rewardPercentiles: [rewardPercentile])
        } catch let error as JSONRPCError where error.code == JSONRPCError.methodNotFoundCode {
            return .legacy(gasPrice: try await client.gasPrice())
        }
        guard let baseFee = history.nextBaseFee, history.baseFeePerGas.contains(where: { $0 > 0 }) else {
            return .legacy(gasPrice: try await client.gasPrice())
        }
        var tip = Self.medianTip(history)
        if tip == nil {
            tip = try? await client.maxPriorityFeePerGas()
        }
        return fees(baseFee: baseFee, tip: tip ?? fallbackPriorityFee)
    }

    /// The estimate for a known next base fee and tip (pure; what ``estimate(using:)`` computes).
    public func fees(baseFee: BigUInt, tip: BigUInt) -> FeeEstimate {
        .eip1559(maxFeePerGas: baseFee * baseFeeMultiplier + tip, maxPriorityFeePerGas: tip, baseFee: baseFee)
    }

    /// Median of the first reward percentile over blocks that contained transactions; nil when none did.
    static func medianTip(_ history: FeeHistory) -> BigUInt? {
        guard let rewards = history.reward else { return nil }
        var tips: [BigUInt] = []
        for (index, blockRewards) in rewards.enumerated() {
            let used = index < history.gasUsedRatio.count ? history.gasUsedRatio[index] : 1
            if used > 0, let tip = blockRewards.first { tips.append(tip) }
        }
        guard !tips.isEmpty else { return nil }
        tips.sort()
        return tips[tips.count / 2]
    }
}
