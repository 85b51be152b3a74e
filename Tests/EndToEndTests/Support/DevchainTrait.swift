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

/// Access to the suite's devchain, its dev accounts and the compiled contracts.
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

    /// Keys of the ten funded accounts of `test test ... junk` (m/44'/60'/0'/0/i), as anvil and Hardhat derive them.
    static let keys: [String] = [
        "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80", // 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266
        "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d", // 0x70997970C51812dc3A010C7d01b50e0d17dc79C8
        "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a", // 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC
        "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6", // 0x90F79bf6EB2c4f870365E785982E1f101E93b906
        "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a", // 0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65
        "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba", // 0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc
        "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e", // 0x976EA74026E726554dB657fA54763abd0C3a0aa9
        "0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356", // 0x14dC79964da2C08b23698B3D3cc7Ca32193d9955
        "0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97", // 0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f
        "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6", // 0xa0Ee7A142d267C1f36714E4a8F75612F20a79720
    ]

    static let account0 = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
    static let account2 = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"

    /// The private key of dev account `index`.
    static func key(_ index: Int) throws -> PrivateKey {
        try PrivateKey(hex: keys[index])
    }

    /// A transaction sender for dev account `index` on the running devchain.
    static func sender(_ index: Int, sourceLocation: SourceLocation = #_sourceLocation) throws -> TransactionSender {
        TransactionSender(client: try client(sourceLocation: sourceLocation), key: try key(index), chainID: 31337)
    }

    /// The compiled contract `name` from `contracts/build`.
    static func artifact(_ name: String) throws -> ContractArtifact {
        let root = try #require(repositoryRoot, "repository root not found")
        return try ContractArtifact.load(named: name, in: ContractArtifact.buildDirectory(repositoryRoot: root))
    }
}
