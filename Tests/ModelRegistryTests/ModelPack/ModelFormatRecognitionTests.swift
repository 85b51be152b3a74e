import Foundation
import ModelRegistry
import PlatformCore
import Testing

/// Format recognition on push: safetensors headers (single and sharded), GGUF headers, ONNX through
/// the injected inspector, Hugging Face directories; files that claim a format but do not parse are
/// refused with the reason.
@Suite struct ModelFormatRecognitionTests {
    static let twoTensors = #"{"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},"b":{"dtype":"BF16","shape":[3],"data_offsets":[24,30]}}"#

    @Test func integerBuffersBesideFloatWeightsAreNotParametersButAnIntegerOnlyModelCountsThem() throws {
        let root = try ModelPackFixtures.directory()
        defer { try? FileManager.default.removeItem(at: root) }
        // BERT's shape: F32 weights and an I64 position_ids buffer.
        let bert = root.appendingPathComponent("bert.safetensors")
        try ModelPackFixtures.safetensors(
            header: #"{"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},"embeddings.position_ids":{"dtype":"I64","shape":[1,4],"data_offsets":[24,56]}}"#,
            dataBytes: 56
        ).write(to: bert)
        let header = try SafetensorsHeader(contentsOf: bert, name: "bert.safetensors")
        #expect(header.parameterCount == 6)
        #expect(header.dtypes == ["F32"])
        #expect(header.tensors.count == 2)
        // Integer-quantized: the integers are the weights.
        let quantized = root.appendingPathComponent("q.safetensors")
        try ModelPackFixtures.safetensors(
            header: #"{"q":{"dtype":"I8","shape":[8],"data_offsets":[0,8]},"zp":{"dtype":"U8","shape":[2],"data_offsets":[8,10]}}"#, dataBytes: 10
        ).write(to: quantized)
        let q = try SafetensorsHeader(contentsOf: quantized, name: "q.safetensors")
        #expect(q.parameterCount == 10)
        #expect(q.dtypes == ["I8", "U8"])
    }

    @Test func safetensorsHeaderGivesParametersAndDtypes() throws {
        let root = try ModelPackFixtures.directory()
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent("model.safetensors")
        try ModelPackFixtures.safetensors(header: Self.twoTensors, dataBytes: 30).write(to: file)
        let header = try SafetensorsHeader(contentsOf: file, name: "model.safetensors")
        #expect(header.parameterCount == 9)
        #expect(header.dtypes == ["BF16", "F32"])
        #expect(header.metadata == ["format": "pt"])
        #expect(header.tensors["w"]?.shape == [2, 3])

        let package = try ModelPackInspector(onnxInspector: nil).inspect(file)
        #expect(package.config.format == "safetensors")
        #expect(package.config.parameterCount == 9)
        #expect(package.config.tensorCount == 2)
        #expect(package.config.precision == "BF16,F32")
        #expect(package.files.map(\.mediaType) == [ModelPackMediaType.weightRaw])
    }

    @Test(arguments: [
        (#"{"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]}}"#, 10, "truncated"),
        (#"{"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,20]}}"#, 24, "needs 24"),
        (#"{"w":{"dtype":"F99","shape":[1],"data_offsets":[0,4]}}"#, 4, "unknown dtype"),
        (#"{"w":{"dtype":"F32","shape":[1]}}"#, 4, "lacks"),
        (#"[1,2,3]"#, 0, "not a JSON object"),
        (#"{"w": "#, 0, "not a JSON object"),
    ])
    func corruptSafetensorsAreRefused(header: String, dataBytes: Int, reason: String) throws {
        let root = try ModelPackFixtures.directory()
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent("bad.safetensors")
        try ModelPackFixtures.safetensors(header: header, dataBytes: dataBytes).write(to: file)
        let error = try #require(throws: ModelFormatError.self) { try ModelPackInspector(onnxInspector: nil).inspect(file) }
        #expect(error.file == "bad.safetensors")
        #expect(error.format == .safetensors)
        #expect(error.description.contains(reason), "\(error)")
    }

    @Test func aHeaderLengthPastTheEndIsRefused() throws {
        let root = try ModelPackFixtures.directory()
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent("cut.safetensors")
        try ModelPackFixtures.safetensors(header: Self.twoTensors, dataBytes: 30).prefix(40).write(to: file)
        let error = try #require(throws: ModelFormatError.self) { try SafetensorsHeader(contentsOf: file, name: "cut.safetensors") }
        #expect(error.reason.contains("past the end"), "\(error)")
        try Data([1, 2, 3]).write(to: file)
        #expect(throws: ModelFormatError.self) { try SafetensorsHeader(contentsOf: file, name: "cut.safetensors") }
    }

    @Test func shardedSafetensorsSumTheirShardsAndNeedEveryShard() throws {
        let root = try ModelPackFixtures.directory()
        defer { try? FileManager.default.removeItem(at: root) }
        try ModelPackFixtures.safetensors(header: #"{"a":{"dtype":"F16","shape":[4,4],"data_offsets":[0,32]}}"#, dataBytes: 32)
            .write(to: root.appendingPathComponent("model-00001-of-00002.safetensors"))
        try ModelPackFixtures.safetensors(header: #"{"b":{"dtype":"F16","shape":[8],"data_offsets":[0,16]}}"#, dataBytes: 16)
            .write(to: root.appendingPathComponent("model-00002-of-00002.safetensors"))
        try Data(#"{"metadata":{},"weight_map":{"a":"model-00001-of-00002.safetensors","b":"model-00002-of-00002.safetensors"}}"#.utf8)
            .write(to: root.appendingPathComponent("model.safetensors.index.json"))
        let package = try ModelPackInspector(onnxInspector: nil).inspect(root)
        #expect(package.config.parameterCount == 24)
        #expect(package.config.tensorCount == 2)
        #expect(package.config.precision == "F16")
        #expect(package.files.first { $0.path == "model.safetensors.index.json" }?.mediaType == ModelPackMediaType.weightConfigRaw)

        try FileManager.default.removeItem(at: root.appendingPathComponent("model-00002-of-00002.safetensors"))
        let error = try #require(throws: ModelFormatError.self) { try ModelPackInspector(onnxInspector: nil).inspect(root) }
        #expect(error.description.contains("shard model-00002-of-00002.safetensors named in weight_map is missing"), "\(error)")
    }

    @Test func ggufHeadersOfEveryVersion() throws {
        let v3 = try GGUFHeader(bytes: [UInt8](ModelPackFixtures.gguf(version: 3, tensors: 291, metadata: 24)), name: "m.gguf")
        #expect(v3.version == 3 && v3.tensorCount == 291 && v3.metadataCount == 24)
        let v1 = try GGUFHeader(bytes: [UInt8](ModelPackFixtures.gguf(version: 1, tensors: 7, metadata: 2)), name: "m.gguf")
        #expect(v1.version == 1 && v1.tensorCount == 7 && v1.metadataCount == 2)

        let root = try ModelPackFixtures.directory()
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent("tiny.gguf")
        try ModelPackFixtures.gguf(version: 2, tensors: 5, metadata: 1).write(to: file)
        let package = try ModelPackInspector(onnxInspector: nil).inspect(file)
        #expect(package.config.format == "gguf")
        #expect(package.config.tensorCount == 5)
    }

    static let magic: [UInt8] = Array("GGUF".utf8)
    static let version3: [UInt8] = [3, 0, 0, 0]
    static let corruptGGUF: [([UInt8], String)] = [
        (Array("GGML".utf8) + version3, "magic"),
        (magic + [9, 0, 0, 0] + [UInt8](repeating: 0, count: 16), "unknown version 9"),
        (magic + version3 + [1, 0], "truncated"),
        (Array("GG".utf8), "shorter"),
        (magic + version3 + [UInt8](repeating: 0xFF, count: 16), "implausible"),
    ]

    @Test(arguments: corruptGGUF)
    func corruptGGUFIsRefused(bytes: [UInt8], reason: String) throws {
        let error = try #require(throws: ModelFormatError.self) { try GGUFHeader(bytes: bytes, name: "x.gguf") }
        #expect(error.format == .gguf)
        #expect(error.description.contains(reason), "\(error)")
    }

    @Test func onnxGoesThroughTheInjectedInspector() throws {
        let root = try ModelPackFixtures.directory()
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent("model.onnx")
        try Data([0x08, 0x07]).write(to: file)
        let inspection = ONNXInspection(parameterCount: 1930, operators: ["ai.onnx:Gemm", "ai.onnx:Relu"], deterministic: true)
        let package = try ModelPackInspector(onnxInspector: { url, name in
            #expect(url == file && name == "model.onnx")
            return inspection
        }).inspect(file)
        #expect(package.config.format == "onnx")
        #expect(package.config.parameterCount == 1930)
        #expect(package.config.paramSize == "1.9K")
        #expect(package.config.capabilities == ModelPackConfig.Capabilities(operators: ["ai.onnx:Gemm", "ai.onnx:Relu"], deterministic: true))

        let refusal = ModelFormatError(file: "model.onnx", format: .onnx, reason: "protobuf decoding failed")
        #expect(throws: refusal) { try ModelPackInspector(onnxInspector: { _, _ in throw refusal }).inspect(file) }
    }

    @Test func huggingFaceDirectoryLayersAndConfig() throws {
        let root = try ModelPackFixtures.directory()
        defer { try? FileManager.default.removeItem(at: root) }
        let manager = FileManager.default
        try manager.createDirectory(at: root.appendingPathComponent(".git"), withIntermediateDirectories: true)
        try manager.createDirectory(at: root.appendingPathComponent("1_Pooling"), withIntermediateDirectories: true)
        try Data("x".utf8).write(to: root.appendingPathComponent(".git/HEAD"))
        try Data(#"{"architectures":["BertModel"],"model_type":"bert","torch_dtype":"float32"}"#.utf8).write(to: root.appendingPathComponent("config.json"))
        try Data("{}".utf8).write(to: root.appendingPathComponent("tokenizer.json"))
        try Data("[PAD]\n".utf8).write(to: root.appendingPathComponent("vocab.txt"))
        try Data("# m\n".utf8).write(to: root.appendingPathComponent("README.md"))
        try Data("x = 1\n".utf8).write(to: root.appendingPathComponent("modeling.py"))
        try Data("{}".utf8).write(to: root.appendingPathComponent("1_Pooling/config.json"))
        try ModelPackFixtures.safetensors(header: Self.twoTensors, dataBytes: 30).write(to: root.appendingPathComponent("model.safetensors"))
        let package = try ModelPackInspector(onnxInspector: nil).inspect(root, name: "org/mini")
        #expect(package.files.map(\.path) == ["1_Pooling/config.json", "README.md", "config.json", "model.safetensors", "modeling.py", "tokenizer.json", "vocab.txt"])
        #expect(package.files.map(\.mediaType) == [
            ModelPackMediaType.weightConfigRaw, ModelPackMediaType.docRaw, ModelPackMediaType.weightConfigRaw, ModelPackMediaType.weightRaw,
            ModelPackMediaType.codeRaw, ModelPackMediaType.weightConfigRaw, ModelPackMediaType.weightConfigRaw,
        ])
        #expect(package.config.architecture == "BertModel")
        #expect(package.descriptor.family == "bert")
        #expect(package.descriptor.name == "org/mini")
        // The weights' own header wins over config.json's torch_dtype.
        #expect(package.config.precision == "BF16,F32")

        try Data("{".utf8).write(to: root.appendingPathComponent("config.json"))
        #expect(throws: ModelPackInspector.PackagingError.self) { try ModelPackInspector(onnxInspector: nil).inspect(root) }
    }

    @Test func manifestIsAModelPackArtifactWithAnnotatedLayers() throws {
        let root = try ModelPackFixtures.directory()
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent("model.safetensors")
        let bytes = ModelPackFixtures.safetensors(header: Self.twoTensors, dataBytes: 30)
        try bytes.write(to: file)
        let package = try ModelPackInspector(onnxInspector: nil).inspect(root)
        let layers = package.files.map { ModelPackManifest.Layer(file: $0, digest: BlobDigest.of([UInt8](bytes))) }
        let config = try ModelPackManifest.configBytes(package, layers: layers)
        #expect(try ModelPackManifest.configBytes(package, layers: layers) == config, "the same model gives the same config bytes")
        let manifest = try ModelPackManifest.manifestBytes(config: config, layers: layers)
        let object = try #require(try JSONSerialization.jsonObject(with: manifest) as? [String: Any])
        #expect(object["schemaVersion"] as? Int == 2)
        #expect(object["mediaType"] as? String == "application/vnd.oci.image.manifest.v1+json")
        #expect(object["artifactType"] as? String == "application/vnd.cncf.model.manifest.v1+json")
        let configDescriptor = try #require(object["config"] as? [String: Any])
        #expect(configDescriptor["mediaType"] as? String == "application/vnd.cncf.model.config.v1+json")
        #expect(configDescriptor["digest"] as? String == BlobDigest.of([UInt8](config)).description)
        #expect(configDescriptor["size"] as? Int == config.count)
        let layer = try #require((object["layers"] as? [[String: Any]])?.first)
        #expect(layer["mediaType"] as? String == "application/vnd.cncf.model.weight.v1.raw")
        #expect(layer["size"] as? Int == bytes.count)
        #expect((layer["annotations"] as? [String: String]) == ["org.cncf.model.filepath": "model.safetensors"])
        let decoded = try JSONDecoder().decode(ModelPackConfig.self, from: config)
        #expect(decoded.modelfs.diffIds == [BlobDigest.of([UInt8](bytes)).description])
        #expect(decoded.config.parameterCount == 9)
    }

    @Test(arguments: [(999, "999"), (1930, "1.9K"), (22_713_216, "22.7M"), (7_241_732_096, "7.2B"), (405_000_000_000, "405B")])
    func paramSizeIsHumanReadable(count: Int, text: String) {
        #expect(ModelPackConfig.paramSize(count) == text)
    }
}
