/// Who a request acts as: an API key's name and scopes.
public struct RegistryPrincipal: Sendable, Hashable {
    /// The key's name; recorded as the actor in tag history.
    public let name: String
    public let scopes: [AccessScope]

    public init(name: String, scopes: [AccessScope]) {
        self.name = name
        self.scopes = scopes
    }

    /// Whether any scope permits `action` on `repository`.
    public func permits(_ action: RegistryAction, on repository: RepositoryName) -> Bool {
        scopes.contains { $0.permits(action, on: repository) }
    }
}
