import Logging

extension SQLDatabase {
    /// The table recording applied migrations: `id TEXT PRIMARY KEY, applied_at TEXT NOT NULL`.
    public static var migrationsTable: String { "aiplat_migrations" }

    /// Applies, in list order, every migration of `migrations` not yet recorded, each in its own
    /// transaction together with its record, so a failed migration leaves nothing behind and a
    /// re-run continues from it. Running the same list again is a no-op.
    ///
    /// Modules call this independently with their own lists; ids of other modules already in the
    /// table are left alone.
    ///
    /// - Returns: the ids applied by this call.
    /// - Throws: ``SQLDatabaseError`` `.migrationFailed` naming the migration (and statement) that
    ///   failed, with the driver's message; or for an invalid or duplicate id, before anything runs.
    @discardableResult
    public func migrate(
        _ migrations: [SQLMigration], logger: Logger = Logger(label: "aiplat.database", factory: { _ in SwiftLogNoOpLogHandler() })
    ) async throws -> [String] {
        var seen = Set<String>()
        for migration in migrations {
            if let problem = migration.idProblem {
                throw SQLDatabaseError(.migrationFailed, problem)
            }
            guard seen.insert(migration.id).inserted else {
                throw SQLDatabaseError(.migrationFailed, "migration id \"\(migration.id)\" appears twice in the list")
            }
            guard migration.sql[dialect] != nil else {
                throw SQLDatabaseError(.migrationFailed, "migration \"\(migration.id)\" has no SQL for \(dialect)")
            }
        }

        try await execute(
            "CREATE TABLE IF NOT EXISTS \(Self.migrationsTable) (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")

        var applied: [String] = []
        for migration in migrations {
            let statements = migration.sql[dialect] ?? []
            let ran = try await transaction { tx in
                // Checked inside the transaction: another process may have applied it meanwhile.
                let done = try await tx.queryFirst(
                    "SELECT id FROM \(Self.migrationsTable) WHERE id = ?", [.text(migration.id)])
                if done != nil { return false }
                for (index, statement) in statements.enumerated() {
                    do {
                        try await tx.execute(statement, [])
                    } catch let error as SQLDatabaseError {
                        throw SQLDatabaseError(
                            .migrationFailed,
                            "migration \"\(migration.id)\" failed at statement \(index + 1) of \(statements.count): \(error.message)",
                            underlyingMessage: error.underlyingMessage, sql: statement, cause: error)
                    }
                }
                try await tx.execute(
                    "INSERT INTO \(Self.migrationsTable) (id, applied_at) VALUES (?, ?)",
                    [.text(migration.id), .text(LogTimestamp.now())])
                return true
            }
            if ran {
                applied.append(migration.id)
                logger.info("applied migration", metadata: ["migration": "\(migration.id)"])
            }
        }
        return applied
    }

    /// The ids of every applied migration (of every module), in the order they were applied.
    public func appliedMigrations() async throws -> [String] {
        try await execute(
            "CREATE TABLE IF NOT EXISTS \(Self.migrationsTable) (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        return try await query("SELECT id FROM \(Self.migrationsTable) ORDER BY applied_at, id").map {
            try $0.string("id")
        }
    }
}
