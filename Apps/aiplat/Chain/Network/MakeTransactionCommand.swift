import ArgumentParser
import EthereumKit

/// `aiplat chain mktx TO [SIG] [ARGS...]` (cast mktx): builds and signs a transaction without sending
/// it and prints the raw signed transaction. With `--nonce`, `--gas-limit`, `--chain` and the fees all
/// given it never contacts the node.
struct MakeTransactionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mktx",
        abstract: "Build and sign a transaction offline and print it raw (for eth_sendRawTransaction).",
        aliases: ["m"])

    @OptionGroup var transaction: TransactionOptions
    @OptionGroup var signer: SignerOptions
    @OptionGroup var rpc: RPCOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The recipient or contract address.")
    var to: String

    @Argument(help: "The function signature or raw 0x calldata (none: a plain transfer).")
    var signature: String?

    @Argument(parsing: .allUnrecognized, help: "The arguments, one per input.")
    var arguments: [String] = []

    func validate() throws {
        _ = try ChainArguments.address(to)
    }

    struct Result: Encodable {
        let rawTransaction: String
        let transactionHash: String
        let from: String
    }

    func run() async throws {
        let target = try CallTarget(signature: signature, arguments: arguments)
        let key = try signer.load()
        let planner = TransactionPlanner(options: try transaction.parsed(), client: try rpc.client())
        let request = planner.request(to: try ChainArguments.address(to), data: target.calldata)
        let signed = try await planner.sign(request, with: key)
        if output.json {
            try output.printJSON(Result(
                rawTransaction: signed.rawHex, transactionHash: signed.hashHex, from: signed.sender.checksummed))
        } else {
            Console.line(signed.rawHex)
        }
    }
}
