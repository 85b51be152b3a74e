import Foundation
import PlatformCore

/// Builds the OCI image manifest of a model: artifactType `application/vnd.cncf.model.manifest.v1+json`,
/// the ModelPack config blob, one raw layer per file annotated with its path.
public enum ModelPackManifest {
    /// A layer with its digest, ready to go into a manifest.
    public struct Layer: Sendable {
        public let file: ModelPackFile
        public let digest: BlobDigest

        public init(file: ModelPackFile, digest: BlobDigest) {
            self.file = file
            self.digest = digest
        }
    }

    /// The config blob's bytes (sorted keys, so the same model always gives the same digest).
    public static func configBytes(_ package: ModelPackInspector.Package, layers: [Layer]) throws -> Data {
        let config = ModelPackConfig(
            descriptor: package.descriptor, config: package.config,
            modelfs: ModelPackConfig.ModelFS(diffIds: layers.map(\.digest.description)))
        return try encoder.encode(config)
    }

    /// The manifest's bytes.
    public static func manifestBytes(config: Data, layers: [Layer], annotations: [String: String] = [:]) throws -> Data {
        let manifest = Manifest(
            mediaType: ManifestMediaType.ociManifest,
            artifactType: ModelPackMediaType.manifestArtifact,
            config: OCIDescriptor(mediaType: ModelPackMediaType.config, digest: BlobDigest.of([UInt8](config)).description, size: Int64(config.count)),
            layers: layers.map {
                OCIDescriptor(
                    mediaType: $0.file.mediaType, digest: $0.digest.description, size: $0.file.size,
                    annotations: [ModelPackMediaType.filepathAnnotation: $0.file.path])
            },
            annotations: annotations.isEmpty ? nil : annotations)
        return try encoder.encode(manifest)
    }

    /// The parts of a model manifest a puller needs.
    public struct Manifest: Codable, Sendable {
        public var schemaVersion = 2
        public var mediaType: String?
        public var artifactType: String?
        public var config: OCIDescriptor
        public var layers: [OCIDescriptor]
        public var annotations: [String: String]?

        public init(mediaType: String?, artifactType: String?, config: OCIDescriptor, layers: [OCIDescriptor], annotations: [String: String]?) {
            self.mediaType = mediaType
            self.artifactType = artifactType
            self.config = config
            self.layers = layers
            self.annotations = annotations
        }
    }

    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
