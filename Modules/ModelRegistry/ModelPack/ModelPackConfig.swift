/// The ModelPack config blob (`application/vnd.cncf.model.config.v1+json`, model-spec `docs/config.md`):
/// what the model is, derived from its files on push. Fields the spec does not name
/// (`parameterCount`, `operators`, `deterministic`, `tensorCount`) are extensions readers may ignore.
public struct ModelPackConfig: Codable, Sendable, Equatable {
    public struct Descriptor: Codable, Sendable, Equatable {
        public var name: String?
        public var family: String?
        public var createdAt: String?

        public init(name: String? = nil, family: String? = nil, createdAt: String? = nil) {
            self.name = name
            self.family = family
            self.createdAt = createdAt
        }
    }

    public struct Capabilities: Codable, Sendable, Equatable {
        /// ONNX operators as `domain:OpType` (`ai.onnx` for the default domain).
        public var operators: [String]?
        /// Whether the engine's deterministic mode gives bit-identical outputs (ONNX only).
        public var deterministic: Bool?

        public init(operators: [String]? = nil, deterministic: Bool? = nil) {
            self.operators = operators
            self.deterministic = deterministic
        }
    }

    public struct Config: Codable, Sendable, Equatable {
        public var architecture: String?
        /// `onnx`, `safetensors`, `gguf`, or nil when no weights were recognised.
        public var format: String?
        /// Human-readable parameter count, e.g. `22.7M` (the spec's `paramSize`).
        public var paramSize: String?
        public var parameterCount: Int?
        /// Element types of the weights, e.g. `F32` or `BF16,F32`.
        public var precision: String?
        public var quantization: String?
        public var tensorCount: Int?
        public var capabilities: Capabilities?

        public init() {}
    }

    public struct ModelFS: Codable, Sendable, Equatable {
        public var type: String
        /// The digests of the layers, in layer order (raw layers: the diff ID is the blob digest).
        public var diffIds: [String]

        public init(type: String = "layers", diffIds: [String]) {
            self.type = type
            self.diffIds = diffIds
        }
    }

    public var descriptor: Descriptor
    public var config: Config
    public var modelfs: ModelFS

    public init(descriptor: Descriptor, config: Config, modelfs: ModelFS) {
        self.descriptor = descriptor
        self.config = config
        self.modelfs = modelfs
    }

    /// `22_700_000` -> `22.7M`.
    public static func paramSize(_ count: Int) -> String {
        let units: [(Double, String)] = [(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")]
        for (scale, suffix) in units where Double(count) >= scale {
            let value = Double(count) / scale
            let text = value >= 100 ? String(Int(value.rounded())) : String((value * 10).rounded() / 10)
            return (text.hasSuffix(".0") ? String(text.dropLast(2)) : text) + suffix
        }
        return String(count)
    }
}
