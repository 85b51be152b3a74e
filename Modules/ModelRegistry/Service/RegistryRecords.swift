import PlatformCore

/// An upload session: its id (used in the upload URL) and how many bytes it holds.
public struct UploadStatus: Sendable, Hashable {
    public let id: String
    public let repository: RepositoryName
    public let size: Int64
}

/// A manifest as stored: the exact bytes pushed, their digest and media type.
public struct StoredManifest: Sendable, Hashable {
    public let digest: BlobDigest
    public let mediaType: String
    public let bytes: [UInt8]
    /// The manifest's `subject`, reported in the `OCI-Subject` header on push.
    public let subject: BlobDigest?
}

/// One move of a tag, from the append-only history: nil `from` is a creation, nil `to` a deletion.
public struct TagMove: Sendable, Hashable {
    public let repository: String
    public let tag: String
    public let from: BlobDigest?
    public let to: BlobDigest?
    /// The key name (or `anonymous`) that moved it.
    public let actor: String
    /// RFC 3339 UTC.
    public let at: String
}

/// What a garbage collection removed (or, dry, would remove).
public struct GarbageCollectionReport: Sendable, Hashable {
    /// Blobs deleted from the store.
    public var deletedBlobs: [BlobDigest] = []
    /// Their total size.
    public var freedBytes: Int64 = 0
    /// Repository links to blobs no manifest references any more.
    public var unlinked = 0
    /// Upload sessions expired and removed.
    public var expiredUploads: [String] = []
}
