import Foundation
import ModelRegistry
import PlatformCore

/// Packages a path as a ModelPack artifact and pushes it: config and layers (skipping blobs the
/// repository already has, resuming interrupted uploads), then the manifest under the tag.
struct ModelPusher {
    let client: RegistryClient
    let cache: ModelCache
    var chunkSize = 16 << 20
    var maxBytesPerSecond: Int64?

    /// Returns the manifest digest.
    func push(_ path: String, to reference: ModelReference, requireHuggingFace: Bool = false) async throws -> String {
        guard reference.digest == nil else {
            throw ModelReference.Invalid(description: "push takes NAME:TAG, not a digest")
        }
        let url = URL(fileURLWithPath: path)
        if requireHuggingFace, !FileManager.default.fileExists(atPath: url.appendingPathComponent("config.json").path) {
            throw ModelPackInspector.PackagingError(description: "\(path) is not a Hugging Face model directory (no config.json)")
        }
        let package = try ModelPackInspector(onnxInspector: ONNXInspectorFactory.inspector).inspect(url, name: reference.repository)
        var layers = [ModelPackManifest.Layer]()
        for file in package.files {
            layers.append(ModelPackManifest.Layer(file: file, digest: try FileDigest.of(file.url)))
        }
        let config = try ModelPackManifest.configBytes(package, layers: layers)
        let configDigest = BlobDigest.of([UInt8](config))
        let repository = reference.repository
        if try await client.blobSize(repository, configDigest) == nil {
            try await client.pushBlob(repository, bytes: config, digest: configDigest)
        }
        var pushed = Set<BlobDigest>()
        for layer in layers where !pushed.contains(layer.digest) {
            pushed.insert(layer.digest)
            try await upload(layer, repository: repository)
        }
        let manifest = try ModelPackManifest.manifestBytes(config: config, layers: layers)
        return try await client.putManifest(repository, reference: reference.tag ?? "latest", bytes: manifest, mediaType: ManifestMediaType.ociManifest)
    }

    /// Uploads one layer unless the repository has it; the session's location is kept in the cache
    /// after every chunk so a killed push resumes where the registry's copy ends.
    func upload(_ layer: ModelPackManifest.Layer, repository: String) async throws {
        if try await client.blobSize(repository, layer.digest) != nil {
            FileHandle.standardError.write(Data("exists \(layer.file.path) \(layer.digest)\n".utf8))
            return
        }
        let stateFile = cache.uploadState(registry: client.baseURL, repository: repository, digest: layer.digest)
        let resume = FileManager.default.contents(atPath: stateFile.path).flatMap { try? JSONDecoder().decode(UploadState.self, from: $0) }
        let progress = ProgressBox()
        let sent = try await client.uploadFile(
            repository, file: layer.file.url, size: layer.file.size, digest: layer.digest, resume: resume?.location,
            chunkSize: chunkSize, maxBytesPerSecond: maxBytesPerSecond,
            onLocation: { location, offset in
                if progress.reporter == nil {
                    progress.start(TransferProgress(label: layer.file.path, total: layer.file.size, start: offset))
                }
                try JSONEncoder().encode(UploadState(location: location, offset: offset)).write(to: stateFile, options: .atomic)
            },
            progress: { progress.reporter?.update($0) })
        try? FileManager.default.removeItem(at: stateFile)
        progress.reporter?.finish("pushed", moved: sent)
    }

    struct UploadState: Codable {
        let location: String
        let offset: Int64
    }
}
