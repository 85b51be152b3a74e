import Foundation
import PlatformCore

/// A manifest pushed to the registry, checked against the OCI image spec: its media type, the
/// blobs and manifests it names, its `subject` and `artifactType`.
public struct ParsedManifest: Sendable {
    /// The media type (from the body's `mediaType`, else the request's `Content-Type`).
    public let mediaType: String
    /// The `artifactType`, or for an image manifest without one the config's media type (what the
    /// referrers API reports).
    public let artifactType: String?
    /// The manifest this one refers to (signatures, reports, proofs point at a model this way).
    public let subject: BlobDigest?
    /// Blobs this manifest names (config and layers), with their declared sizes.
    public let blobs: [(digest: BlobDigest, size: Int64)]
    /// Manifests this index names.
    public let manifests: [BlobDigest]
    public let annotations: [String: String]?

    private struct Document: Decodable {
        var schemaVersion: Int?
        var mediaType: String?
        var artifactType: String?
        var config: OCIDescriptor?
        var layers: [OCIDescriptor]?
        var manifests: [OCIDescriptor]?
        var subject: OCIDescriptor?
        var annotations: [String: String]?
    }

    /// - Parameters:
    ///   - contentType: the request's `Content-Type`, if any.
    /// - Throws: ``RegistryError`` `MANIFEST_INVALID` naming the problem, `DIGEST_INVALID` for a bad
    ///   descriptor digest.
    public init(bytes: [UInt8], contentType: String?) throws {
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: Data(bytes))
        } catch {
            throw RegistryError(.manifestInvalid, "manifest is not a valid JSON manifest: \(Self.describe(error))")
        }
        guard document.schemaVersion == 2 else {
            throw RegistryError(.manifestInvalid, "manifest schemaVersion must be 2, got \(document.schemaVersion.map(String.init) ?? "none")")
        }
        let declared = contentType.map { $0.split(separator: ";")[0].trimmingCharacters(in: .whitespaces) }
        let inferred: String? = document.manifests != nil ? ManifestMediaType.ociIndex
            : document.config != nil ? ManifestMediaType.ociManifest : nil
        guard let mediaType = document.mediaType ?? declared.flatMap({ ManifestMediaType.all.contains($0) ? $0 : nil }) ?? inferred else {
            throw RegistryError(.manifestInvalid, "manifest has no mediaType and no supported Content-Type")
        }
        if let body = document.mediaType, let declared, !declared.isEmpty, declared != body,
            ManifestMediaType.all.contains(declared)
        {
            throw RegistryError(.manifestInvalid, "Content-Type \(declared) does not match the manifest's mediaType \(body)")
        }
        guard ManifestMediaType.all.contains(mediaType) else {
            throw RegistryError(
                .manifestInvalid,
                "unsupported manifest media type \(mediaType); expected one of \(ManifestMediaType.all.sorted().joined(separator: ", "))")
        }
        self.mediaType = mediaType
        self.annotations = document.annotations
        self.subject = try document.subject.map { try Self.digest(of: $0, field: "subject") }

        if ManifestMediaType.indexes.contains(mediaType) {
            guard let entries = document.manifests else {
                throw RegistryError(.manifestInvalid, "an index manifest needs a manifests array")
            }
            self.manifests = try entries.enumerated().map { try Self.digest(of: $1, field: "manifests[\($0)]") }
            self.blobs = []
            self.artifactType = document.artifactType
        } else {
            guard let config = document.config else {
                throw RegistryError(.manifestInvalid, "an image manifest needs a config descriptor")
            }
            guard let layers = document.layers else {
                throw RegistryError(.manifestInvalid, "an image manifest needs a layers array")
            }
            var blobs = [(try Self.digest(of: config, field: "config"), config.size)]
            for (index, layer) in layers.enumerated() {
                blobs.append((try Self.digest(of: layer, field: "layers[\(index)]"), layer.size))
            }
            self.blobs = blobs
            self.manifests = []
            self.artifactType = document.artifactType ?? config.mediaType
        }
    }

    private static func digest(of descriptor: OCIDescriptor, field: String) throws -> BlobDigest {
        guard descriptor.size >= 0 else {
            throw RegistryError(.manifestInvalid, "\(field) has a negative size")
        }
        do {
            return try BlobDigest(parsing: descriptor.digest)
        } catch {
            throw RegistryError(.digestInvalid, "\(field): \(error)", detail: descriptor.digest)
        }
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
            DecodingError.keyNotFound(_, let context), DecodingError.dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        default:
            return "\(error)"
        }
    }
}
