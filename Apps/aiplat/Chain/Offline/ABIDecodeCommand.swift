import ArgumentParser
import EthereumKit

/// `aiplat chain abi-decode "f(in)(out)" DATA` (cast abi-decode): decodes return data with the
/// output types, or calldata with the input types (`--input`), one value per line.
struct ABIDecodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "abi-decode",
        abstract: "Decode ABI-encoded data: outputs by default, inputs with --input; one value per line.")

    @Flag(name: [.customLong("input"), .customShort("i")], help: "Decode with the input types (calldata; a leading matching selector is skipped).")
    var input = false

    @OptionGroup var output: OutputOptions

    @Argument(help: "The signature, e.g. \"balanceOf(address)(uint256)\".")
    var signature: String

    @Argument(help: "The 0x-hex data.")
    var data: String

    func run() async throws {
        let function = try ChainArguments.function(signature)
        var bytes = try ChainArguments.hexBytes(data, name: "data")
        let types = input ? function.inputTypes : function.outputTypes
        if types.isEmpty {
            throw ChainCLIError("\(signature) has no \(input ? "inputs" : "outputs") to decode\(input ? "" : ": give return types as \"f(in)(out)\"")")
        }
        // cast's abi-decode takes bare arguments; calldata with its selector is accepted too, since
        // ABI encodings are whole 32-byte words and the selector makes the length 4 more than that.
        if input, bytes.count % 32 == 4, Array(bytes.prefix(4)) == function.selector {
            bytes.removeFirst(4)
        }
        let values = try ABI.decode(types, from: bytes)
        try DecodedValuesPrinter.print(values, json: output.json)
    }
}
