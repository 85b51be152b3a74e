import Foundation
import PlatformCore

extension RegistryService {
    /// Stores a manifest under `reference` (a tag moves to it; a digest must match the bytes).
    ///
    /// Checked first: the size limit, the OCI structure and media type, that every blob it names
    /// is in the repository with the declared size, and that every manifest an index names is.
    /// The manifest, its references and the tag move (with its history row) commit together.
    ///
    /// - Parameter actor: who pushed, for the tag history (a key name or `anonymous`).
    @discardableResult
    public func putManifest(
        _ repository: RepositoryName, reference: ManifestReference, bytes: [UInt8], contentType: String?, actor: String
    ) async throws -> StoredManifest {
        guard bytes.count <= limits.maxManifestBytes else {
            throw RegistryError(.tooLarge, "manifest of \(bytes.count) bytes exceeds the limit of \(limits.maxManifestBytes) bytes")
        }
        let parsed = try ParsedManifest(bytes: bytes, contentType: contentType)
        let digest = BlobDigest.of(bytes)
        if case .digest(let named) = reference, named != digest {
            throw RegistryError(.digestInvalid, "manifest bytes hash to \(digest), not to \(named) named in the URL", detail: named.description)
        }
        let now = RegistryClock.timestamp()
        let annotations = try parsed.annotations.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        try await database.transaction { tx in
            try await Self.ensureRepository(repository, tx)
            for (blob, size) in parsed.blobs {
                let row = try await tx.queryFirst(
                    """
                    SELECT b.size FROM registry_repository_blobs l JOIN registry_blobs b ON b.digest = l.digest
                    WHERE l.repository = ? AND l.digest = ?
                    """, [.text(repository.value), .text(blob.description)])
                guard let row else {
                    throw RegistryError(
                        .manifestBlobUnknown, "manifest names blob \(blob), which is not in repository \(repository)",
                        detail: blob.description)
                }
                let stored = try row.int64("size")
                guard stored == size else {
                    throw RegistryError(
                        .manifestInvalid, "manifest says blob \(blob) has \(size) bytes; it has \(stored)", detail: blob.description)
                }
            }
            for child in parsed.manifests {
                let row = try await tx.queryFirst(
                    "SELECT digest FROM registry_manifests WHERE repository = ? AND digest = ?",
                    [.text(repository.value), .text(child.description)])
                guard row != nil else {
                    throw RegistryError(
                        .manifestBlobUnknown, "index names manifest \(child), which is not in repository \(repository)",
                        detail: child.description)
                }
            }
            try await tx.execute(
                """
                INSERT INTO registry_manifests
                    (repository, digest, media_type, artifact_type, subject, annotations, size, content, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (repository, digest) DO NOTHING
                """,
                [.text(repository.value), .text(digest.description), .text(parsed.mediaType), SQLValue(parsed.artifactType),
                 SQLValue(parsed.subject?.description), SQLValue(annotations), .integer(Int64(bytes.count)), .blob(bytes), .text(now)])
            for (blob, _) in parsed.blobs {
                try await Self.addReference(repository, manifest: digest, to: blob, kind: "blob", tx)
            }
            for child in parsed.manifests {
                try await Self.addReference(repository, manifest: digest, to: child, kind: "manifest", tx)
            }
            if case .tag(let tag) = reference {
                try await Self.moveTag(repository, tag, to: digest, actor: actor, tx)
            }
        }
        return StoredManifest(digest: digest, mediaType: parsed.mediaType, bytes: bytes, subject: parsed.subject)
    }

    /// The manifest `reference` names in `repository`.
    /// - Throws: ``RegistryError`` `MANIFEST_UNKNOWN` (or `NAME_UNKNOWN` for an unknown repository).
    public func manifest(_ repository: RepositoryName, reference: ManifestReference) async throws -> StoredManifest {
        let digest = try await resolve(repository, reference)
        let row = try await database.queryFirst(
            "SELECT media_type, subject, content FROM registry_manifests WHERE repository = ? AND digest = ?",
            [.text(repository.value), .text(digest.description)])
        guard let row else {
            throw RegistryError(.manifestUnknown, "manifest \(reference) is not in repository \(repository)", detail: reference.description)
        }
        let subject: String? = try row.decode("subject")
        return StoredManifest(
            digest: digest, mediaType: try row.string("media_type"), bytes: try row.bytes("content"),
            subject: try subject.map { try BlobDigest(parsing: $0) })
    }

    /// Deletes a tag (the manifest stays), or a manifest by digest together with every tag
    /// pointing at it (each tag deletion recorded in the history).
    public func deleteManifest(_ repository: RepositoryName, reference: ManifestReference, actor: String) async throws {
        try await database.transaction { tx in
            switch reference {
            case .tag(let tag):
                let row = try await tx.queryFirst(
                    "SELECT digest FROM registry_tags WHERE repository = ? AND tag = ?", [.text(repository.value), .text(tag)])
                guard row != nil else {
                    throw RegistryError(.manifestUnknown, "tag \(tag) is not in repository \(repository)", detail: tag)
                }
                try await Self.moveTag(repository, tag, to: nil, actor: actor, tx)
            case .digest(let digest):
                let removed = try await tx.execute(
                    "DELETE FROM registry_manifests WHERE repository = ? AND digest = ?",
                    [.text(repository.value), .text(digest.description)])
                guard removed > 0 else {
                    throw RegistryError(
                        .manifestUnknown, "manifest \(digest) is not in repository \(repository)", detail: digest.description)
                }
                try await tx.execute(
                    "DELETE FROM registry_manifest_references WHERE repository = ? AND manifest = ?",
                    [.text(repository.value), .text(digest.description)])
                let tags = try await tx.query(
                    "SELECT tag FROM registry_tags WHERE repository = ? AND digest = ? ORDER BY tag",
                    [.text(repository.value), .text(digest.description)])
                for row in tags {
                    try await Self.moveTag(repository, try row.string("tag"), to: nil, actor: actor, tx)
                }
            }
        }
    }

    /// Tags of `repository` in lexical order, at most `limit`, after `last` when given.
    /// - Throws: ``RegistryError`` `NAME_UNKNOWN` for a repository never pushed to.
    public func tags(_ repository: RepositoryName, limit: Int? = nil, after last: String? = nil) async throws -> [String] {
        try await requireRepository(repository)
        var sql = "SELECT tag FROM registry_tags WHERE repository = ?"
        var arguments: [SQLValue] = [.text(repository.value)]
        if let last {
            sql += " AND tag > ?"
            arguments.append(.text(last))
        }
        sql += " ORDER BY tag"
        if let limit {
            sql += " LIMIT ?"
            arguments.append(.integer(Int64(max(limit, 0))))
        }
        return try await database.query(sql, arguments).map { try $0.string("tag") }
    }

    /// Repositories holding at least one manifest, in lexical order, that `isVisible` admits.
    public func catalog(
        limit: Int? = nil, after last: String? = nil, isVisible: (RepositoryName) -> Bool = { _ in true }
    ) async throws -> [String] {
        var sql = "SELECT DISTINCT repository FROM registry_manifests"
        var arguments: [SQLValue] = []
        if let last {
            sql += " WHERE repository > ?"
            arguments.append(.text(last))
        }
        sql += " ORDER BY repository"
        var names: [String] = []
        for row in try await database.query(sql, arguments) {
            let name = try row.string("repository")
            guard let repository = try? RepositoryName(name), isVisible(repository) else { continue }
            names.append(name)
            if let limit, names.count >= limit { break }
        }
        return names
    }

    /// The manifests of `repository` whose `subject` is `digest` (signatures, reports, proofs
    /// attached to it), optionally only those of `artifactType`, as index entries.
    public func referrers(_ repository: RepositoryName, subject digest: BlobDigest, artifactType: String? = nil) async throws
        -> [OCIDescriptor]
    {
        var sql = """
            SELECT digest, media_type, artifact_type, annotations, size FROM registry_manifests
            WHERE repository = ? AND subject = ?
            """
        var arguments: [SQLValue] = [.text(repository.value), .text(digest.description)]
        if let artifactType {
            sql += " AND artifact_type = ?"
            arguments.append(.text(artifactType))
        }
        sql += " ORDER BY created_at, digest"
        return try await database.query(sql, arguments).map { row in
            let annotations: String? = try row.decode("annotations")
            return OCIDescriptor(
                mediaType: try row.string("media_type"), digest: try row.string("digest"), size: try row.int64("size"),
                artifactType: try row.decode("artifact_type"),
                annotations: try annotations.map { try JSONDecoder().decode([String: String].self, from: Data($0.utf8)) })
        }
    }

    /// Every move of `tag` (or of every tag) in `repository`, oldest first.
    public func tagHistory(_ repository: RepositoryName, tag: String? = nil) async throws -> [TagMove] {
        var sql = "SELECT repository, tag, from_digest, to_digest, actor, at FROM registry_tag_history WHERE repository = ?"
        var arguments: [SQLValue] = [.text(repository.value)]
        if let tag {
            sql += " AND tag = ?"
            arguments.append(.text(tag))
        }
        sql += " ORDER BY id"
        return try await database.query(sql, arguments).map { row in
            let from: String? = try row.decode("from_digest")
            let to: String? = try row.decode("to_digest")
            return TagMove(
                repository: try row.string("repository"), tag: try row.string("tag"),
                from: try from.map { try BlobDigest(parsing: $0) }, to: try to.map { try BlobDigest(parsing: $0) },
                actor: try row.string("actor"), at: try row.string("at"))
        }
    }

    // MARK: Internals

    private func resolve(_ repository: RepositoryName, _ reference: ManifestReference) async throws -> BlobDigest {
        switch reference {
        case .digest(let digest):
            return digest
        case .tag(let tag):
            let row = try await database.queryFirst(
                "SELECT digest FROM registry_tags WHERE repository = ? AND tag = ?", [.text(repository.value), .text(tag)])
            guard let row else {
                try await requireRepository(repository)
                throw RegistryError(.manifestUnknown, "tag \(tag) is not in repository \(repository)", detail: tag)
            }
            return try BlobDigest(parsing: try row.string("digest"))
        }
    }

    func requireRepository(_ repository: RepositoryName) async throws {
        let row = try await database.queryFirst(
            "SELECT name FROM registry_repositories WHERE name = ?", [.text(repository.value)])
        guard row != nil else {
            throw RegistryError(.nameUnknown, "repository \(repository) does not exist", detail: repository.value)
        }
    }

    private static func addReference(
        _ repository: RepositoryName, manifest: BlobDigest, to digest: BlobDigest, kind: String, _ tx: some SQLExecutor
    ) async throws {
        try await tx.execute(
            """
            INSERT INTO registry_manifest_references (repository, manifest, digest, kind) VALUES (?, ?, ?, ?)
            ON CONFLICT (repository, manifest, kind, digest) DO NOTHING
            """, [.text(repository.value), .text(manifest.description), .text(digest.description), .text(kind)])
    }

    /// Points `tag` at `digest` (nil deletes it) and appends the move to the history, unless the
    /// tag already points there.
    private static func moveTag(
        _ repository: RepositoryName, _ tag: String, to digest: BlobDigest?, actor: String, _ tx: some SQLExecutor
    ) async throws {
        let current = try await tx.queryFirst(
            "SELECT digest FROM registry_tags WHERE repository = ? AND tag = ?", [.text(repository.value), .text(tag)])
        let from: String? = try current?.string("digest")
        guard from != digest?.description else { return }
        let now = RegistryClock.timestamp()
        if let digest {
            try await tx.execute(
                """
                INSERT INTO registry_tags (repository, tag, digest, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (repository, tag) DO UPDATE SET digest = excluded.digest, updated_at = excluded.updated_at
                """, [.text(repository.value), .text(tag), .text(digest.description), .text(now)])
        } else {
            try await tx.execute(
                "DELETE FROM registry_tags WHERE repository = ? AND tag = ?", [.text(repository.value), .text(tag)])
        }
        try await tx.execute(
            "INSERT INTO registry_tag_history (repository, tag, from_digest, to_digest, actor, at) VALUES (?, ?, ?, ?, ?, ?)",
            [.text(repository.value), .text(tag), SQLValue(from), SQLValue(digest?.description), .text(actor), .text(now)])
    }
}
