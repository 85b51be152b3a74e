/// What a request does to a repository; API key scopes grant these.
///
/// `admin` implies every other action and `push` implies `pull` (a client cannot push without
/// checking which blobs exist); `delete` implies nothing else.
public enum RegistryAction: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case pull
    case push
    case delete
    case admin

    /// Whether holding `self` permits `action`.
    public func permits(_ action: RegistryAction) -> Bool {
        switch self {
        case .admin: true
        case .push: action == .push || action == .pull
        case .pull, .delete: action == self
        }
    }

    public var description: String { rawValue }
}
