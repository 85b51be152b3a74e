/// The database seam every module stores its state through: SQLite (``SQLiteDatabase``, the
/// embedded default) now, PostgreSQL (PostgresNIO) later, behind the same calls.
///
/// Implementations are safe to share between tasks. Statements run through ``SQLExecutor``;
/// multi-statement units run in ``transaction(_:isolation:)``; schemas evolve through
/// ``migrate(_:logger:)``.
///
/// A shared conformance suite (`Tests/PlatformCoreTests/Database/SQLDatabaseConformance.swift`)
/// runs the same checks against every implementation.
public protocol SQLDatabase: SQLExecutor {
    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws (or
    /// when the task is cancelled), the error rethrown. Transactions are serialisable with respect
    /// to each other (SQLite: one writer at a time, `BEGIN IMMEDIATE`).
    ///
    /// Inside `body`, use only the handle passed in: calling the database itself from inside its
    /// own transaction throws ``SQLDatabaseError/Code/misuse`` instead of deadlocking.
    /// `body` runs on the caller's actor (`isolation`), so it may touch actor state.
    ///
    /// Call it as `try await db.transaction { tx in ... }` (the extension supplies `isolation`).
    @discardableResult
    func transaction<Result>(
        isolation: isolated (any Actor)?,
        _ body: (any SQLTransaction) async throws -> Result
    ) async throws -> Result

    /// Closes the database after any running transaction; later calls throw.
    func close() async throws
}

extension SQLDatabase {
    /// Runs `body` in one transaction; see ``transaction(isolation:_:)``.
    ///
    /// ```swift
    /// let id = try await db.transaction { tx in
    ///     let row = try await tx.queryOne("INSERT INTO jobs (state) VALUES (?) RETURNING id", ["queued"])
    ///     try await tx.execute("INSERT INTO job_events (job_id, kind) VALUES (?, ?)", [SQLValue(try row.int64("id")), "created"])
    ///     return try row.int64("id")
    /// }
    /// ```
    @discardableResult
    public func transaction<Result>(
        _ body: (any SQLTransaction) async throws -> Result,
        isolation: isolated (any Actor)? = #isolation
    ) async throws -> Result {
        try await transaction(isolation: isolation, body)
    }
}
