import Foundation

/// Turns a model file or directory into a ModelPack package: the files with their layer media
/// types, and a config derived from what the weights say about themselves. Every weights file is
/// parsed (ONNX through the injected inspector, safetensors and GGUF headers here); one that
/// claims a format but does not parse refuses the whole push with a `ModelFormatError`.
public struct ModelPackInspector: Sendable {
    /// A model package, ready to hash and push.
    public struct Package: Sendable {
        public var files: [ModelPackFile]
        /// The config without `modelfs` (which needs the layer digests).
        public var config: ModelPackConfig.Config
        public var descriptor: ModelPackConfig.Descriptor
    }

    /// Why a path cannot be packaged at all.
    public struct PackagingError: Error, Sendable, CustomStringConvertible {
        public let description: String

        public init(description: String) {
            self.description = description
        }
    }

    let onnxInspector: ONNXInspector?

    /// `onnxInspector` parses `.onnx` files; without one, ONNX files are packaged unchecked.
    public init(onnxInspector: ONNXInspector?) {
        self.onnxInspector = onnxInspector
    }

    /// Packages `url`: one file, or every non-hidden file under a directory (sorted by path).
    public func inspect(_ url: URL, name: String? = nil) throws -> Package {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw PackagingError(description: "\(url.path) does not exist")
        }
        let files = isDirectory.boolValue ? try Self.listDirectory(url) : [try Self.file(url, path: url.lastPathComponent)]
        guard !files.isEmpty else { throw PackagingError(description: "\(url.path) holds no files") }
        var config = ModelPackConfig.Config()
        var descriptor = ModelPackConfig.Descriptor(name: name)
        try describeHuggingFace(files, config: &config, descriptor: &descriptor)
        try describeWeights(files, config: &config)
        return Package(files: files, config: config, descriptor: descriptor)
    }

    static func file(_ url: URL, path: String) throws -> ModelPackFile {
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        return ModelPackFile(url: url, path: path, mediaType: ModelPackFile.mediaType(forPath: path), size: size)
    }

    static func listDirectory(_ root: URL) throws -> [ModelPackFile] {
        guard let enumerator = FileManager.default.enumerator(atPath: root.path) else {
            throw PackagingError(description: "cannot list \(root.path)")
        }
        var files = [ModelPackFile]()
        while let relative = enumerator.nextObject() as? String {
            // Hidden entries (.git, .cache/huggingface) are tooling state, not the model.
            if relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
            let url = root.appendingPathComponent(relative)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            files.append(try file(url, path: relative))
        }
        return files.sorted { $0.path < $1.path }
    }

    /// `config.json` of a Hugging Face directory: architecture and family.
    func describeHuggingFace(_ files: [ModelPackFile], config: inout ModelPackConfig.Config, descriptor: inout ModelPackConfig.Descriptor) throws {
        guard let file = files.first(where: { $0.path == "config.json" }) else { return }
        guard let data = try? Data(contentsOf: file.url), let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw PackagingError(description: "config.json is not a JSON object")
        }
        config.architecture = (object["architectures"] as? [String])?.first ?? object["model_type"] as? String
        descriptor.family = object["model_type"] as? String
        if let dtype = object["torch_dtype"] as? String { config.precision = dtype }
        if let quantization = object["quantization_config"] as? [String: Any] {
            config.quantization = (quantization["quant_method"] as? String) ?? "yes"
        }
    }

    func describeWeights(_ files: [ModelPackFile], config: inout ModelPackConfig.Config) throws {
        // Every weights file is parsed, so a corrupt one is refused whichever format describes the model.
        var safetensors = [(ModelPackFile, SafetensorsHeader)]()
        var gguf = [GGUFHeader]()
        var onnx = [ONNXInspection]()
        for file in files {
            switch ModelFileFormat(fileName: file.path) {
            case .safetensors: safetensors.append((file, try SafetensorsHeader(contentsOf: file.url, name: file.path)))
            case .gguf: gguf.append(try GGUFHeader(contentsOf: file.url, name: file.path))
            case .onnx:
                if let onnxInspector { onnx.append(try onnxInspector(file.url, file.path)) }
            case .other: continue
            }
        }
        if let index = files.first(where: { $0.path.hasSuffix("safetensors.index.json") }) {
            try checkShardIndex(index, files: files)
        }
        if !safetensors.isEmpty {
            config.format = ModelFileFormat.safetensors.rawValue
            let headers = safetensors.map(\.1)
            let weights = SafetensorsHeader.weights(of: headers)
            config.parameterCount = weights.parameterCount
            config.tensorCount = headers.reduce(0) { $0 + $1.tensors.count }
            config.precision = weights.dtypes.joined(separator: ",")
        } else if !gguf.isEmpty {
            config.format = ModelFileFormat.gguf.rawValue
            config.tensorCount = gguf.reduce(0) { $0 + Int($1.tensorCount) }
        } else if !onnx.isEmpty {
            config.format = ModelFileFormat.onnx.rawValue
            config.parameterCount = onnx.reduce(0) { $0 + $1.parameterCount }
            config.precision = onnx.compactMap(\.precision).first ?? config.precision
            config.capabilities = ModelPackConfig.Capabilities(
                operators: Set(onnx.flatMap(\.operators)).sorted(), deterministic: onnx.allSatisfy(\.deterministic))
        } else if files.contains(where: { ModelFileFormat(fileName: $0.path) == .onnx }) {
            config.format = ModelFileFormat.onnx.rawValue
        }
        if let count = config.parameterCount { config.paramSize = ModelPackConfig.paramSize(count) }
    }

    /// A sharded checkpoint's `model.safetensors.index.json` must name shards that are all present.
    func checkShardIndex(_ index: ModelPackFile, files: [ModelPackFile]) throws {
        let fail = { (reason: String) in ModelFormatError(file: index.path, format: .safetensors, reason: reason) }
        guard let data = try? Data(contentsOf: index.url), let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let weightMap = object["weight_map"] as? [String: String]
        else { throw fail("index has no weight_map object") }
        let directory = (index.path as NSString).deletingLastPathComponent
        let present = Set(files.map(\.path))
        for shard in Set(weightMap.values).sorted() {
            let path = directory.isEmpty ? shard : directory + "/" + shard
            guard present.contains(path) else { throw fail("shard \(shard) named in weight_map is missing") }
        }
    }
}
