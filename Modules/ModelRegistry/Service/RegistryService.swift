import Foundation
import Logging
import PlatformCore

/// The OCI registry's logic, independent of HTTP: repositories, blobs and resumable uploads,
/// manifests with tags (and their history), referrers, catalog, garbage collection and access
/// control. Metadata lives in an ``SQLDatabase``, bytes in a ``BlobStore``.
///
/// Blobs are stored once (dedup across repositories) and linked to each repository that pushed
/// or mounted them; a repository serves only blobs linked to it.
///
/// Safe to share between requests: state is in the database and the store.
public final class RegistryService: Sendable {
    public let database: any SQLDatabase
    public let blobs: any BlobStore
    public let limits: RegistryLimits
    public let keys: APIKeyStore
    /// Repositories anyone may pull from without a key.
    public let anonymousPull: [RepositoryPattern]
    /// Signs and checks the bearer tokens of the token flow.
    public let tokens: RegistryTokenIssuer
    public let logger: Logger
    let commitLock = RegistryCommitLock()

    /// `tokens` defaults to an issuer whose secret lives only in memory (tokens die with the
    /// process); `aiplat serve` passes one with the secret from its data directory.
    public init(
        database: any SQLDatabase, blobs: any BlobStore, limits: RegistryLimits = RegistryLimits(),
        anonymousPull: [RepositoryPattern] = [], tokens: RegistryTokenIssuer = .ephemeral(), logger: Logger
    ) {
        self.database = database
        self.blobs = blobs
        self.limits = limits
        self.keys = APIKeyStore(database: database)
        self.anonymousPull = anonymousPull
        self.tokens = tokens
        self.logger = logger
    }

    /// Applies the registry's migrations (``RegistrySchema``); idempotent.
    public static func migrate(_ database: any SQLDatabase, logger: Logger) async throws {
        try await database.migrate(RegistrySchema.migrations, logger: logger)
    }

    // MARK: Access

    /// The principal a bearer credential stands for: a token from ``issueToken(key:scopes:)``
    /// (its grants, while its key is valid and still holds them) or an API key.
    /// - Throws: ``RegistryError`` `UNAUTHORIZED` for an unknown or revoked key, or a forged,
    ///   expired or orphaned token.
    public func authenticate(credential: String) async throws -> RegistryPrincipal {
        if credential.hasPrefix(RegistryTokenIssuer.prefix) {
            let claims = try tokens.verify(credential)
            guard let key = try await keys.principal(named: claims.sub, keyID: claims.kid) else {
                throw RegistryError(.unauthorized, "the token's API key \"\(claims.sub)\" was revoked")
            }
            return RegistryTokenIssuer.principal(claims, key: key)
        }
        guard let principal = try await keys.authenticate(key: credential) else {
            throw RegistryError(.unauthorized, "the API key is unknown or revoked")
        }
        return principal
    }

    /// The token flow: a short-lived token for the API key `key` granting the requested `scopes`
    /// (`repository:NAME:pull,push`, `registry:catalog:*`) the key holds, and nothing else.
    /// - Throws: ``RegistryError`` `UNAUTHORIZED` for an unknown or revoked key.
    public func issueToken(key: String, scopes: [String]) async throws -> RegistryTokenIssuer.Issued {
        guard let principal = try await keys.authenticate(key: key) else {
            throw RegistryError(.unauthorized, "the API key is unknown or revoked")
        }
        return tokens.issue(for: principal, keyHash: APIKeyStore.hash(key), requested: scopes)
    }

    /// Checks that `principal` (nil: no credentials) may do `action` on `repository`.
    /// - Throws: ``RegistryError`` `UNAUTHORIZED` without credentials, `DENIED` when the key's
    ///   scopes do not cover it.
    public func authorize(_ principal: RegistryPrincipal?, _ action: RegistryAction, on repository: RepositoryName) throws {
        // Anything anonymous callers may do, every key may do too.
        if action == .pull, anonymousPull.contains(where: { $0.matches(repository) }) { return }
        if let principal {
            guard principal.permits(action, on: repository) else {
                throw RegistryError(
                    .denied, "key \"\(principal.name)\" may not \(action) \(repository)", detail: repository.value)
            }
            return
        }
        throw RegistryError(.unauthorized, "authentication required to \(action) \(repository)", detail: repository.value)
    }

    /// Whether `principal` may pull `repository` (what the catalog shows it).
    public func canPull(_ principal: RegistryPrincipal?, _ repository: RepositoryName) -> Bool {
        (try? authorize(principal, .pull, on: repository)) != nil
    }

    // MARK: Blobs

    /// The size of `digest` in `repository`.
    /// - Throws: ``RegistryError`` `BLOB_UNKNOWN` when the repository has no such blob.
    public func blobSize(_ repository: RepositoryName, _ digest: BlobDigest) async throws -> Int64 {
        let row = try await database.queryFirst(
            """
            SELECT b.size FROM registry_repository_blobs l JOIN registry_blobs b ON b.digest = l.digest
            WHERE l.repository = ? AND l.digest = ?
            """, [.text(repository.value), .text(digest.description)])
        guard let row else {
            throw RegistryError(.blobUnknown, "blob \(digest) is not in repository \(repository)", detail: digest.description)
        }
        return try row.int64("size")
    }

    /// A reader over `range` (whole blob when nil) of `digest` in `repository`.
    public func openBlob(_ repository: RepositoryName, _ digest: BlobDigest, range: Range<Int64>?) async throws -> any BlobReader {
        _ = try await blobSize(repository, digest)
        do {
            return try await blobs.reader(for: digest, range: range)
        } catch let error as BlobStoreError {
            throw Self.translate(error, digest: digest)
        }
    }

    /// Links an existing blob of `source` into `repository` (cross-repository mount).
    /// - Returns: false when `source` has no such blob (the client then uploads it).
    public func mountBlob(_ repository: RepositoryName, _ digest: BlobDigest, from source: RepositoryName) async throws -> Bool {
        guard (try? await blobSize(source, digest)) != nil, try await blobs.exists(digest) else { return false }
        try await database.transaction { tx in
            try await Self.ensureRepository(repository, tx)
            try await Self.link(repository, digest, tx)
        }
        return true
    }

    /// Removes `digest` from `repository`; its bytes go at the next garbage collection if no
    /// other repository links them.
    public func unlinkBlob(_ repository: RepositoryName, _ digest: BlobDigest) async throws {
        let removed = try await database.execute(
            "DELETE FROM registry_repository_blobs WHERE repository = ? AND digest = ?",
            [.text(repository.value), .text(digest.description)])
        guard removed > 0 else {
            throw RegistryError(.blobUnknown, "blob \(digest) is not in repository \(repository)", detail: digest.description)
        }
    }

    // MARK: Uploads

    /// Starts an upload session in `repository`.
    public func startUpload(_ repository: RepositoryName) async throws -> UploadStatus {
        let id = UUID().uuidString.lowercased()
        let now = RegistryClock.timestamp()
        try await database.transaction { tx in
            try await Self.ensureRepository(repository, tx)
            try await tx.execute(
                "INSERT INTO registry_uploads (id, repository, created_at, updated_at) VALUES (?, ?, ?, ?)",
                [.text(id), .text(repository.value), .text(now), .text(now)])
        }
        try await blobs.createUpload(id: id)
        return UploadStatus(id: id, repository: repository, size: 0)
    }

    /// How many bytes upload `id` of `repository` holds.
    /// - Throws: ``RegistryError`` `BLOB_UPLOAD_UNKNOWN`.
    public func uploadStatus(_ repository: RepositoryName, id: String) async throws -> UploadStatus {
        try await requireUpload(repository, id: id)
        guard let size = try await blobs.uploadSize(id: id) else {
            throw RegistryError(.blobUploadUnknown, "upload \(id) has no data (it may have expired)", detail: id)
        }
        return UploadStatus(id: id, repository: repository, size: size)
    }

    /// Appends a chunk to upload `id`. `offset`, when the client says where the chunk starts,
    /// must be where the upload's bytes end.
    /// - Throws: ``RegistryError`` `BLOB_UPLOAD_UNKNOWN`, `RANGE_INVALID`, `SIZE_INVALID_TOO_LARGE`.
    public func appendToUpload<Chunks: AsyncSequence & Sendable>(
        _ repository: RepositoryName, id: String, _ chunks: Chunks, offset: Int64?
    ) async throws -> UploadStatus where Chunks.Element: ContiguousBytesSequence {
        try await requireUpload(repository, id: id)
        let size: Int64
        do {
            size = try await blobs.appendUpload(id: id, chunks, offset: offset, maxBytes: limits.maxBlobBytes)
        } catch let error as BlobStoreError {
            throw Self.translate(error, upload: id)
        }
        try await database.execute(
            "UPDATE registry_uploads SET updated_at = ? WHERE id = ?", [.text(RegistryClock.timestamp()), .text(id)])
        return UploadStatus(id: id, repository: repository, size: size)
    }

    /// Finishes upload `id` as blob `digest`, after appending `finalChunks` (the body of the
    /// closing `PUT`). The bytes must hash to `digest`; otherwise the upload is discarded.
    @discardableResult
    public func finishUpload<Chunks: AsyncSequence & Sendable>(
        _ repository: RepositoryName, id: String, digest: BlobDigest, finalChunks: Chunks
    ) async throws -> BlobInfo where Chunks.Element: ContiguousBytesSequence {
        _ = try await appendToUpload(repository, id: id, finalChunks, offset: nil)
        let blobs = self.blobs
        let database = self.database
        do {
            return try await commitLock.withLock {
                let info = try await blobs.commitUpload(id: id, expected: digest)
                try await database.transaction { tx in
                    try await tx.execute(
                        "INSERT INTO registry_blobs (digest, size, created_at) VALUES (?, ?, ?) ON CONFLICT (digest) DO NOTHING",
                        [.text(digest.description), .integer(info.size), .text(RegistryClock.timestamp())])
                    try await Self.link(repository, digest, tx)
                    try await tx.execute("DELETE FROM registry_uploads WHERE id = ?", [.text(id)])
                }
                return info
            }
        } catch let error as BlobStoreError {
            if error.code == .digestMismatch {
                // The store discarded the bytes; the session goes with them.
                _ = try? await database.execute("DELETE FROM registry_uploads WHERE id = ?", [.text(id)])
            }
            throw Self.translate(error, digest: digest, upload: id)
        }
    }

    /// Stores a whole blob in one request (monolithic upload), through a short-lived session so
    /// it is verified, committed and protected from GC exactly like a chunked one.
    @discardableResult
    public func pushBlob<Chunks: AsyncSequence & Sendable>(
        _ repository: RepositoryName, digest: BlobDigest, _ chunks: Chunks
    ) async throws -> BlobInfo where Chunks.Element: ContiguousBytesSequence {
        let upload = try await startUpload(repository)
        do {
            return try await finishUpload(repository, id: upload.id, digest: digest, finalChunks: chunks)
        } catch {
            try? await cancelUpload(repository, id: upload.id)
            throw error
        }
    }

    /// Abandons upload `id` and removes its bytes.
    public func cancelUpload(_ repository: RepositoryName, id: String) async throws {
        try await requireUpload(repository, id: id)
        try await database.execute("DELETE FROM registry_uploads WHERE id = ?", [.text(id)])
        _ = try? await blobs.deleteUpload(id: id)
    }

    private func requireUpload(_ repository: RepositoryName, id: String) async throws {
        let row = try await database.queryFirst(
            "SELECT id FROM registry_uploads WHERE id = ? AND repository = ?", [.text(id), .text(repository.value)])
        guard row != nil else {
            throw RegistryError(.blobUploadUnknown, "no upload \(id.prefix(80)) in repository \(repository)", detail: String(id.prefix(200)))
        }
    }

    // MARK: Helpers shared by the extensions

    static func ensureRepository(_ repository: RepositoryName, _ executor: some SQLExecutor) async throws {
        try await executor.execute(
            "INSERT INTO registry_repositories (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
            [.text(repository.value), .text(RegistryClock.timestamp())])
    }

    static func link(_ repository: RepositoryName, _ digest: BlobDigest, _ executor: some SQLExecutor) async throws {
        try await executor.execute(
            """
            INSERT INTO registry_repository_blobs (repository, digest, linked_at) VALUES (?, ?, ?)
            ON CONFLICT (repository, digest) DO UPDATE SET linked_at = excluded.linked_at
            """, [.text(repository.value), .text(digest.description), .text(RegistryClock.timestamp())])
    }

    /// The registry error (OCI code) for a blob-store failure; `.io` and unknown codes stay as they are.
    public static func translate(_ error: BlobStoreError, digest: BlobDigest? = nil, upload: String? = nil) -> any Error {
        switch error.code {
        case .digestMismatch: RegistryError(.digestInvalid, error.message, detail: digest?.description)
        case .tooLarge: RegistryError(.tooLarge, error.message)
        case .invalidUpload, .rangeNotSatisfiable: RegistryError(.rangeInvalid, error.message, detail: upload)
        case .uploadBusy: RegistryError(.blobUploadInvalid, error.message, detail: upload)
        case .notFound:
            upload != nil
                ? RegistryError(.blobUploadUnknown, error.message, detail: upload)
                : RegistryError(.blobUnknown, error.message, detail: digest?.description)
        default: error
        }
    }
}
