import ArgumentParser
import EthereumKit

/// `aiplat chain nonce ADDRESS` (cast nonce): the account's transaction count, in decimal.
struct NonceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nonce",
        abstract: "Print the nonce (transaction count) of an account.",
        aliases: ["n"])

    @Argument(help: "The account.")
    var address: String

    @Option(name: [.customLong("block"), .customShort("B")], help: "The block: latest, pending, earliest or a number.")
    var block = "latest"

    @OptionGroup var rpc: RPCOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        _ = try ChainArguments.address(address)
        _ = try ChainArguments.block(block, name: "--block")
    }

    func run() async throws {
        let nonce = try await rpc.client().nonce(
            of: ChainArguments.address(address), at: ChainArguments.block(block, name: "--block"))
        if output.json { try output.printJSON(nonce) } else { Console.line(String(nonce)) }
    }
}
