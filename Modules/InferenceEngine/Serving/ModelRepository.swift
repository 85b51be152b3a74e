import Foundation
import PlatformCore

/// The models `aiplat serve --models DIR` serves: Triton's repository layout
/// (`DIR/NAME/<version>/model.onnx`, highest numeric version wins) and bare files
/// (`DIR/NAME.onnx` is model `NAME`). Each model is loaded and compiled once; concurrent requests
/// share its ``InferenceSession``.
public struct ModelRepository: Sendable {
    public struct Entry: Sendable {
        public let name: String
        public let version: String
        public let url: URL
        /// nil when loading failed; `loadError` says why (the model is listed, not ready).
        public let session: InferenceSession?
        public let loadError: String?
        /// The digest the model is known by (`sha256:<hex>`): the ModelPack manifest digest that
        /// `aiplat models pull` records in `.aiplat-model.json` beside the model, else the SHA-256
        /// of the model file. What `parameters.require_anchored` checks on chain.
        public let modelDigest: String?

        public init(name: String, version: String, url: URL, session: InferenceSession?, loadError: String?, modelDigest: String? = nil) {
            self.name = name
            self.version = version
            self.url = url
            self.session = session
            self.loadError = loadError
            self.modelDigest = modelDigest
        }
    }

    /// The file `aiplat models pull` writes into the directory it fills: `{"name": "org/mlp",
    /// "reference": "v1", "manifestDigest": "sha256:...", "files": {"model.onnx": "sha256:...", ...}}`
    /// (files: each layer's path and digest).
    public static let pulledModelRecord = ".aiplat-model.json"

    /// The request parameter that asks the server to serve only a model whose digest is anchored
    /// in the ModelRegistry contract: `{"parameters": {"require_anchored": true}, "inputs": [...]}`.
    public static let requireAnchoredParameter = "require_anchored"

    /// Whether an infer request body asks for an anchored model (`parameters.require_anchored`
    /// is true). Bodies that do not mention the parameter are not parsed.
    public static func requestRequiresAnchor(_ body: Data) -> Bool {
        guard body.range(of: Data(requireAnchoredParameter.utf8)) != nil,
            let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
            let parameters = object["parameters"] as? [String: Any]
        else { return false }
        return parameters[requireAnchoredParameter] as? Bool == true
    }

    /// The digest of the model at `url`: the manifest digest from the `.aiplat-model.json` in its
    /// directory when that record lists the file with the digest its bytes have now (a file
    /// replaced after the pull is not vouched for by the manifest), else the file's SHA-256.
    static func modelDigest(of url: URL) -> String? {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
        defer { try? handle.close() }
        var hasher = SHA256Hasher()
        while let chunk = try? handle.read(upToCount: 4 << 20), !chunk.isEmpty { hasher.update(chunk) }
        let fileDigest = BlobDigest(hasher.finalize()).description
        let record = url.deletingLastPathComponent().appendingPathComponent(pulledModelRecord)
        if let data = FileManager.default.contents(atPath: record.path),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let files = object["files"] as? [String: String], files[url.lastPathComponent] == fileDigest,
            let manifest = object["manifestDigest"] as? String, (try? BlobDigest(parsing: manifest)) != nil
        {
            return manifest
        }
        return fileDigest
    }

    public let directory: URL?
    public let entries: [String: Entry]

    public init(entries: [Entry] = []) {
        directory = nil
        self.entries = Dictionary(entries.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Scans and loads `directory`. A model that fails to load stays listed with its error; a
    /// directory that cannot be read throws.
    public init(directory: URL, options: ExecutionOptions = .default) throws {
        self.directory = directory
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: directory.path) else {
            throw ONNXError(.invalidInput, "cannot read model directory \(directory.path)")
        }
        var found = [Entry]()
        for name in names.sorted() where !name.hasPrefix(".") {
            let url = directory.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            manager.fileExists(atPath: url.path, isDirectory: &isDirectory)
            if isDirectory.boolValue {
                let versions = ((try? manager.contentsOfDirectory(atPath: url.path)) ?? []).compactMap(Int.init).sorted()
                guard let version = versions.last else { continue }
                let file = url.appendingPathComponent("\(version)/model.onnx")
                guard manager.fileExists(atPath: file.path) else { continue }
                found.append(Self.load(name: name, version: "\(version)", url: file, options: options))
            } else if name.hasSuffix(".onnx") {
                found.append(Self.load(name: String(name.dropLast(5)), version: "1", url: url, options: options))
            }
        }
        entries = Dictionary(found.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    static func load(name: String, version: String, url: URL, options: ExecutionOptions) -> Entry {
        let digest = modelDigest(of: url)
        do {
            return Entry(
                name: name, version: version, url: url, session: try InferenceSession(contentsOf: url, options: options), loadError: nil,
                modelDigest: digest)
        } catch {
            return Entry(name: name, version: version, url: url, session: nil, loadError: "\(error)", modelDigest: digest)
        }
    }

    public var names: [String] { entries.keys.sorted() }
    public var isReady: Bool { entries.values.allSatisfy { $0.session != nil } }

    /// OIP v2 model metadata (`GET /v2/models/{name}`).
    public static func metadata(_ entry: Entry) -> [String: Any] {
        func tensors(_ infos: [ONNXValueInfo]) -> [[String: Any]] {
            infos.map { info in
                switch info.type {
                case let .tensor(code, dtype, shape):
                    return [
                        "name": info.name,
                        "datatype": dtype.map { ONNXElementType.oipName(for: $0) } ?? ONNXElementType.name(of: code).uppercased(),
                        "shape": (shape ?? []).map { dim -> Int in if case let .value(v) = dim { return v } else { return -1 } },
                    ]
                default:
                    return ["name": info.name, "datatype": "BYTES", "shape": [-1]]
                }
            }
        }
        var object: [String: Any] = ["name": entry.name, "versions": [entry.version], "platform": "onnx"]
        if let session = entry.session {
            object["inputs"] = tensors(session.inputs)
            object["outputs"] = tensors(session.outputs)
        } else {
            object["error"] = entry.loadError ?? "not loaded"
        }
        return object
    }

    /// Runs an OIP v2 infer request body (parsed JSON) on `entry`; returns the response object.
    public static func infer(_ entry: Entry, request: Any) throws -> [String: Any] {
        guard let session = entry.session else {
            throw ONNXError(.invalidModel, "model \(entry.name) is not ready: \(entry.loadError ?? "not loaded")")
        }
        guard let body = request as? [String: Any], let inputs = body["inputs"] as? [Any] else {
            throw ONNXError(.invalidInput, "request body must be a JSON object with an \"inputs\" array")
        }
        var feeds = [String: ONNXValue]()
        for (index, input) in inputs.enumerated() {
            let (name, tensor) = try OIPTensor.decode(input, index: index)
            guard feeds[name] == nil else { throw ONNXError(.invalidInput, "input \"\(name)\" given twice") }
            feeds[name] = .tensor(tensor)
        }
        var wanted: Set<String>?
        if let outputs = body["outputs"] as? [[String: Any]] {
            wanted = Set(outputs.compactMap { $0["name"] as? String })
            let known = Set(session.outputs.map(\.name))
            if let unknown = wanted?.subtracting(known).sorted().first {
                throw ONNXError(.invalidInput, "unknown output \"\(unknown)\"; the model's outputs are \(known.sorted().joined(separator: ", "))")
            }
        }
        let result = try session.run(feeds)
        var response: [String: Any] = [
            "model_name": entry.name,
            "model_version": entry.version,
            "outputs": try result.outputs.filter { wanted?.contains($0.name) ?? true }.map { try OIPTensor.encode(name: $0.name, $0.value) },
            "parameters": ["digest": "0x" + (try result.digest()), "deterministic": session.options.deterministic],
        ]
        if let id = body["id"] as? String { response["id"] = id }
        return response
    }
}
