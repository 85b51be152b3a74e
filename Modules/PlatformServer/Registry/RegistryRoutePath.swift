import ModelRegistry
import PlatformCore

/// Where a `/v2/...` URL points, parsed from its path components (repository names contain
/// slashes, so the route is matched from the end, as the distribution spec does).
enum RegistryRoutePath: Equatable {
    case catalog
    case token
    case uploads(RepositoryName)
    case upload(RepositoryName, id: String)
    case blob(RepositoryName, BlobDigest)
    case manifest(RepositoryName, ManifestReference)
    case tags(RepositoryName)
    case referrers(RepositoryName, BlobDigest)

    /// - Parameter components: the path after `/v2/`.
    /// - Throws: ``RegistryError`` `NAME_INVALID`, `DIGEST_INVALID`, or `UNSUPPORTED` for a path
    ///   that is no registry endpoint.
    init(components: [Substring]) throws {
        let parts = components.map(String.init)
        let count = parts.count
        func name(dropping last: Int) throws -> RepositoryName {
            try RepositoryName(parts.dropLast(last).joined(separator: "/"))
        }
        func digest(_ text: String) throws -> BlobDigest {
            do {
                return try BlobDigest(parsing: text)
            } catch {
                throw RegistryError(.digestInvalid, "\(error)", detail: String(text.prefix(300)))
            }
        }
        if parts == ["_catalog"] {
            self = .catalog
        } else if parts == ["token"] {
            self = .token
        } else if count >= 3, parts[count - 2] == "blobs", parts[count - 1] == "uploads" {
            self = .uploads(try name(dropping: 2))
        } else if count >= 4, parts[count - 3] == "blobs", parts[count - 2] == "uploads" {
            self = .upload(try name(dropping: 3), id: parts[count - 1])
        } else if count >= 3, parts[count - 2] == "blobs" {
            self = .blob(try name(dropping: 2), try digest(parts[count - 1]))
        } else if count >= 3, parts[count - 2] == "manifests" {
            self = .manifest(try name(dropping: 2), try ManifestReference(parts[count - 1]))
        } else if count >= 3, parts[count - 2] == "tags", parts[count - 1] == "list" {
            self = .tags(try name(dropping: 2))
        } else if count >= 3, parts[count - 2] == "referrers" {
            self = .referrers(try name(dropping: 2), try digest(parts[count - 1]))
        } else {
            throw RegistryError(.unsupported, "no registry endpoint at /v2/\(parts.joined(separator: "/").prefix(200))")
        }
    }
}
