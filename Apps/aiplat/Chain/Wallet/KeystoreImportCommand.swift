import ArgumentParser
import EthereumKit
import Foundation

/// `aiplat chain keystore import --private-key K --password-file F [--out FILE]`: encrypts a key into a
/// V3 keystore (scrypt by default, as geth and cast write them) and prints its path and address.
struct KeystoreImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Encrypt a private key into a V3 keystore file and print its path and address.")

    /// The key-derivation functions a new keystore can use.
    enum KDFName: String, ExpressibleByArgument, CaseIterable {
        case scrypt, pbkdf2
    }

    @Option(
        name: .customLong("private-key"),
        help: ArgumentHelp("The private key to store (default: $AIPLAT_PRIVATE_KEY).", valueName: "KEY"))
    var privateKey: String?

    @OptionGroup var password: PasswordOptions

    @Option(help: "The key-derivation function: scrypt (geth's standard n=2^18) or pbkdf2 (262144 rounds).")
    var kdf: KDFName = .scrypt

    @Option(
        name: [.customLong("out"), .customShort("o")],
        help: ArgumentHelp(
            "The file to write, or an existing directory for a geth-named file.",
            discussion: "Default: a geth-named file in the data directory's keystore/ ($AIPLAT_DATA_DIR, default ~/.aiplat).",
            valueName: "PATH"))
    var out: String?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard password.isGiven else {
            throw ValidationError("a new keystore needs a password: pass --password-file FILE or --password PASSWORD")
        }
    }

    struct Result: Encodable {
        let path: String
        let address: String
    }

    func run() async throws {
        let key: PrivateKey
        if let privateKey {
            key = try SignerOptions.parse(privateKey, source: "--private-key")
        } else if let value = ProcessInfo.processInfo.environment[SignerOptions.environmentVariable], !value.isEmpty {
            key = try SignerOptions.parse(value, source: "$\(SignerOptions.environmentVariable)")
        } else {
            throw ChainCLIError("no key to import: pass --private-key KEY or set $\(SignerOptions.environmentVariable)")
        }
        let secret = try password.resolve(for: "keystore import")
        let kdfParameters: KeystoreKDF = switch kdf {
        case .scrypt: .standard
        case .pbkdf2: .pbkdf2()
        }
        let keystore = try KeystoreFile.encrypt(privateKey: key, password: secret, kdf: kdfParameters)
        let path = try KeystoreFiles.write(keystore, address: key.address, to: out)
        if output.json {
            try output.printJSON(Result(path: path, address: key.address.checksummed))
        } else {
            Console.line("Saved keystore: \(path)")
            Console.line("Address: \(key.address.checksummed)")
        }
    }
}
