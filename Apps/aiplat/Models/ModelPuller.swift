import Foundation
import InferenceEngine
import ModelRegistry
import PlatformCore

/// Pulls a model into the local cache (verifying every digest, resuming partial blobs) and lays
/// its files out in a directory by their `org.cncf.model.filepath` annotations: read-only hard
/// links to the cache files (no second copy of the bytes), or writable copies with `copy` (and
/// where the directory is on another file system). A digest already in the cache needs no
/// registry at all; cached blobs are re-hashed before they are reused.
struct ModelPuller {
    let client: RegistryClient
    let cache: ModelCache
    var copy = false

    struct Resolved {
        let digest: BlobDigest
        let manifest: ModelPackManifest.Manifest
        let fromCache: Bool
    }

    /// The manifest for `reference`: from the cache for a cached digest, else from the registry
    /// (recording the tag), else, with the registry unreachable, from the digest the tag last had.
    func resolve(_ reference: ModelReference) async throws -> Resolved {
        if let text = reference.digest {
            let digest = try BlobDigest(parsing: text)
            if let bytes = FileManager.default.contents(atPath: cache.blob(digest).path), BlobDigest.of([UInt8](bytes)) == digest {
                return Resolved(digest: digest, manifest: try decode(bytes), fromCache: true)
            }
        }
        do {
            let fetched = try await client.manifest(reference.repository, reference: reference.reference)
            try cache.store(fetched.bytes, digest: fetched.digest)
            if reference.digest == nil {
                try cache.recordTag(registry: client.baseURL, repository: reference.repository, tag: reference.reference, digest: fetched.digest)
            }
            return Resolved(digest: fetched.digest, manifest: try decode(fetched.bytes), fromCache: false)
        } catch let error as RegistryClientError where error.status == 0 {
            guard reference.digest == nil,
                let digest = cache.cachedTag(registry: client.baseURL, repository: reference.repository, tag: reference.reference),
                let bytes = FileManager.default.contents(atPath: cache.blob(digest).path), BlobDigest.of([UInt8](bytes)) == digest
            else { throw error }
            FileHandle.standardError.write(Data("registry unreachable: using the cached \(reference.reference) -> \(digest)\n".utf8))
            return Resolved(digest: digest, manifest: try decode(bytes), fromCache: true)
        }
    }

    func decode(_ bytes: Data) throws -> ModelPackManifest.Manifest {
        do {
            return try JSONDecoder().decode(ModelPackManifest.Manifest.self, from: bytes)
        } catch {
            throw ModelPackInspector.PackagingError(description: "the manifest is not an OCI image manifest with config and layers")
        }
    }

    /// Makes sure every blob of the manifest is in the cache, intact (a cached blob is re-hashed:
    /// an output directory may have changed it through its hard link); returns the bytes fetched.
    func fetchBlobs(_ repository: String, _ manifest: ModelPackManifest.Manifest) async throws -> Int64 {
        var fetched: Int64 = 0
        var checked = Set<BlobDigest>()
        for descriptor in [manifest.config] + manifest.layers {
            let digest = try BlobDigest(parsing: descriptor.digest)
            guard checked.insert(digest).inserted, !cache.verifiedBlob(digest) else { continue }
            let label = descriptor.annotations?[ModelPackMediaType.filepathAnnotation] ?? digest.description
            let partial = cache.partial(digest)
            let held = ((try? FileManager.default.attributesOfItem(atPath: partial.path))?[.size] as? NSNumber)?.int64Value ?? 0
            let progress = TransferProgress(label: label, total: descriptor.size, start: held)
            let moved = try await client.downloadBlob(repository, digest, to: partial, progress: { progress.update($0) })
            try cache.commit(digest)
            progress.finish("pulled", moved: moved)
            fetched += moved
        }
        return fetched
    }

    /// Puts the layers from the cache into `directory` by their file path annotations (hard links,
    /// or copies; see ``ModelCache/place(_:at:copy:)``).
    func materialize(_ manifest: ModelPackManifest.Manifest, into directory: URL) throws {
        let manager = FileManager.default
        try manager.createDirectory(at: directory, withIntermediateDirectories: true)
        for layer in manifest.layers {
            guard let path = layer.annotations?[ModelPackMediaType.filepathAnnotation] else { continue }
            // A manifest is untrusted input: its paths must stay inside the directory.
            let parts = path.split(separator: "/", omittingEmptySubsequences: false)
            guard !path.hasPrefix("/"), !parts.isEmpty, !parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else {
                throw ModelPackInspector.PackagingError(description: "layer path \(path) would leave the output directory")
            }
            let target = directory.appendingPathComponent(path)
            try manager.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try cache.place(try BlobDigest(parsing: layer.digest), at: target, copy: copy)
        }
    }

    /// Records what was pulled into `directory` (`.aiplat-model.json`, hidden, so a push of the
    /// directory leaves it out): the name, the reference asked for, the manifest digest and each
    /// file's digest. `aiplat serve --models` reads it to know a served model by its manifest
    /// digest (what `models anchor` registers on chain).
    func writeRecord(_ resolved: Resolved, reference: ModelReference, into directory: URL) throws {
        var files: [String: String] = [:]
        for layer in resolved.manifest.layers {
            if let path = layer.annotations?[ModelPackMediaType.filepathAnnotation] { files[path] = layer.digest }
        }
        let record: [String: Any] = [
            "name": reference.repository, "reference": reference.reference, "manifestDigest": resolved.digest.description,
            "registry": client.baseURL, "files": files,
        ]
        let data = try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
        let url = directory.appendingPathComponent(ModelRepository.pulledModelRecord)
        try? FileManager.default.removeItem(at: url)
        try data.write(to: url, options: .atomic)
    }
}
