import ArgumentParser
import EthereumKit

/// `aiplat chain keystore export FILE --password-file F`: decrypts a V3 keystore and prints the key
/// (cast: `wallet decrypt-keystore`).
struct KeystoreExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Decrypt a V3 keystore file and print its private key.")

    @Argument(help: "The keystore file.")
    var file: String

    @OptionGroup var password: PasswordOptions

    @OptionGroup var output: OutputOptions

    struct Result: Encodable {
        let address: String
        let privateKey: String

        enum CodingKeys: String, CodingKey {
            case address
            case privateKey = "private_key"
        }
    }

    func run() async throws {
        let keystore = try KeystoreFiles.read(file)
        let key = try KeystoreFiles.decrypt(keystore, path: file, password: password.resolve(for: "keystore export"))
        if output.json {
            try output.printJSON(Result(address: key.address.checksummed, privateKey: key.hex))
        } else {
            Console.line(key.hex)
        }
    }
}
