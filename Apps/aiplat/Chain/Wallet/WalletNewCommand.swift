import ArgumentParser
import EthereumKit

/// `aiplat chain wallet new` (cast wallet new): a fresh random key pair.
struct WalletNewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Create a new random key pair and print its address and private key.")

    @Option(name: [.customLong("number"), .customShort("n")], help: "How many key pairs to create.")
    var number = 1

    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard (1...1000).contains(number) else {
            throw ValidationError("invalid --number \(number): expected 1...1000")
        }
    }

    /// cast's JSON shape: an array of `{address, private_key}`.
    struct KeyPair: Encodable {
        let address: String
        let privateKey: String

        enum CodingKeys: String, CodingKey {
            case address
            case privateKey = "private_key"
        }
    }

    func run() async throws {
        let keys = (0..<number).map { _ in PrivateKey.random() }
        if output.json {
            try output.printJSON(keys.map { KeyPair(address: $0.address.checksummed, privateKey: $0.hex) })
            return
        }
        Console.line("Successfully created new keypair\(number > 1 ? "s" : "").")
        for key in keys {
            Console.line("Address:     \(key.address.checksummed)")
            Console.line("Private key: \(key.hex)")
        }
    }
}
