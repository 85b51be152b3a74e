import Foundation
import Testing
@testable import EthereumKit

@Suite("Devchain process options and discovery")
struct DevchainOptionsTests {
    @Test("options become anvil-style flags")
    func arguments() {
        #expect(DevchainOptions().arguments == ["--host", "127.0.0.1", "--port", "0", "--chain-id", "31337"])
        let options = DevchainOptions(
            port: 8545, chainID: 1337, blockTime: 2, accounts: 3, balance: "50", mnemonic: "a b c")
        #expect(options.arguments == [
            "--host", "127.0.0.1", "--port", "8545", "--chain-id", "1337", "--block-time", "2",
            "--accounts", "3", "--balance", "50", "--mnemonic", "a b c",
        ])
        #expect(DevchainOptions(blockTime: 0.5).arguments.suffix(2) == ["--block-time", "0.5"])
    }

    @Test("the repository root is found from a directory below it")
    func repositoryRoot() throws {
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        let root = try #require(DevchainProcess.findRepositoryRoot(startingAt: here))
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path))
        #expect(DevchainProcess.findRepositoryRoot(startingAt: URL(fileURLWithPath: "/")) == nil)
    }

    @Test("a start without a devchain script fails with a clear message")
    func missingScript() async throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("no-devchain-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        let error = await #expect(throws: DevchainError.self) {
            _ = try await DevchainProcess.start(repositoryRoot: empty)
        }
        #expect(error?.description == "devchain script not found at \(empty.appendingPathComponent("infra/devchain/devchain.py").path)")
    }
}
