import Foundation
import ModelRegistry
import PlatformCore

/// `[registry/]namespace/name[:tag|@sha256:...]` as the `models` verbs take it.
struct ModelReference: Sendable, CustomStringConvertible {
    /// `host:port` when the reference names a registry, else nil (use `--registry`).
    let registry: String?
    let repository: String
    let tag: String?
    let digest: String?

    /// A tag or digest to fetch: the digest wins, else the tag, else `latest`.
    var reference: String { digest ?? tag ?? "latest" }

    var description: String {
        (registry.map { "\($0)/" } ?? "") + repository + (digest.map { "@\($0)" } ?? ":\(tag ?? "latest")")
    }

    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    init(parsing text: String) throws {
        var rest = Substring(text)
        var digest: String?
        if let at = rest.firstIndex(of: "@") {
            digest = String(rest[rest.index(after: at)...])
            rest = rest[..<at]
            guard let value = digest, (try? BlobDigest(parsing: value)) != nil else {
                throw Invalid(description: "\(text): the digest must be sha256:<64 lowercase hex digits>")
            }
        }
        var tag: String?
        if let colon = rest.lastIndex(of: ":"), !rest[colon...].contains("/") {
            tag = String(rest[rest.index(after: colon)...])
            rest = rest[..<colon]
        }
        var parts = rest.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        // A first component with a dot or a port, or `localhost`, is a registry host (docker's rule).
        if parts.count > 1, let first = parts.first, first.contains(".") || first.contains(":") || first == "localhost" {
            registry = first
            parts.removeFirst()
        } else {
            registry = nil
        }
        repository = parts.joined(separator: "/")
        guard (try? RepositoryName(repository)) != nil else {
            throw Invalid(description: "\(text): a model name is [registry/]namespace/name[:tag|@sha256:...]")
        }
        if let tag, tag.range(of: #"^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$"#, options: .regularExpression) == nil {
            throw Invalid(description: "\(text): tag \(tag) is not [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}")
        }
        self.tag = tag
        self.digest = digest
    }
}
