import ArgumentParser
import BigInt
import EthereumKit

/// `aiplat chain balance ADDRESS [--ether]` (cast balance): the balance in wei (or ether).
struct BalanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "balance",
        abstract: "Print the balance of an account in wei (or in ether with --ether).",
        aliases: ["b"])

    @Argument(help: "The account.")
    var address: String

    @Flag(name: [.customLong("ether"), .customShort("e")], help: "Print the balance in ether.")
    var ether = false

    @Option(name: [.customLong("block"), .customShort("B")], help: "The block: latest, pending, earliest or a number.")
    var block = "latest"

    @OptionGroup var rpc: RPCOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        _ = try ChainArguments.address(address)
        _ = try ChainArguments.block(block, name: "--block")
    }

    func run() async throws {
        let balance = try await rpc.client().balance(
            of: ChainArguments.address(address), at: ChainArguments.block(block, name: "--block"))
        let text = ether ? EtherUnits.format(balance) : String(balance)
        if output.json { try output.printJSON(text) } else { Console.line(text) }
    }
}
