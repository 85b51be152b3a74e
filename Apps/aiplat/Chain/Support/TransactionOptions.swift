import ArgumentParser
import BigInt
import EthereumKit

/// The transaction fields cast's `send` and `mktx` take as options. Whatever is left out is filled
/// from the node by `TransactionPlanner`.
struct TransactionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Ether to send: wei, or a number with a unit (1ether, 0.5ether, 20gwei).", valueName: "VALUE"))
    var value: String?

    @Option(name: .customLong("gas-limit"), help: ArgumentHelp("The gas limit (default: eth_estimateGas).", valueName: "GAS"))
    var gasLimit: UInt64?

    @Option(help: ArgumentHelp("The nonce (default: the sender's pending transaction count).", valueName: "NONCE"))
    var nonce: UInt64?

    @Flag(help: "Send a legacy (type 0, EIP-155) transaction instead of EIP-1559.")
    var legacy = false

    @Option(
        name: .customLong("gas-price"),
        help: ArgumentHelp("The gas price (legacy) or max fee per gas (EIP-1559), in wei or with a unit.", valueName: "PRICE"))
    var gasPrice: String?

    @Option(
        name: .customLong("priority-gas-price"),
        help: ArgumentHelp("The max priority fee per gas (EIP-1559), in wei or with a unit.", valueName: "PRICE"))
    var priorityGasPrice: String?

    @Option(
        name: [.customLong("chain"), .customLong("chain-id")],
        help: ArgumentHelp("The chain id, or mainnet, sepolia, holesky, anvil, devchain (default: eth_chainId).", valueName: "CHAIN"))
    var chain: String?

    func validate() throws {
        if legacy, priorityGasPrice != nil {
            throw ValidationError("--priority-gas-price applies to EIP-1559 transactions, not with --legacy")
        }
        // Parse now so a typo is reported before any key is decrypted or the node is asked anything.
        _ = try parsed()
    }

    /// The options as values.
    struct Parsed: Sendable {
        var value: BigUInt
        var gasLimit: UInt64?
        var nonce: UInt64?
        var legacy: Bool
        var gasPrice: BigUInt?
        var priorityGasPrice: BigUInt?
        var chainID: UInt64?
    }

    func parsed() throws -> Parsed {
        Parsed(
            value: try value.map { try ChainArguments.wei($0, name: "--value") } ?? 0,
            gasLimit: gasLimit,
            nonce: nonce,
            legacy: legacy,
            gasPrice: try gasPrice.map { try ChainArguments.wei($0, name: "--gas-price") },
            priorityGasPrice: try priorityGasPrice.map { try ChainArguments.wei($0, name: "--priority-gas-price") },
            chainID: try chain.map(Self.chainID))
    }

    /// Chain names cast knows for the chains a developer of this platform meets most.
    static let namedChains: [String: UInt64] = [
        "mainnet": 1, "ethereum": 1, "sepolia": 11_155_111, "holesky": 17_000,
        "anvil": 31_337, "devchain": 31_337, "localhost": 31_337, "hardhat": 31_337,
    ]

    static func chainID(_ text: String) throws -> UInt64 {
        if let id = UInt64(text), id > 0 { return id }
        if let id = namedChains[text.lowercased()] { return id }
        throw ChainCLIError("invalid --chain \"\(text.prefix(80))\": expected a positive chain id or one of \(namedChains.keys.sorted().joined(separator: ", "))")
    }
}
