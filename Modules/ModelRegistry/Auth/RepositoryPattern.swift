/// A repository glob in a key scope or the anonymous-pull setting: repository-name characters and
/// `*`, which matches any run of characters including `/` (`org/*` matches `org/a` and `org/a/b`;
/// `*` alone matches every repository).
public struct RepositoryPattern: Sendable, Hashable, CustomStringConvertible {
    /// The pattern as written.
    public let pattern: String

    /// - Throws: ``RegistryError`` `NAME_INVALID` for characters no repository name has.
    public init(_ pattern: String) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789._-/*".utf8)
        guard !pattern.isEmpty, pattern.utf8.count <= RepositoryName.maxLength, pattern.utf8.allSatisfy(allowed.contains) else {
            throw RegistryError(
                .nameInvalid,
                "invalid repository pattern \"\(pattern.prefix(80))\": use lowercase letters, digits, ., _, -, / and *")
        }
        self.pattern = pattern
    }

    /// Whether `name` matches.
    public func matches(_ name: RepositoryName) -> Bool {
        Self.glob(Array(pattern.utf8)[...], Array(name.value.utf8)[...])
    }

    private static func glob(_ pattern: ArraySlice<UInt8>, _ text: ArraySlice<UInt8>) -> Bool {
        // Iterative wildcard matching with backtracking to the last `*`: linear in practice.
        var p = pattern.startIndex
        var t = text.startIndex
        var star: Int?
        var resume = text.startIndex
        while t < text.endIndex {
            if p < pattern.endIndex, pattern[p] == UInt8(ascii: "*") {
                star = p
                p += 1
                resume = t
            } else if p < pattern.endIndex, pattern[p] == text[t] {
                p += 1
                t += 1
            } else if let star {
                p = star + 1
                resume += 1
                t = resume
            } else {
                return false
            }
        }
        while p < pattern.endIndex, pattern[p] == UInt8(ascii: "*") { p += 1 }
        return p == pattern.endIndex
    }

    public var description: String { pattern }
}
