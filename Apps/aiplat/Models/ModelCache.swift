import Foundation
import ModelRegistry
import PlatformCore

/// The local content-addressed cache under `<data-dir>/models`: verified blobs (manifests and
/// layers) at `blobs/sha256/<hex>`, partial downloads at `partial/<hex>`, the digest a tag last
/// resolved to at `refs/<registry>/<repository>/<tag>`, and open upload sessions at `uploads/`.
struct ModelCache {
    let root: String

    static func join(_ base: String, _ path: String) -> String { (base as NSString).appendingPathComponent(path) }

    init(root: String) throws {
        self.root = root
        for sub in ["blobs/sha256", "partial", "refs", "uploads"] {
            try FileManager.default.createDirectory(atPath: ModelCache.join(root, sub), withIntermediateDirectories: true)
        }
    }

    func blob(_ digest: BlobDigest) -> URL { URL(fileURLWithPath: ModelCache.join(root, "blobs/sha256/\(digest.hex)")) }
    func partial(_ digest: BlobDigest) -> URL { URL(fileURLWithPath: ModelCache.join(root, "partial/\(digest.hex)")) }
    func has(_ digest: BlobDigest) -> Bool { FileManager.default.fileExists(atPath: blob(digest).path) }

    /// Moves a verified download into the cache.
    func commit(_ digest: BlobDigest) throws {
        if has(digest) {
            try? FileManager.default.removeItem(at: partial(digest))
        } else {
            try FileManager.default.moveItem(at: partial(digest), to: blob(digest))
        }
    }

    func store(_ bytes: Data, digest: BlobDigest) throws {
        guard !has(digest) else { return }
        try bytes.write(to: blob(digest), options: .atomic)
    }

    static func safe(_ text: String) -> String {
        text.replacingOccurrences(of: "://", with: "_").replacingOccurrences(of: ":", with: "_").replacingOccurrences(of: "/", with: "_")
    }

    func refFile(registry: String, repository: String, tag: String) -> String {
        ModelCache.join(root, "refs/\(Self.safe(registry))/\(repository)/\(tag)")
    }

    func recordTag(registry: String, repository: String, tag: String, digest: BlobDigest) throws {
        let path = refFile(registry: registry, repository: repository, tag: tag)
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(digest.description.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    func cachedTag(registry: String, repository: String, tag: String) -> BlobDigest? {
        FileManager.default.contents(atPath: refFile(registry: registry, repository: repository, tag: tag))
            .flatMap { try? BlobDigest(parsing: String(decoding: $0, as: UTF8.self)) }
    }

    /// Where an interrupted upload of `digest` to `repository` on `registry` is remembered.
    func uploadState(registry: String, repository: String, digest: BlobDigest) -> URL {
        let key = BlobDigest.of(Array("\(registry)|\(repository)|\(digest)".utf8)).hex
        return URL(fileURLWithPath: ModelCache.join(root, "uploads/\(key).json"))
    }
}
