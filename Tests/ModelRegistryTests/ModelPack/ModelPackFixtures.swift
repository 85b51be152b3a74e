import Foundation

/// Small model files written byte by byte, following each format's published layout.
enum ModelPackFixtures {
    static func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("aiplat-modelpack-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A safetensors file: u64 little-endian header length, the JSON header, then `dataBytes` bytes.
    static func safetensors(header: String, dataBytes: Int) -> Data {
        let json = Data(header.utf8)
        var length = UInt64(json.count).littleEndian
        return Data(bytes: &length, count: 8) + json + Data(repeating: 0x3F, count: dataBytes)
    }

    /// A GGUF header: magic, version, tensor count and metadata count (u32 counts in version 1).
    static func gguf(version: UInt32, tensors: UInt64, metadata: UInt64) -> Data {
        var data = Data("GGUF".utf8)
        withUnsafeBytes(of: version.littleEndian) { data.append(contentsOf: $0) }
        if version == 1 {
            withUnsafeBytes(of: UInt32(tensors).littleEndian) { data.append(contentsOf: $0) }
            withUnsafeBytes(of: UInt32(metadata).littleEndian) { data.append(contentsOf: $0) }
        } else {
            withUnsafeBytes(of: tensors.littleEndian) { data.append(contentsOf: $0) }
            withUnsafeBytes(of: metadata.littleEndian) { data.append(contentsOf: $0) }
        }
        return data
    }
}
