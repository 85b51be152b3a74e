/// What a write stored.
public struct BlobInfo: Sendable, Hashable {
    public var digest: BlobDigest
    public var size: Int64
    public init(digest: BlobDigest, size: Int64) {
        self.digest = digest
        self.size = size
    }
}
