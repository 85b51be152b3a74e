/// Something that runs SQL statements: a database (each statement in its own implicit transaction)
/// or a transaction handle. Data-access code written against `some SQLExecutor` works both inside
/// and outside transactions, on every backend.
///
/// ## Placeholders
/// Statements use `?` positional placeholders on every backend. The PostgreSQL backend rewrites
/// them to `$1, $2, ...` with ``SQLPlaceholders/numbered(_:)``, skipping string literals, quoted
/// identifiers and comments. PostgreSQL's `?`-operators on jsonb are therefore unavailable: use
/// the equivalent functions (`jsonb_exists`, ...). Arguments are always bound, never interpolated.
///
/// ## Portable SQL
/// Write the common subset: `INTEGER`/`BIGINT`, `TEXT`, `REAL`/`DOUBLE PRECISION`, `BLOB`/`BYTEA`
/// differ, so table definitions go in per-dialect migrations (``SQLMigration``), while queries,
/// `INSERT ... RETURNING`, `ON CONFLICT ... DO UPDATE` and `CURRENT_TIMESTAMP` are shared.
public protocol SQLExecutor: Sendable {
    /// The dialect statements must be written in.
    var dialect: SQLDialect { get }

    /// Runs a statement that returns no rows (INSERT, UPDATE, DELETE, DDL).
    /// SQLite also accepts several `;`-separated statements here; keep to one for portability.
    /// - Returns: the number of rows inserted, updated or deleted.
    @discardableResult
    func execute(_ sql: String, _ arguments: [SQLValue]) async throws -> Int

    /// Runs one statement and returns every row it produced (SELECT, or a write with RETURNING).
    func query(_ sql: String, _ arguments: [SQLValue]) async throws -> [SQLRow]
}

extension SQLExecutor {
    /// ``execute(_:_:)`` without arguments.
    @discardableResult
    public func execute(_ sql: String) async throws -> Int {
        try await execute(sql, [])
    }

    /// ``query(_:_:)`` without arguments.
    public func query(_ sql: String) async throws -> [SQLRow] {
        try await query(sql, [])
    }

    /// The first row, or nil when there is none.
    public func queryFirst(_ sql: String, _ arguments: [SQLValue] = []) async throws -> SQLRow? {
        try await query(sql, arguments).first
    }

    /// The first row.
    /// - Throws: ``SQLDatabaseError`` `.notFound` when there is none.
    public func queryOne(_ sql: String, _ arguments: [SQLValue] = []) async throws -> SQLRow {
        guard let row = try await query(sql, arguments).first else {
            throw SQLDatabaseError(.notFound, "no row returned", sql: sql)
        }
        return row
    }
}
