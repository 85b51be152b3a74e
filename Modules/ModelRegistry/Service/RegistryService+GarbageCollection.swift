import Foundation
import Logging
import PlatformCore

extension RegistryService {
    /// Mark and sweep: deletes blobs no manifest references, never one an in-flight push may
    /// still reference.
    ///
    /// A repository's link to a blob survives when a manifest of that repository references the
    /// blob, when the repository has an open upload session (a push in progress uploads its
    /// layers before its manifest), or when the link is younger than `gracePeriod`. A blob whose
    /// links are all gone is deleted from the store, as is any stored blob the database does not
    /// know. Upload sessions idle for longer than `uploadExpiry` are removed first.
    ///
    /// Runs under the commit lock, so no upload can make a blob visible between the mark and the sweep.
    ///
    /// - Parameter dryRun: report what would go, change nothing.
    public func garbageCollect(
        gracePeriod: TimeInterval = 3600, uploadExpiry: TimeInterval = 86400, now: Date = Date(), dryRun: Bool = false
    ) async throws -> GarbageCollectionReport {
        let database = self.database
        let blobs = self.blobs
        let logger = self.logger
        let graceCutoff = RegistryClock.timestamp(now.addingTimeInterval(-gracePeriod))
        let uploadCutoff = RegistryClock.timestamp(now.addingTimeInterval(-uploadExpiry))
        return try await commitLock.withLock {
            var report = GarbageCollectionReport()
            let (deadBlobs, expired) = try await database.transaction { tx -> ([(BlobDigest, Int64)], [String]) in
                let expired = try await tx.query(
                    "SELECT id FROM registry_uploads WHERE updated_at < ? ORDER BY id", [.text(uploadCutoff)]
                ).map { try $0.string("id") }
                if !dryRun {
                    try await tx.execute("DELETE FROM registry_uploads WHERE updated_at < ?", [.text(uploadCutoff)])
                }
                let deadLinks = try await tx.query(
                    """
                    SELECT l.repository, l.digest FROM registry_repository_blobs l
                    WHERE l.linked_at < ?
                      AND NOT EXISTS (SELECT 1 FROM registry_manifest_references r
                                      WHERE r.repository = l.repository AND r.digest = l.digest AND r.kind = 'blob')
                      AND NOT EXISTS (SELECT 1 FROM registry_uploads u
                                      WHERE u.repository = l.repository AND u.updated_at >= ?)
                    """, [.text(graceCutoff), .text(uploadCutoff)])
                report.unlinked = deadLinks.count
                if !dryRun {
                    for row in deadLinks {
                        try await tx.execute(
                            "DELETE FROM registry_repository_blobs WHERE repository = ? AND digest = ?",
                            [.text(try row.string("repository")), .text(try row.string("digest"))])
                    }
                }
                let deadLinkSet = Set(try deadLinks.map { "\(try $0.string("repository")) \(try $0.string("digest"))" })
                var dead: [(BlobDigest, Int64)] = []
                for row in try await tx.query("SELECT digest, size FROM registry_blobs ORDER BY digest") {
                    let digest = try row.string("digest")
                    let links = try await tx.query(
                        "SELECT repository FROM registry_repository_blobs WHERE digest = ?", [.text(digest)])
                    let remaining = try links.filter { !deadLinkSet.contains("\(try $0.string("repository")) \(digest)") }
                    guard remaining.isEmpty else { continue }
                    dead.append((try BlobDigest(parsing: digest), try row.int64("size")))
                    if !dryRun {
                        try await tx.execute("DELETE FROM registry_blobs WHERE digest = ?", [.text(digest)])
                    }
                }
                return (dead, expired)
            }
            report.expiredUploads = expired
            let known = Set(try await database.query("SELECT digest FROM registry_blobs").map { try $0.string("digest") })
            var toDelete = Dictionary(deadBlobs.map { ($0.0, $0.1) }, uniquingKeysWith: { first, _ in first })
            for digest in try await blobs.digests() where !known.contains(digest.description) && toDelete[digest] == nil {
                // A file the database does not know: left by a crash between rename and insert.
                toDelete[digest] = try await blobs.size(of: digest) ?? 0
            }
            for (digest, size) in toDelete.sorted(by: { $0.key < $1.key }) {
                report.deletedBlobs.append(digest)
                report.freedBytes += size
                if !dryRun { _ = try await blobs.delete(digest) }
            }
            if !dryRun {
                let liveUploads = Set(try await database.query("SELECT id FROM registry_uploads").map { try $0.string("id") })
                for id in try await blobs.uploadIDs() where !liveUploads.contains(id) {
                    _ = try await blobs.deleteUpload(id: id)
                }
            }
            logger.info(
                "garbage collection", metadata: [
                    "deleted_blobs": "\(report.deletedBlobs.count)", "freed_bytes": "\(report.freedBytes)",
                    "expired_uploads": "\(report.expiredUploads.count)", "dry_run": "\(dryRun)",
                ])
            return report
        }
    }
}
