import EthereumKit
import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `aiplat models anchor` and `verify` against a real devchain and a real `aiplat serve`:
/// ModelRegistry.vy deployed with `aiplat chain deploy`, a model pushed, anchored, verified; a tag
/// moved to other bytes no longer verifies; `aiplat serve --models` refuses an infer request with
/// `parameters.require_anchored` for a model whose digest is not anchored.
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

    static func deployModelRegistry(_ rpcURL: String) async throws -> String {
        let deploy = try await AIPlatCLI.run(
            ["chain", "deploy", AIPlatCLI.repositoryRoot.appendingPathComponent("contracts/build/ModelRegistry.json").path,
             "--private-key", ChainCLIAccounts.key0, "--rpc-url", rpcURL])
        #expect(deploy.status == 0, "\(deploy)")
        return String(try #require(deploy.lines.first { $0.hasPrefix("Deployed to: ") }).dropFirst("Deployed to: ".count))
    }

    @Test func inferRequestsThatRequireAnAnchorAreServedOnlyForAnchoredDigests() async throws {
        let rpcURL = try Devchain.process().rpcURL
        let contract = try await Self.deployModelRegistry(rpcURL)
        let setup = try await ModelsCLIEndToEndTests.Setup.start()
        defer { setup.cleanUp() }
        let chainFlags = ["--contract", contract, "--rpc-url", rpcURL]
        let digest = try #require(try await setup.models(["push", ModelsCLIEndToEndTests.mlp.path, "org/mlp:v1"], key: setup.pushKey).lines.last)
        #expect(try await setup.models(["anchor", "org/mlp:v1", "--private-key", ChainCLIAccounts.key0] + chainFlags, key: setup.pullKey).status == 0)

        // Served models: the pulled one (Triton layout; the pull records its manifest digest) and
        // the same bytes as a bare file, known by its file digest, which was never anchored.
        let served = setup.clientData.appendingPathComponent("served")
        let pull = try await setup.models(["pull", "org/mlp:v1", served.appendingPathComponent("mlp/1").path], key: setup.pullKey)
        #expect(pull.status == 0, "\(pull)")
        let record = try JSONSerialization.jsonObject(with: Data(contentsOf: served.appendingPathComponent("mlp/1/.aiplat-model.json"))) as? [String: Any]
        #expect(record?["manifestDigest"] as? String == digest)
        try FileManager.default.copyItem(at: ModelsCLIEndToEndTests.mlp, to: served.appendingPathComponent("bare.onnx"))
        let fileDigest = try await RegistryEndToEndTests.sha256([UInt8](Data(contentsOf: ModelsCLIEndToEndTests.mlp)))

        let serverData = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: serverData) }
        let server = try ChildProcess(
            executable: TestPaths.aiplatExecutable,
            arguments: ["serve", "--port", "0", "--data-dir", serverData.path, "--log-level", "warning", "--models", served.path,
                        "--rpc-url", rpcURL, "--model-registry-contract", contract],
            directory: TestPaths.repositoryRoot)
        defer { if server.process.isRunning { kill(server.process.processIdentifier, SIGKILL) } }
        let line = try await server.waitForLine(startingWith: "aiplat serving on ")
        let base = try #require(URL(string: String(line.dropFirst("aiplat serving on ".count))))

        func infer(_ model: String, requireAnchored: Bool?) async throws -> (Int, String) {
            var body: [String: Any] = ["inputs": [["name": "input", "shape": [1, 16], "datatype": "FP32", "data": Array(repeating: 0.5, count: 16)]]]
            if let requireAnchored { body["parameters"] = ["require_anchored": requireAnchored] }
            var request = URLRequest(url: base.appendingPathComponent("v2/models/\(model)/infer"))
            request.httpMethod = "POST"
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = try JSONSerialization.data(withJSONObject: body)
            let (data, response) = try await URLSession.shared.data(for: request)
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
        }

        let anchored = try await infer("mlp", requireAnchored: true)
        #expect(anchored.0 == 200, "\(anchored)")
        #expect(anchored.1.contains("\"outputs\""), "\(anchored)")
        let refused = try await infer("bare", requireAnchored: true)
        #expect(refused.0 == 403, "\(refused)")
        #expect(refused.1.contains("\(fileDigest) is not anchored"), "\(refused)")
        // Without the parameter (or with it false) the same model is served as before.
        #expect(try await infer("bare", requireAnchored: nil).0 == 200)
        #expect(try await infer("bare", requireAnchored: false).0 == 200)
    }
}
