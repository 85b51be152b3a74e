import ArgumentParser
import EthereumKit

/// `aiplat chain wallet address` (cast wallet address): the address of a key.
struct WalletAddressCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "address",
        abstract: "Print the checksummed address of a private key or keystore.")

    @Argument(help: ArgumentHelp("The private key (else --private-key, --keystore or $AIPLAT_PRIVATE_KEY).", valueName: "private-key"))
    var positionalKey: String?

    @OptionGroup var signer: SignerOptions

    func validate() throws {
        if positionalKey != nil, signer.privateKey != nil || signer.keystore != nil {
            throw ValidationError("give the key once: as an argument, with --private-key or with --keystore")
        }
    }

    func run() async throws {
        let key = try positionalKey.map { try SignerOptions.parse($0, source: "private key argument") } ?? signer.load()
        Console.line(key.address.checksummed)
    }
}
