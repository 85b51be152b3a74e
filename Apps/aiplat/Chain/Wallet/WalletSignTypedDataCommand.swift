import ArgumentParser
import EthereumKit
import Foundation

/// `aiplat chain wallet sign-typed-data FILE_OR_JSON`: an EIP-712 signature
/// (cast: `cast wallet sign --data [--from-file]`).
struct WalletSignTypedDataCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign-typed-data",
        abstract: "Sign EIP-712 typed data given as a JSON file or inline JSON.")

    @OptionGroup var signer: SignerOptions

    @Argument(help: "A path to the typed-data JSON, or the JSON itself (starting with '{').")
    var typedData: String

    func run() async throws {
        let input = typedData.trimmingCharacters(in: .whitespacesAndNewlines)
        let parsed = try TypedDataInput.load(typedData, isPath: !input.hasPrefix("{"))
        let key = try signer.load()
        Console.line(Hex.encode(try key.signTypedData(parsed).serialized))
    }
}
