import ArgumentParser
import EthereumKit

/// `aiplat chain to-checksum ADDRESS` (cast to-checksum): the EIP-55 checksummed form.
struct ToChecksumCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "to-checksum",
        abstract: "Print an address with its EIP-55 checksum.",
        aliases: ["to-checksum-address", "to-check-sum-address"])

    @Argument(help: "The address (any case).")
    var address: String

    func run() async throws {
        Console.line(try ChainArguments.address(address).checksummed)
    }
}
