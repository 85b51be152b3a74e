import ArgumentParser
import EthereumKit

/// `aiplat chain call TO "balanceOf(address)(uint256)" ARGS...` (cast call): runs a call without a
/// transaction; prints the decoded return values when the signature names them, raw hex otherwise.
struct CallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "call",
        abstract: "Call a contract function without sending a transaction and print the result.",
        aliases: ["c"])

    @Option(name: [.customLong("block"), .customShort("B")], help: "The block to call at: latest, pending, earliest or a number.")
    var block = "latest"

    @Option(help: ArgumentHelp("The caller (msg.sender) to simulate.", valueName: "ADDRESS"))
    var from: String?

    @Option(help: ArgumentHelp("Ether to send with the call: wei, or with a unit (1ether).", valueName: "VALUE"))
    var value: String?

    @OptionGroup var rpc: RPCOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The contract address.")
    var to: String

    @Argument(help: "The signature, e.g. \"balanceOf(address)(uint256)\", or raw 0x calldata.")
    var signature: String?

    @Argument(parsing: .allUnrecognized, help: "The arguments, one per input.")
    var arguments: [String] = []

    func validate() throws {
        _ = try ChainArguments.address(to)
        _ = try from.map(ChainArguments.address)
        _ = try ChainArguments.block(block, name: "--block")
        _ = try value.map { try ChainArguments.wei($0, name: "--value") }
    }

    func run() async throws {
        let target = try CallTarget(signature: signature, arguments: arguments)
        let request = CallRequest(
            from: try from.map(ChainArguments.address),
            to: try ChainArguments.address(to),
            value: try value.map { try ChainArguments.wei($0, name: "--value") },
            data: target.calldata)
        let result = try await rpc.client().call(request, block: ChainArguments.block(block, name: "--block"))
        guard let function = target.function, !function.outputs.isEmpty else {
            if output.json { try output.printJSON(Hex.encode(result)) } else { Console.line(Hex.encode(result)) }
            return
        }
        if result.isEmpty {
            throw ChainCLIError("the call returned no data, but \(function.name) declares \(function.outputs.count) return value\(function.outputs.count == 1 ? "" : "s") (is \(to) a contract with that function?)")
        }
        try DecodedValuesPrinter.print(try function.decodeOutput(result), json: output.json)
    }
}
