import ArgumentParser
import EthereumKit

/// `aiplat chain sig SIG` (cast sig): the 4-byte selector of a function signature.
struct SigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sig",
        abstract: "Print the 4-byte selector of a function signature, e.g. \"transfer(address,uint256)\".")

    @Argument(help: "The function signature.")
    var signature: String

    func run() async throws {
        Console.line(try ChainArguments.function(signature).selectorHex)
    }
}
