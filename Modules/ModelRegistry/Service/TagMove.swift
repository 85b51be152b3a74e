import PlatformCore

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
