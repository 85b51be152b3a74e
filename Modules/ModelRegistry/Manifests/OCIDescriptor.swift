import PlatformCore

/// An OCI content descriptor: what a manifest says about a blob or another manifest.
public struct OCIDescriptor: Codable, Sendable, Hashable {
    public var mediaType: String
    /// Kept as text so an unparsable digest is reported as `DIGEST_INVALID`, not as a decoding failure.
    public var digest: String
    public var size: Int64
    public var artifactType: String?
    public var annotations: [String: String]?

    public init(mediaType: String, digest: String, size: Int64, artifactType: String? = nil, annotations: [String: String]? = nil) {
        self.mediaType = mediaType
        self.digest = digest
        self.size = size
        self.artifactType = artifactType
        self.annotations = annotations
    }
}

/// The media types the registry stores manifests of.
public enum ManifestMediaType {
    public static let ociManifest = "application/vnd.oci.image.manifest.v1+json"
    public static let ociIndex = "application/vnd.oci.image.index.v1+json"
    public static let dockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
    public static let dockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json"
    /// The config of an artifact that has none (`{}`).
    public static let ociEmpty = "application/vnd.oci.empty.v1+json"

    /// Every manifest media type accepted on push.
    public static let all: Set<String> = [ociManifest, ociIndex, dockerManifest, dockerManifestList]
    /// The media types whose entries are other manifests.
    public static let indexes: Set<String> = [ociIndex, dockerManifestList]
}
