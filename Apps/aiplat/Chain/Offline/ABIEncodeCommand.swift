import ArgumentParser
import EthereumKit

/// `aiplat chain abi-encode SIG [ARGS...]` (cast abi-encode): the ABI encoding of the arguments,
/// without a selector.
struct ABIEncodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "abi-encode",
        abstract: "ABI-encode arguments for a signature's inputs (no selector).")

    @Flag(help: "Use the non-standard packed encoding (abi.encodePacked).")
    var packed = false

    @Argument(help: "The signature whose inputs give the types, e.g. \"f(address,uint256)\".")
    var signature: String

    @Argument(parsing: .allUnrecognized, help: "The arguments, one per input.")
    var arguments: [String] = []

    func run() async throws {
        let function = try ChainArguments.function(signature)
        let values = try ChainArguments.values(arguments, as: function.inputTypes, signature: function.signature)
        let encoded = packed
            ? try ABI.encodePacked(values, as: function.inputTypes)
            : try ABI.encode(values, as: function.inputTypes)
        Console.line(Hex.encode(encoded))
    }
}
