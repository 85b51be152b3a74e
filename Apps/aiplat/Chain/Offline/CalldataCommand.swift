import ArgumentParser
import EthereumKit

/// `aiplat chain calldata SIG [ARGS...]` (cast calldata): selector plus ABI-encoded arguments.
struct CalldataCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calldata",
        abstract: "ABI-encode a function call: selector followed by the encoded arguments.")

    @Argument(help: "The function signature, e.g. \"transfer(address,uint256)\".")
    var signature: String

    @Argument(parsing: .allUnrecognized, help: "The arguments, one per input (arrays as [a,b], tuples as (a,b)).")
    var arguments: [String] = []

    func run() async throws {
        let function = try ChainArguments.function(signature)
        Console.line(Hex.encode(try ChainArguments.encodeCall(function, arguments: arguments)))
    }
}
