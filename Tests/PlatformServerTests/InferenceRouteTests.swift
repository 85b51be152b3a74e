import EthereumKit
import Foundation
import Hummingbird
import HummingbirdTesting
import InferenceEngine
import Logging
import PlatformCore
import Testing

@testable import PlatformServer

/// Open Inference Protocol v2 routes over a Triton-layout model directory holding fixture models
/// (expected outputs are onnxruntime's, from Tests/InferenceEngineTests/Fixtures).
@Suite struct InferenceRouteTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("InferenceEngineTests/Fixtures")

    /// DIR/mlp/1/model.onnx (Triton layout), DIR/cnn.onnx (bare file), DIR/broken.onnx (garbage).
    static func repository() throws -> (ModelRepository, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("aiplat-models-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("mlp/1"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: fixtures.appendingPathComponent("mlp/model.onnx"), to: directory.appendingPathComponent("mlp/1/model.onnx"))
        try FileManager.default.copyItem(at: fixtures.appendingPathComponent("small_cnn/model.onnx"), to: directory.appendingPathComponent("cnn.onnx"))
        try Data("not a model".utf8).write(to: directory.appendingPathComponent("broken.onnx"))
        return (try ModelRepository(directory: directory), directory)
    }

    func router(_ models: ModelRepository) throws -> Router<BasicRequestContext> {
        PlatformApplication(
            host: "127.0.0.1", port: 0,
            dependencies: .init(
                metrics: MetricsSetup(),
                chain: try EthereumClient(url: "http://127.0.0.1:9", configuration: .init(requestTimeout: .seconds(2), retry: .none)),
                models: models),
            logger: Logger(label: "test")
        ).makeRouter()
    }

    static func requestBody(set: String) throws -> (body: String, expected: [Float], labels: [Int64]) {
        let input = try ONNXTestData.readTensor(fixtures.appendingPathComponent("mlp/\(set)/input_0.pb"))
        let probabilities = try ONNXTestData.readTensor(fixtures.appendingPathComponent("mlp/\(set)/output_0.pb")).tensor
        let labels = try ONNXTestData.readTensor(fixtures.appendingPathComponent("mlp/\(set)/output_1.pb")).tensor
        let object: [String: Any] = ["id": "r1", "inputs": [[
            "name": input.name, "shape": input.tensor.shape, "datatype": "FP32",
            "data": try input.tensor.scalars(as: Float.self).map { Double($0) },
        ]]]
        let data = try JSONSerialization.data(withJSONObject: object)
        return (String(decoding: data, as: UTF8.self), try probabilities.scalars(as: Float.self), try labels.scalars(as: Int64.self))
    }

    func json(_ buffer: ByteBuffer) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(String(buffer: buffer).utf8)) as? [String: Any])
    }

    @Test func inferMatchesOnnxRuntimeAndConcurrentRequestsShareThePlan() async throws {
        let (models, directory) = try Self.repository()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (body, expected, labels) = try Self.requestBody(set: "test_data_set_1")
        let app = Application(router: try router(models))
        try await app.test(.router) { client in
            try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await client.execute(uri: "/v2/models/mlp/infer", method: .post, body: ByteBuffer(string: body)) { response in
                            #expect(response.status == .ok)
                            let object = try self.json(response.body)
                            #expect(object["model_name"] as? String == "mlp")
                            #expect(object["id"] as? String == "r1")
                            let outputs = try #require(object["outputs"] as? [[String: Any]])
                            let probabilities = try #require(outputs.first { $0["name"] as? String == "probabilities" })
                            #expect(probabilities["datatype"] as? String == "FP32")
                            #expect(probabilities["shape"] as? [Int] == [32, 10])
                            let values = try #require(probabilities["data"] as? [Double])
                            #expect(values.count == expected.count)
                            for (a, e) in zip(values, expected) { #expect(abs(a - Double(e)) <= 1e-6 + 1e-5 * abs(Double(e))) }
                            let label = try #require(outputs.first { $0["name"] as? String == "label" })
                            #expect(label["datatype"] as? String == "INT64")
                            #expect((label["data"] as? [Int])?.map { Int64($0) } == labels)
                            let parameters = try #require(object["parameters"] as? [String: Any])
                            return try #require(parameters["digest"] as? String)
                        }
                    }
                }
                var digests = Set<String>()
                for try await digest in group { digests.insert(digest) }
                #expect(digests.count == 1)
            }
        }
    }

    @Test func metadataHealthAndErrors() async throws {
        let (models, directory) = try Self.repository()
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = Application(router: try router(models))
        try await app.test(.router) { client in
            try await client.execute(uri: "/v2/health/live", method: .get) { #expect($0.status == .ok) }
            // broken.onnx is listed but not loadable, so the server as a whole is not ready.
            try await client.execute(uri: "/v2/health/ready", method: .get) { #expect($0.status == .serviceUnavailable) }
            try await client.execute(uri: "/v2/models/cnn/ready", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v2/models/cnn", method: .get) { response in
                #expect(response.status == .ok)
                let object = try self.json(response.body)
                let inputs = try #require(object["inputs"] as? [[String: Any]])
                #expect(inputs.first?["datatype"] as? String == "FP32")
                #expect(inputs.first?["shape"] as? [Int] == [-1, 1, 16, 16])
            }
            try await client.execute(uri: "/v2/models/broken", method: .get) { response in
                #expect(String(buffer: response.body).contains("not a valid ONNX model"))
            }
            try await client.execute(uri: "/v2/models/nope/infer", method: .post, body: ByteBuffer(string: "{}")) { response in
                #expect(response.status == .notFound)
                #expect(String(buffer: response.body).contains("model \\\"nope\\\" not found"))
            }
            let cases: [(String, String)] = [
                (#"{"inputs":[{"name":"input","shape":[1,15],"datatype":"FP32","data":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15]}]}"#, "has shape [1, 15], expected [N,16]"),
                (#"{"inputs":[{"name":"input","shape":[1,16],"datatype":"INT64","data":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16]}]}"#, "has datatype INT64, expected FP32"),
                (#"{"inputs":[]}"#, "missing input \"input\""),
                (#"{"inputs":[{"name":"input","shape":[1,16],"datatype":"FP32","data":[1]}]}"#, "needs 16 values, data has 1"),
                (#"{"inputs":[{"name":"input","shape":[1,16],"datatype":"FP99","data":[1]}]}"#, "unknown datatype FP99"),
                ("not json", "not valid JSON"),
            ]
            for (body, message) in cases {
                try await client.execute(uri: "/v2/models/mlp/infer", method: .post, body: ByteBuffer(string: body)) { response in
                    #expect(response.status == .badRequest, "\(body)")
                    let object = try self.json(response.body)
                    #expect((object["error"] as? String)?.contains(message) == true, "\(object)")
                }
            }
            try await client.execute(uri: "/v2/models/broken/infer", method: .post, body: ByteBuffer(string: #"{"inputs":[]}"#)) { response in
                #expect(response.status == .unprocessableContent)
            }
        }
    }

    @Test func aPulledModelIsKnownByItsManifestDigestOnlyWhileItsFileIsTheOneRecorded() throws {
        let (_, directory) = try Self.repository()
        defer { try? FileManager.default.removeItem(at: directory) }
        let model = directory.appendingPathComponent("mlp/1/model.onnx")
        let fileDigest = BlobDigest.of([UInt8](try Data(contentsOf: model))).description
        let manifest = "sha256:" + String(repeating: "ab", count: 32)
        func record(_ layer: String) throws {
            let object: [String: Any] = ["name": "org/mlp", "manifestDigest": manifest, "files": ["model.onnx": layer]]
            try JSONSerialization.data(withJSONObject: object).write(to: directory.appendingPathComponent("mlp/1/.aiplat-model.json"))
        }
        #expect(try ModelRepository(directory: directory).entries["mlp"]?.modelDigest == fileDigest)
        #expect(try ModelRepository(directory: directory).entries["cnn"]?.modelDigest?.hasPrefix("sha256:") == true)
        try record(fileDigest)
        #expect(try ModelRepository(directory: directory).entries["mlp"]?.modelDigest == manifest)
        // The file was replaced after the pull: the manifest no longer vouches for it.
        try record("sha256:" + String(repeating: "0", count: 64))
        #expect(try ModelRepository(directory: directory).entries["mlp"]?.modelDigest == fileDigest)
    }

    @Test(arguments: [
        (#"{"inputs":[],"parameters":{"require_anchored":true}}"#, true),
        (#"{"inputs":[],"parameters":{"require_anchored":false}}"#, false),
        (#"{"inputs":[],"parameters":{"other":1}}"#, false),
        (#"{"inputs":[{"name":"require_anchored"}]}"#, false),
        (#"{"require_anchored":true}"#, false),
        ("not json require_anchored", false),
    ])
    func requireAnchoredIsReadFromTheRequestParameters(body: String, expected: Bool) {
        #expect(ModelRepository.requestRequiresAnchor(Data(body.utf8)) == expected)
    }

    @Test func requireAnchoredWithoutAContractIs503AndTheModelIsNotRun() async throws {
        let (models, directory) = try Self.repository()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await Application(router: try router(models)).test(.router) { client in
            let body = #"{"inputs":[{"name":"input","shape":[1,16],"datatype":"FP32","data":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]}],"parameters":{"require_anchored":true}}"#
            try await client.execute(uri: "/v2/models/mlp/infer", method: .post, body: ByteBuffer(string: body)) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(String(buffer: response.body).contains("--model-registry-contract"))
            }
        }
    }
}
