/// The model file formats the registry recognises on push.
public enum ModelFileFormat: String, Sendable, Codable, Hashable {
    case onnx
    case safetensors
    case gguf
    /// Anything else (tokenizer files, README, configs).
    case other

    /// The format a file name claims.
    public init(fileName: String) {
        let lower = fileName.lowercased()
        if lower.hasSuffix(".onnx") {
            self = .onnx
        } else if lower.hasSuffix(".safetensors") {
            self = .safetensors
        } else if lower.hasSuffix(".gguf") {
            self = .gguf
        } else {
            self = .other
        }
    }
}
