import ArgumentParser
import EthereumKit

/// `aiplat chain keccak DATA` (cast keccak): Keccak-256 of 0x-hex bytes or of UTF-8 text.
struct KeccakCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keccak",
        abstract: "Hash data with Keccak-256 (0x-prefixed input is hashed as bytes, anything else as UTF-8).")

    @Argument(help: "The data to hash.")
    var data: String

    func run() async throws {
        let bytes = try ChainArguments.hexOrUTF8(data, name: "hex data")
        Console.line(Hex.encode(Keccak256.hash(bytes)))
    }
}
