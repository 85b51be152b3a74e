import ArgumentParser
import EthereumKit

/// `aiplat chain receipt HASH [FIELD]` (cast receipt): a transaction's receipt, waiting for it when
/// the transaction is known but not yet mined.
struct ReceiptCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receipt",
        abstract: "Print a transaction receipt, or one of its fields.",
        aliases: ["re"])

    @Flag(name: .customLong("async"), help: "Do not wait: fail if the transaction is not mined yet.")
    var noWait = false

    @Option(help: "Blocks the transaction must be deep before the receipt is printed.")
    var confirmations: UInt64 = 1

    @Option(help: ArgumentHelp("Seconds to wait for the receipt.", valueName: "SECONDS"))
    var timeout: UInt64 = 120

    @OptionGroup var rpc: RPCOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The transaction hash.")
    var hash: String

    @Argument(help: ArgumentHelp("Print only this field (\(ReceiptPrinter.fieldNames.joined(separator: ", "))).", valueName: "field"))
    var field: String?

    func validate() throws {
        _ = try ChainArguments.transactionHash(hash)
        if let field, !ReceiptPrinter.fieldNames.contains(field) {
            throw ValidationError("unknown receipt field \"\(field.prefix(40))\": expected one of \(ReceiptPrinter.fieldNames.joined(separator: ", "))")
        }
    }

    func run() async throws {
        let client = try rpc.client()
        let transactionHash = try ChainArguments.transactionHash(hash)
        var receipt = try await client.receipt(for: transactionHash)
        if receipt == nil || confirmations > 1 {
            // An unknown hash fails at once; a pending one is waited for, as cast does.
            guard try await client.transaction(byHash: transactionHash) != nil || receipt != nil else {
                throw ChainCLIError("transaction \(transactionHash.hex) not found")
            }
            if noWait, receipt == nil {
                throw ChainCLIError("transaction \(transactionHash.hex) is not mined yet")
            }
            receipt = try await client.waitForReceipt(
                transactionHash, confirmations: confirmations, timeout: .seconds(Int64(timeout)))
        }
        guard let receipt else { throw ChainCLIError("transaction \(transactionHash.hex) has no receipt") }
        try ReceiptPrinter.print(receipt, field: field, json: output.json)
    }
}
