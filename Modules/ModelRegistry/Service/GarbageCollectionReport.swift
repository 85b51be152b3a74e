import PlatformCore

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
