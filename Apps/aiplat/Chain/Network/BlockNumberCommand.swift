import ArgumentParser
import EthereumKit

/// `aiplat chain block-number` (cast block-number): the newest block's number, in decimal.
struct BlockNumberCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "block-number",
        abstract: "Print the latest block number.",
        aliases: ["bn"])

    @OptionGroup var rpc: RPCOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let number = try await rpc.client().blockNumber()
        if output.json { try output.printJSON(number) } else { Console.line(String(number)) }
    }
}
