import ArgumentParser
import EthereumKit

/// `aiplat chain chain-id` (cast chain-id): the node's chain id, in decimal.
struct ChainIDCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chain-id",
        abstract: "Print the chain id.",
        aliases: ["cid"])

    @OptionGroup var rpc: RPCOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let id = try await rpc.client().chainID()
        if output.json { try output.printJSON(id) } else { Console.line(String(id)) }
    }
}
