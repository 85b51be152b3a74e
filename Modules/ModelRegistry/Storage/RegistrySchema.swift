import PlatformCore

/// The registry's tables, as ``SQLMigration``s applied by ``RegistryService/migrate(_:logger:)``.
///
/// - `registry_repositories`: every repository that was pushed to.
/// - `registry_blobs`: blobs committed to the blob store (digest, size).
/// - `registry_repository_blobs`: which repository may serve which blob (pushes and mounts link).
/// - `registry_manifests`: manifest bytes by repository and digest, with media type,
///   artifactType, subject (for referrers) and annotations.
/// - `registry_manifest_references`: the blobs and child manifests each manifest names (GC marks from it).
/// - `registry_tags` and the append-only `registry_tag_history` (who moved which tag from where to where).
/// - `registry_uploads`: upload sessions, so an upload survives a restart.
/// - `registry_api_keys`: API keys, stored as the SHA-256 of the key.
public enum RegistrySchema {
    public static let migrations: [SQLMigration] = [
        SQLMigration(
            id: "registry.0001_create_tables",
            sql: [
                .sqlite: statements(blob: "BLOB", serial: "INTEGER PRIMARY KEY AUTOINCREMENT", append: sqliteAppendOnly),
                .postgres: statements(blob: "BYTEA", serial: "BIGSERIAL PRIMARY KEY", append: postgresAppendOnly),
            ])
    ]

    private static func statements(blob: String, serial: String, append: [String]) -> [String] {
        [
            """
            CREATE TABLE registry_repositories (
                name TEXT PRIMARY KEY,
                created_at TEXT NOT NULL)
            """,
            """
            CREATE TABLE registry_blobs (
                digest TEXT PRIMARY KEY,
                size BIGINT NOT NULL,
                created_at TEXT NOT NULL)
            """,
            """
            CREATE TABLE registry_repository_blobs (
                repository TEXT NOT NULL REFERENCES registry_repositories (name),
                digest TEXT NOT NULL REFERENCES registry_blobs (digest),
                linked_at TEXT NOT NULL,
                PRIMARY KEY (repository, digest))
            """,
            "CREATE INDEX registry_repository_blobs_digest ON registry_repository_blobs (digest)",
            """
            CREATE TABLE registry_manifests (
                repository TEXT NOT NULL REFERENCES registry_repositories (name),
                digest TEXT NOT NULL,
                media_type TEXT NOT NULL,
                artifact_type TEXT,
                subject TEXT,
                annotations TEXT,
                size BIGINT NOT NULL,
                content \(blob) NOT NULL,
                created_at TEXT NOT NULL,
                PRIMARY KEY (repository, digest))
            """,
            "CREATE INDEX registry_manifests_subject ON registry_manifests (repository, subject)",
            """
            CREATE TABLE registry_manifest_references (
                repository TEXT NOT NULL,
                manifest TEXT NOT NULL,
                digest TEXT NOT NULL,
                kind TEXT NOT NULL,
                PRIMARY KEY (repository, manifest, kind, digest))
            """,
            "CREATE INDEX registry_manifest_references_digest ON registry_manifest_references (digest)",
            """
            CREATE TABLE registry_tags (
                repository TEXT NOT NULL REFERENCES registry_repositories (name),
                tag TEXT NOT NULL,
                digest TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                PRIMARY KEY (repository, tag))
            """,
            """
            CREATE TABLE registry_tag_history (
                id \(serial),
                repository TEXT NOT NULL,
                tag TEXT NOT NULL,
                from_digest TEXT,
                to_digest TEXT,
                actor TEXT NOT NULL,
                at TEXT NOT NULL)
            """,
            "CREATE INDEX registry_tag_history_tag ON registry_tag_history (repository, tag)",
            """
            CREATE TABLE registry_uploads (
                id TEXT PRIMARY KEY,
                repository TEXT NOT NULL REFERENCES registry_repositories (name),
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL)
            """,
            """
            CREATE TABLE registry_api_keys (
                name TEXT PRIMARY KEY,
                key_hash TEXT NOT NULL UNIQUE,
                scopes TEXT NOT NULL,
                created_at TEXT NOT NULL,
                revoked_at TEXT)
            """,
        ] + append
    }

    /// Tag history rows can be added, never changed or removed.
    private static let sqliteAppendOnly = [
        """
        CREATE TRIGGER registry_tag_history_no_update BEFORE UPDATE ON registry_tag_history
        BEGIN SELECT RAISE(ABORT, 'registry_tag_history is append-only'); END
        """,
        """
        CREATE TRIGGER registry_tag_history_no_delete BEFORE DELETE ON registry_tag_history
        BEGIN SELECT RAISE(ABORT, 'registry_tag_history is append-only'); END
        """,
    ]

    private static let postgresAppendOnly = [
        """
        CREATE FUNCTION registry_tag_history_append_only() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION 'registry_tag_history is append-only'; END $$ LANGUAGE plpgsql
        """,
        """
        CREATE TRIGGER registry_tag_history_append_only BEFORE UPDATE OR DELETE ON registry_tag_history
        FOR EACH ROW EXECUTE FUNCTION registry_tag_history_append_only()
        """,
    ]
}
