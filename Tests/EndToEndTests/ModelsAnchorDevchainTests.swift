import EthereumKit
import Foundation
import Testing

/// `aiplat models anchor` and `verify` against a real devchain and a real `aiplat serve`:
/// ModelRegistry.vy deployed with `aiplat chain deploy`, a model pushed, anchored, verified; a tag
/// moved to other bytes no longer verifies.
@Suite("aiplat models anchor/verify against the devchain", .devchain, .serialized, .timeLimit(.minutes(3)))
struct ModelsAnchorDevchainTests {
    @Test func anchoredModelsVerifyAndMovedTagsDoNot() async throws {
        let rpcURL = try Devchain.process().rpcURL
        let deploy = try await AIPlatCLI.run(
            ["chain", "deploy", AIPlatCLI.repositoryRoot.appendingPathComponent("contracts/build/ModelRegistry.json").path,
             "--private-key", ChainCLIAccounts.key0, "--rpc-url", rpcURL])
        #expect(deploy.status == 0, "\(deploy)")
        let contract = String(try #require(deploy.lines.first { $0.hasPrefix("Deployed to: ") }).dropFirst("Deployed to: ".count))

        let setup = try await ModelsCLIEndToEndTests.Setup.start()
        defer { setup.cleanUp() }
        let chainFlags = ["--contract", contract, "--rpc-url", rpcURL]
        let push = try await setup.models(["push", ModelsCLIEndToEndTests.mlp.path, "org/mlp:v1"], key: setup.pushKey)
        let digest = try #require(push.lines.last)

        AIPlatCLI.expectOneLineError(
            try await setup.models(["verify", "org/mlp:v1"] + chainFlags, key: setup.pullKey), mentioning: "not anchored")

        let anchor = try await setup.models(["anchor", "org/mlp:v1", "--private-key", ChainCLIAccounts.key0] + chainFlags, key: setup.pullKey)
        #expect(anchor.status == 0, "\(anchor)")
        #expect(anchor.lines.last?.hasPrefix("anchored org/mlp@\(digest) by \(ChainCLIAccounts.account0) in block ") == true, "\(anchor)")

        let verify = try await setup.models(["verify", "org/mlp:v1"] + chainFlags, key: setup.pullKey)
        #expect(verify.status == 0, "\(verify)")
        #expect(verify.lines.contains("verified org/mlp@\(digest)"), "\(verify)")
        #expect(verify.lines.contains("owner  \(ChainCLIAccounts.account0)"), "\(verify)")
        let block = anchor.lines.last?.split(separator: " ").last.map(String.init)
        #expect(verify.lines.contains("block  \(block ?? "?")"), "\(verify)")

        // Anchoring the same digest again under the same name reverts: one error line.
        AIPlatCLI.expectOneLineError(
            try await setup.models(["anchor", "org/mlp:v1", "--private-key", ChainCLIAccounts.key0] + chainFlags, key: setup.pullKey),
            mentioning: "revert")

        // The tag now names other bytes: they were never anchored.
        let other = setup.clientData.appendingPathComponent("other.gguf")
        try Data(Array("GGUF".utf8) + [3, 0, 0, 0] + [UInt8](repeating: 0, count: 16)).write(to: other)
        #expect(try await setup.models(["push", other.path, "org/mlp:v1"], key: setup.pushKey).status == 0)
        AIPlatCLI.expectOneLineError(
            try await setup.models(["verify", "org/mlp:v1"] + chainFlags, key: setup.pullKey), mentioning: "not anchored")
        // The anchored digest still verifies by digest, from the cache.
        #expect(try await setup.models(["verify", "org/mlp@\(digest)"] + chainFlags, key: setup.pullKey).status == 0)
    }
}
