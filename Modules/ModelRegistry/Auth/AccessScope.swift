/// One grant of an API key: an action on the repositories a pattern matches, written
/// `ACTION:PATTERN` (`pull:org/*`, `push:org/bert`, `admin:*`).
public struct AccessScope: Sendable, Hashable, CustomStringConvertible {
    public let action: RegistryAction
    public let repositories: RepositoryPattern

    public init(action: RegistryAction, repositories: RepositoryPattern) {
        self.action = action
        self.repositories = repositories
    }

    /// Parses `ACTION:PATTERN`.
    /// - Throws: ``RegistryError`` naming the scope and what was expected.
    public init(parsing text: String) throws {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let action = RegistryAction(rawValue: String(parts[0])) else {
            throw RegistryError(
                .denied,
                "invalid scope \"\(text.prefix(80))\": expected ACTION:PATTERN with ACTION one of pull, push, delete, admin (e.g. pull:org/*)")
        }
        self.action = action
        self.repositories = try RepositoryPattern(String(parts[1]))
    }

    /// Whether this scope permits `action` on `repository`.
    public func permits(_ action: RegistryAction, on repository: RepositoryName) -> Bool {
        self.action.permits(action) && repositories.matches(repository)
    }

    public var description: String { "\(action):\(repositories)" }
}
