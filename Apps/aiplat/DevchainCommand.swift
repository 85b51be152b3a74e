import ArgumentParser
import EthereumKit
import Foundation
import PlatformCore

#if canImport(Glibc)
import Glibc
#endif

/// `aiplat devchain`: the local EVM in the foreground, with anvil's flags.
///
/// The process replaces itself with the devchain (`execv`), so signals, exit status and output are
/// the devchain's own, exactly as if it had been started directly.
struct DevchainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devchain",
        abstract: "Run the local EVM JSON-RPC node in the foreground (anvil-compatible flags).",
        discussion: "Accounts come from the mnemonic along m/44'/60'/0'/0/i and are funded at genesis, as anvil and Hardhat do."
    )

    @Option(help: "Address to bind.") var host: String = "127.0.0.1"
    @Option(help: "Port to serve JSON-RPC on (devchain.port, default 8545; 0 picks a free one).") var port: Int?
    @Option(name: .customLong("chain-id"), help: "Chain id (devchain.chain_id, default 31337).") var chainID: UInt64?
    @Option(name: .customLong("block-time"), help: "Seconds between blocks; without it every transaction is mined at once.") var blockTime: Double?
    @Option(help: "Number of funded accounts (devchain.accounts, default 10).") var accounts: Int?
    @Option(help: "Balance of each account in ether (devchain.balance, default 10000).") var balance: String?
    @Option(help: "BIP-39 mnemonic accounts are derived from (devchain.mnemonic).") var mnemonic: String?

    func validate() throws {
        if let port, !(0...65535).contains(port) { throw ValidationError("--port must be 0...65535, got \(port)") }
        if let accounts, accounts < 1 { throw ValidationError("--accounts must be at least 1, got \(accounts)") }
        if let blockTime, blockTime <= 0 { throw ValidationError("--block-time must be positive, got \(blockTime)") }
    }

    func run() async throws {
        let devchain = try PlatformConfiguration.load().devchain
        let root = try DevchainLauncher.repositoryRoot(devchain)
        var options = DevchainLauncher.options(devchain, port: port)
        options.host = host
        if let chainID { options.chainID = chainID }
        if let blockTime { options.blockTime = blockTime }
        if let accounts { options.accounts = accounts }
        if let balance { options.balance = balance }
        if let mnemonic { options.mnemonic = mnemonic }

        let python = devchain.resolvedPython(repositoryRoot: root.path)
        let script = devchain.resolvedScript(repositoryRoot: root.path)
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw ValidationErrorLine("devchain interpreter \(python) not found: run `make run` or `scripts/setup` once")
        }
        let argv = [python, "-u", script] + options.arguments
        var cArguments = argv.map { strdup($0) } + [nil]
        execv(python, &cArguments)
        throw ValidationErrorLine("cannot exec \(python): \(String(cString: strerror(errno)))")
    }
}
