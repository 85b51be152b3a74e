/// An API key as stored: everything but the key itself (only its SHA-256 is kept).
public struct APIKey: Sendable, Hashable {
    public let name: String
    public let scopes: [AccessScope]
    /// ISO 8601.
    public let createdAt: String
    /// ISO 8601, or nil while the key is valid.
    public let revokedAt: String?

    public init(name: String, scopes: [AccessScope], createdAt: String, revokedAt: String?) {
        self.name = name
        self.scopes = scopes
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }
}
