import Foundation
import PlatformCore

/// SHA-256 of a file, read in 4 MiB pieces.
enum FileDigest {
    static func of(_ url: URL) throws -> BlobDigest {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = SHA256Hasher()
        while let chunk = try handle.read(upToCount: 4 << 20), !chunk.isEmpty {
            hasher.update(chunk)
        }
        return BlobDigest(hasher.finalize())
    }
}
