import ArgumentParser
import EthereumKit

/// `aiplat chain wallet sign MESSAGE` (cast wallet sign): an EIP-191 personal-message signature,
/// a raw digest signature (`--no-hash`) or an EIP-712 typed-data signature (`--data`).
struct WalletSignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign a message (EIP-191), a 32-byte digest (--no-hash) or typed data (--data, EIP-712).")

    @Flag(name: .customLong("no-hash"), help: "Sign MESSAGE, 32 bytes of hex, as a raw digest (no EIP-191 prefix, no hashing).")
    var noHash = false

    @Flag(help: "MESSAGE is EIP-712 typed data as JSON (with --from-file: a path to it).")
    var data = false

    @Flag(name: .customLong("from-file"), help: "With --data: MESSAGE is a path to the typed-data JSON file.")
    var fromFile = false

    @OptionGroup var signer: SignerOptions

    @Argument(help: "The message: 0x-hex is signed as bytes, anything else as UTF-8 text.")
    var message: String

    func validate() throws {
        if noHash, data {
            throw ValidationError("--no-hash and --data cannot be combined")
        }
        if fromFile, !data {
            throw ValidationError("--from-file only applies with --data")
        }
    }

    func run() async throws {
        // Inputs are checked before the key is loaded: a keystore takes a second to decrypt.
        if data {
            let typedData = try TypedDataInput.load(message, isPath: fromFile)
            let key = try signer.load()
            Console.line(Hex.encode(try key.signTypedData(typedData).serialized))
        } else if noHash {
            let digest = try ChainArguments.hexBytes(message, name: "digest")
            guard digest.count == 32 else {
                throw ChainCLIError("invalid digest \"\(message.prefix(80))\": --no-hash needs exactly 32 bytes, got \(digest.count)")
            }
            let key = try signer.load()
            Console.line(Hex.encode(try key.sign(digest: digest).serialized))
        } else {
            let bytes = try ChainArguments.hexOrUTF8(message, name: "message")
            let key = try signer.load()
            Console.line(Hex.encode(key.signPersonalMessage(bytes).serialized))
        }
    }
}
