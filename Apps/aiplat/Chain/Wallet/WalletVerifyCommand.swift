import ArgumentParser
import EthereumKit
import Foundation

/// `aiplat chain wallet verify --address ADDR MESSAGE SIGNATURE` (cast wallet verify).
struct WalletVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that ADDRESS signed MESSAGE (EIP-191); exits non-zero when it did not.")

    @Option(name: [.customLong("address"), .customShort("a")], help: "The address expected to have signed.")
    var address: String

    @Flag(name: .customLong("no-hash"), help: "MESSAGE is a 32-byte digest that was signed as is.")
    var noHash = false

    @Argument(help: "The message: 0x-hex as bytes, anything else as UTF-8 text.")
    var message: String

    @Argument(help: "The 65-byte signature (r, s, v) as hex.")
    var signature: String

    func run() async throws {
        let expected = try ChainArguments.address(address)
        let parsedSignature = try Signature(hex: signature.trimmingCharacters(in: .whitespaces))
        let digest: [UInt8]
        if noHash {
            digest = try ChainArguments.hexBytes(message, name: "digest")
            guard digest.count == 32 else {
                throw ChainCLIError("invalid digest \"\(message.prefix(80))\": --no-hash needs exactly 32 bytes, got \(digest.count)")
            }
        } else {
            digest = PersonalMessage.digest(try ChainArguments.hexOrUTF8(message, name: "message"))
        }
        let signer: Address
        do {
            signer = try parsedSignature.recoverAddress(digest: digest)
        } catch .recoveryFailed {
            throw ChainCLIError("Validation failed. Address \(expected.checksummed) did not sign this message (no key recovers from this signature).")
        }
        guard signer == expected else {
            throw ChainCLIError("Validation failed. Address \(expected.checksummed) did not sign this message.")
        }
        Console.line("Validation succeeded. Address \(expected.checksummed) signed this message.")
    }
}
