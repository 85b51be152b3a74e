import EthereumKit
import Foundation
import Logging
import PlatformCore

/// Finds the devchain's interpreter and script from the configuration and starts it.
enum DevchainLauncher {
    /// The checkout holding `infra/devchain`, from `devchain.script` when set, else found by walking up.
    static func repositoryRoot(_ devchain: PlatformConfiguration.Devchain) throws -> URL {
        if !devchain.script.isEmpty {
            let script = URL(fileURLWithPath: devchain.script)
            // <root>/infra/devchain/devchain.py
            return script.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        if let root = DevchainProcess.findRepositoryRoot() ?? DevchainProcess.findRepositoryRoot(startingAt: executable) {
            return root
        }
        throw ValidationErrorLine(
            "cannot find infra/devchain/devchain.py: run from the aiplat checkout or set devchain.script")
    }

    static func options(_ devchain: PlatformConfiguration.Devchain, port: Int? = nil) -> DevchainOptions {
        DevchainOptions(
            host: "127.0.0.1",
            port: port ?? devchain.port,
            chainID: UInt64(devchain.chainID),
            blockTime: devchain.blockTime > 0 ? Double(devchain.blockTime) : nil,
            accounts: devchain.accounts,
            balance: String(devchain.balance),
            mnemonic: devchain.mnemonic
        )
    }

    static func start(_ devchain: PlatformConfiguration.Devchain, logger: Logger) async throws -> DevchainProcess {
        let root = try repositoryRoot(devchain)
        return try await DevchainProcess.start(
            options: options(devchain),
            repositoryRoot: root,
            python: devchain.resolvedPython(repositoryRoot: root.path),
            logger: logger
        )
    }
}

/// A user-facing failure printed as one line.
struct ValidationErrorLine: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
