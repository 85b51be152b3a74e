import PlatformCore

/// A manifest as stored: the exact bytes pushed, their digest and media type.
public struct StoredManifest: Sendable, Hashable {
    public let digest: BlobDigest
    public let mediaType: String
    public let bytes: [UInt8]
    /// The manifest's `subject`, reported in the `OCI-Subject` header on push.
    public let subject: BlobDigest?
}
