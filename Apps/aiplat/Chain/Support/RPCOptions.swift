import ArgumentParser
import EthereumKit
import Foundation
import PlatformCore

/// `--rpc-url`: which JSON-RPC endpoint a command talks to.
///
/// Resolution order: the flag, then `AIPLAT_CHAIN_RPC_URL`, then `ETH_RPC_URL` (as cast reads it),
/// then `chain.rpc_url` from the platform's config file, then the local devchain at
/// `http://127.0.0.1:8545` (the configuration default).
struct RPCOptions: ParsableArguments {
    /// The devchain's default endpoint (`aiplat devchain`, anvil and Hardhat use the same port).
    static let defaultURL = "http://127.0.0.1:8545"

    @Option(
        name: [.customLong("rpc-url"), .customShort("r")],
        help: ArgumentHelp(
            "The JSON-RPC endpoint.",
            discussion: "Default: $AIPLAT_CHAIN_RPC_URL, then $ETH_RPC_URL, then chain.rpc_url in the config file, then \(RPCOptions.defaultURL).",
            valueName: "URL"))
    var rpcURL: String?

    @Option(name: .customLong("rpc-timeout"), help: ArgumentHelp("Seconds to wait for one RPC answer.", valueName: "SECONDS"))
    var rpcTimeout: Double = 30

    /// The endpoint after applying the environment and configuration defaults.
    func resolvedURL() throws -> String {
        if let rpcURL { return rpcURL }
        let environment = ProcessInfo.processInfo.environment
        let configuration = try PlatformConfiguration.load(environment: environment)
        if case .environment = configuration.source(ofKey: "chain.rpc_url") {
            return configuration.chain.rpcURL
        }
        if let value = environment["ETH_RPC_URL"], !value.isEmpty { return value }
        return configuration.chain.rpcURL.isEmpty ? Self.defaultURL : configuration.chain.rpcURL
    }

    func validate() throws {
        let url = try resolvedURL()
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(),
              scheme == "http" || scheme == "https", parsed.host?.isEmpty == false
        else {
            throw ValidationError("invalid RPC URL \"\(url)\": expected http://HOST[:PORT][/PATH] or https://...")
        }
        guard rpcTimeout > 0, rpcTimeout <= 3600 else {
            throw ValidationError("invalid --rpc-timeout \(rpcTimeout): expected seconds in (0, 3600]")
        }
    }

    /// A client for the resolved endpoint. A CLI makes a handful of requests, so transport failures
    /// are retried only briefly: an unreachable node is reported within a second or two.
    func client() throws -> EthereumClient {
        var configuration = JSONRPCClient.Configuration()
        configuration.requestTimeout = .milliseconds(Int64(rpcTimeout * 1000))
        configuration.retry = RetryPolicy(maxAttempts: 2, initialBackoff: .milliseconds(200))
        return try EthereumClient(url: resolvedURL(), configuration: configuration)
    }
}
