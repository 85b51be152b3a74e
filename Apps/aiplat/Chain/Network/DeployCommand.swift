import ArgumentParser
import EthereumKit
import Foundation

/// `aiplat chain deploy ARTIFACT_OR_BYTECODE [CONSTRUCTOR_ARGS...]` (forge create): deploys a contract
/// from a `contracts/build/<Name>.json` artifact, a contract name found in `contracts/build`, or raw
/// `0x` init code (constructor types from `--constructor-sig`), and prints where it landed.
struct DeployCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deploy",
        abstract: "Deploy a contract from an artifact, a contract name in contracts/build, or raw bytecode.")

    @Option(
        name: .customLong("constructor-sig"),
        help: ArgumentHelp("With raw bytecode: the constructor's types, e.g. \"constructor(string,uint256)\".", valueName: "SIG"))
    var constructorSignature: String?

    @Option(
        name: .customLong("artifacts"),
        help: ArgumentHelp("Where to look up contract names (default: contracts/build here or in a parent directory).", valueName: "DIR"))
    var artifactsDirectory: String?

    @OptionGroup var transaction: TransactionOptions
    @OptionGroup var signer: SignerOptions
    @OptionGroup var rpc: RPCOptions
    @OptionGroup var output: OutputOptions

    @Option(help: "Blocks the deployment must be deep before it is reported.")
    var confirmations: UInt64 = 1

    @Option(help: ArgumentHelp("Seconds to wait for the receipt.", valueName: "SECONDS"))
    var timeout: UInt64 = 120

    @Argument(help: ArgumentHelp("An artifact path, a contract name, or 0x init code.", valueName: "artifact-or-bytecode"))
    var source: String

    @Argument(parsing: .allUnrecognized, help: "The constructor arguments.")
    var constructorArguments: [String] = []

    func validate() throws {
        guard confirmations >= 1 else { throw ValidationError("--confirmations must be at least 1") }
        if constructorSignature != nil, !DeploymentSource.isBytecode(source) {
            throw ValidationError("--constructor-sig applies to raw bytecode; an artifact carries its own constructor")
        }
    }

    /// forge create's `--json` shape.
    struct Result: Encodable {
        let deployer: String
        let deployedTo: String
        let transactionHash: String
    }

    func run() async throws {
        let deployment = try DeploymentSource.resolve(
            source, constructorSignature: constructorSignature, artifactsDirectory: artifactsDirectory)
        let initCode = try deployment.initCode(arguments: constructorArguments)
        let key = try signer.load()
        let planner = TransactionPlanner(options: try transaction.parsed(), client: try rpc.client())
        let request = planner.request(to: nil, data: initCode, errors: deployment.errors)
        let (pending, receipt) = try await planner.send(
            request, from: key, wait: true, confirmations: confirmations, timeout: timeout, json: output.json)
        guard let receipt else { return }
        try TransactionPlanner.requireSuccess(receipt)
        guard let address = receipt.contractAddress ?? pending.contractAddress else {
            throw ChainCLIError("the receipt of \(receipt.transactionHash.hex) names no contract address")
        }
        if output.json {
            try output.printJSON(Result(
                deployer: key.address.checksummed, deployedTo: address.checksummed,
                transactionHash: receipt.transactionHash.hex))
        } else {
            Console.line("Deployer: \(key.address.checksummed)")
            Console.line("Deployed to: \(address.checksummed)")
            Console.line("Transaction hash: \(receipt.transactionHash.hex)")
        }
    }
}
