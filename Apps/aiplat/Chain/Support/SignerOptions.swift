import ArgumentParser
import EthereumKit
import Foundation

/// Where the signing key comes from: `--private-key`, a keystore (`--keystore` with a password), or
/// the `AIPLAT_PRIVATE_KEY` environment variable, in that order.
///
/// The key is never printed: parse errors name only what was wrong with it, and no option shows a
/// default value in `--help`.
struct SignerOptions: ParsableArguments {
    /// The environment variable read when neither `--private-key` nor `--keystore` is given.
    static let environmentVariable = "AIPLAT_PRIVATE_KEY"

    @Option(
        name: .customLong("private-key"),
        help: ArgumentHelp("The raw private key, 32 bytes hex (default: $AIPLAT_PRIVATE_KEY).", valueName: "KEY"))
    var privateKey: String?

    @Option(help: ArgumentHelp("A V3 keystore (JSON) file holding the key.", valueName: "FILE"))
    var keystore: String?

    @OptionGroup var password: PasswordOptions

    func validate() throws {
        if privateKey != nil, keystore != nil {
            throw ValidationError("pass either --private-key or --keystore, not both")
        }
        if keystore == nil, password.isGiven {
            throw ValidationError("--password and --password-file only apply with --keystore")
        }
    }

    /// The signing key. Throws a one-line error naming what is missing or wrong, never the key itself.
    func load() throws -> PrivateKey {
        if let privateKey {
            return try Self.parse(privateKey, source: "--private-key")
        }
        if let keystore {
            let file = try KeystoreFiles.read(keystore)
            return try KeystoreFiles.decrypt(file, path: keystore, password: password.resolve(for: "--keystore"))
        }
        if let value = ProcessInfo.processInfo.environment[Self.environmentVariable], !value.isEmpty {
            return try Self.parse(value, source: "$\(Self.environmentVariable)")
        }
        throw ChainCLIError("no signing key: pass --private-key KEY, --keystore FILE with --password-file, or set $\(Self.environmentVariable)")
    }

    /// Parses a hex key; `source` says where it came from, so the error points there without echoing it.
    static func parse(_ text: String, source: String) throws -> PrivateKey {
        do {
            return try PrivateKey(hex: text.trimmingCharacters(in: .whitespacesAndNewlines))
        } catch {
            throw ChainCLIError("\(source): \(error)")
        }
    }
}
