import Foundation
import ModelRegistry
import PlatformCore

#if canImport(Glibc)
import Glibc
#endif

/// The local content-addressed cache under `<data-dir>/models`: verified blobs (manifests and
/// layers) at `blobs/sha256/<hex>`, partial downloads at `partial/<hex>`, the digest a tag last
/// resolved to at `refs/<registry>/<repository>/<tag>`, and open upload sessions at `uploads/`.
///
/// Cached blobs are read-only (0444) and are what a pull links into its output directory: one
/// inode, no second copy of the bytes. A blob that was linked out may have been changed in place
/// through the link (`chmod +w` and an edit), so a blob is re-hashed before it is used again by a
/// later pull (``verifiedBlob(_:)``) and dropped when it no longer matches its digest.
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

    /// Moves a verified download into the cache, read-only.
    func commit(_ digest: BlobDigest) throws {
        if has(digest) {
            try? FileManager.default.removeItem(at: partial(digest))
        } else {
            _ = chmod(partial(digest).path, 0o444)
            try FileManager.default.moveItem(at: partial(digest), to: blob(digest))
        }
    }

    /// Whether the cached blob still hashes to `digest` (one read pass); a blob that does not is
    /// removed, so the next pull fetches it again.
    func verifiedBlob(_ digest: BlobDigest) -> Bool {
        guard has(digest) else { return false }
        if (try? FileDigest.of(blob(digest))) == digest { return true }
        FileHandle.standardError.write(Data("cached \(digest) no longer matches its digest (changed in place?): dropped\n".utf8))
        try? FileManager.default.removeItem(at: blob(digest))
        return false
    }

    /// How ``place(_:at:copy:)`` put a blob into an output directory.
    enum Placement: Equatable {
        case hardLink, copy
    }

    /// Puts the cached blob at `target` (replacing what is there): a hard link to the read-only
    /// cache file when the two are on one file system and `copy` is false, else a writable copy
    /// (`copy_file_range`, which shares extents where the file system can).
    @discardableResult
    func place(_ digest: BlobDigest, at target: URL, copy: Bool) throws -> Placement {
        let source = blob(digest).path
        if unlink(target.path) != 0 && errno != ENOENT {
            throw ModelPackInspector.PackagingError(description: "cannot replace \(target.path): \(String(cString: strerror(errno)))")
        }
        if !copy && link(source, target.path) == 0 { return .hardLink }
        // EXDEV (another file system), EMLINK, EPERM (no hard links here), or asked for a copy.
        try Self.copyFile(source, to: target.path)
        return .copy
    }

    /// Copies `source` to a new file `target` (0644) with `copy_file_range(2)`, falling back to
    /// read/write where the kernel refuses it.
    static func copyFile(_ source: String, to target: String) throws {
        func failure(_ what: String) -> ModelPackInspector.PackagingError {
            ModelPackInspector.PackagingError(description: "\(what): \(String(cString: strerror(errno)))")
        }
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw failure("cannot open \(source)") }
        defer { close(input) }
        let output = open(target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard output >= 0 else { throw failure("cannot create \(target)") }
        defer { close(output) }
        while let copyFileRange = LinuxFileCalls.copyFileRange {
            let copied = copyFileRange(input, nil, output, nil, 1 << 30, 0)
            if copied > 0 { continue }
            if copied == 0 { return }
            if errno == EINTR { continue }
            break
        }
        // No copy_file_range for this pair: plain reads and writes from where it stopped.
        var buffer = [UInt8](repeating: 0, count: 4 << 20)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if count == 0 { return }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure("cannot read \(source)")
            }
            var done = 0
            while done < count {
                let written = buffer.withUnsafeBytes { write(output, $0.baseAddress! + done, count - done) }
                if written < 0 {
                    if errno == EINTR { continue }
                    throw failure("cannot write \(target)")
                }
                done += written
            }
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
