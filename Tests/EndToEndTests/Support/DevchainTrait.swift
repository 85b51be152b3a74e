import EthereumKit
import Foundation
import Testing

/// Starts one devchain (on a free port) around a whole suite and stops it afterwards:
/// `@Suite(.devchain)`. Tests reach it through ``Devchain/current``.
struct DevchainTrait: SuiteTrait, TestScoping {
    var options = DevchainOptions()

    var isRecursive: Bool { false }

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let devchain = try await DevchainProcess.start(options: options, repositoryRoot: Devchain.repositoryRoot)
        do {
            try await Devchain.$current.withValue(devchain) { try await function() }
        } catch {
            await devchain.stop()
            throw error
        }
        await devchain.stop()
    }
}

extension Trait where Self == DevchainTrait {
    /// One devchain for the suite, with default options (automine, chain id 31337).
    static var devchain: Self { DevchainTrait() }

    static func devchain(_ options: DevchainOptions) -> Self { DevchainTrait(options: options) }
}

/// Access to the suite's devchain and the well-known dev accounts.
enum Devchain {
    @TaskLocal static var current: DevchainProcess?

    /// The repository root, found from this file's location.
    static let repositoryRoot: URL? = DevchainProcess.findRepositoryRoot(
        startingAt: URL(fileURLWithPath: #filePath).deletingLastPathComponent())

    /// The running devchain; fails the test when the suite lacks `.devchain`.
    static func process(sourceLocation: SourceLocation = #_sourceLocation) throws -> DevchainProcess {
        try #require(current, "suite needs the .devchain trait", sourceLocation: sourceLocation)
    }

    /// A client for the running devchain.
    static func client(
        _ configuration: JSONRPCClient.Configuration = .init(requestTimeout: .seconds(20)),
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> EthereumClient {
        try EthereumClient(url: process(sourceLocation: sourceLocation).rpcURL, configuration: configuration)
    }

    /// anvil/Hardhat accounts 0, 1 and 2 of `test test ... junk`.
    static let account0 = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
    static let key0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
    static let account1 = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
    static let account2 = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"
    static let key2 = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a"
    static let key1 = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"
}
