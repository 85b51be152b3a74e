import ArgumentParser
import EthereumKit

/// `aiplat chain send TO [SIG] [ARGS...]` (cast send): signs and sends a transaction, then prints its
/// receipt (or only its hash with `--async`).
struct SendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Sign and send a transaction, then print its receipt.",
        aliases: ["s"])

    @OptionGroup var transaction: TransactionOptions
    @OptionGroup var signer: SignerOptions
    @OptionGroup var rpc: RPCOptions
    @OptionGroup var output: OutputOptions

    @Flag(name: .customLong("async"), help: "Print the transaction hash and return without waiting for the receipt.")
    var noWait = false

    @Option(help: "Blocks the transaction must be deep before its receipt is printed.")
    var confirmations: UInt64 = 1

    @Option(help: ArgumentHelp("Seconds to wait for the receipt.", valueName: "SECONDS"))
    var timeout: UInt64 = 120

    @Argument(help: "The recipient or contract address.")
    var to: String

    @Argument(help: "The function signature, e.g. \"transfer(address,uint256)\", or raw 0x calldata (none: a plain transfer).")
    var signature: String?

    @Argument(parsing: .allUnrecognized, help: "The arguments, one per input.")
    var arguments: [String] = []

    func validate() throws {
        _ = try ChainArguments.address(to)
        guard confirmations >= 1 else { throw ValidationError("--confirmations must be at least 1") }
    }

    func run() async throws {
        let target = try CallTarget(signature: signature, arguments: arguments)
        let key = try signer.load()
        let planner = TransactionPlanner(options: try transaction.parsed(), client: try rpc.client())
        let request = planner.request(to: try ChainArguments.address(to), data: target.calldata)
        let (_, receipt) = try await planner.send(
            request, from: key, wait: !noWait, confirmations: confirmations, timeout: timeout, json: output.json)
        if let receipt {
            try ReceiptPrinter.print(receipt, json: output.json)
            try TransactionPlanner.requireSuccess(receipt)
        }
    }
}
