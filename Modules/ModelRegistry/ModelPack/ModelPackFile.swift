import Foundation

/// One file of a model package: where it is, where it goes, and which layer media type carries it.
public struct ModelPackFile: Sendable, Equatable {
    /// The file on disk.
    public let url: URL
    /// Its path inside the model (the `org.cncf.model.filepath` annotation), `/`-separated.
    public let path: String
    public let mediaType: String
    public let size: Int64

    public init(url: URL, path: String, mediaType: String, size: Int64) {
        self.url = url
        self.path = path
        self.mediaType = mediaType
        self.size = size
    }

    /// The layer media type for a file at `path` inside a model.
    public static func mediaType(forPath path: String) -> String {
        let name = (path as NSString).lastPathComponent.lowercased()
        let ext = (name as NSString).pathExtension
        if ["onnx", "safetensors", "gguf", "bin", "pt", "pth", "h5", "msgpack", "ot", "tflite", "ckpt"].contains(ext),
            !name.hasSuffix(".index.json")
        {
            return ModelPackMediaType.weightRaw
        }
        if name.hasPrefix("readme") || name.hasPrefix("license") || name.hasPrefix("notice") || ext == "md" {
            return ModelPackMediaType.docRaw
        }
        if ext == "py" { return ModelPackMediaType.codeRaw }
        return ModelPackMediaType.weightConfigRaw
    }
}
