/// A database failure, the same shape for every backend: a ``Code`` to branch on, one readable
/// line, and the driver's own message kept verbatim.
///
/// Unique violations (including primary keys) are recognisable on every backend:
///
/// ```swift
/// do {
///     try await db.execute("INSERT INTO models (digest) VALUES (?)", [digest])
/// } catch let error as SQLDatabaseError where error.isUniqueViolation {
///     // already registered
/// }
/// ```
public struct SQLDatabaseError: PlatformError {
    /// The kind of failure. New kinds may be added; switch with a `default`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// A constraint was violated (see ``SQLDatabaseError/constraint`` for which kind).
        public static let constraint = Code("constraint")
        /// A row that had to exist does not (``SQLExecutor/queryOne(_:_:)``).
        public static let notFound = Code("not_found")
        /// A migration failed or the migration list is invalid; nothing of that migration was applied.
        public static let migrationFailed = Code("migration_failed")
        /// The database file could not be opened, read or written (permissions, disk full, corruption).
        public static let io = Code("io")
        /// Another connection held a lock for longer than the busy timeout.
        public static let busy = Code("busy")
        /// The statement is invalid: syntax error, unknown table or column, wrong argument count.
        public static let invalidStatement = Code("invalid_statement")
        /// A result column does not exist (``SQLRow``).
        public static let columnNotFound = Code("column_not_found")
        /// A result value is NULL or of another type than requested (``SQLRow``).
        public static let typeMismatch = Code("type_mismatch")
        /// The API was used wrongly: a transaction handle used after its block, the database used
        /// directly inside its own transaction, a closed database.
        public static let misuse = Code("misuse")
        /// The backend or URL is not supported (yet).
        public static let unsupported = Code("unsupported")
        /// Any other driver error; the underlying message says more.
        public static let other = Code("other")

        public var description: String { name }

        /// Lets `catch SQLDatabaseError.Code.constraint { ... }` match on the code alone.
        public static func ~= (code: Code, error: any Error) -> Bool {
            (error as? SQLDatabaseError)?.code == code
        }
    }

    /// Which constraint a ``Code/constraint`` error violated.
    public enum ConstraintKind: String, Sendable, Hashable {
        /// UNIQUE or PRIMARY KEY.
        case unique
        case foreignKey = "foreign_key"
        case notNull = "not_null"
        case check
        case other
    }

    public var code: Code
    /// For ``Code/constraint`` errors, the kind of constraint.
    public var constraint: ConstraintKind?
    public var message: String
    /// The driver's message, verbatim (e.g. SQLite's `UNIQUE constraint failed: models.digest`).
    public var underlyingMessage: String?
    /// The statement that failed, when known. Not part of ``description``: statements can be long
    /// and arguments are never included.
    public var sql: String?
    public var cause: (any Error)?

    public var errorCode: String { "database.\(code)" }

    /// ``message`` alone: it already carries the driver's message, and the driver error in
    /// ``cause`` would repeat it (with the SQL).
    public var description: String { message }

    /// True for a UNIQUE or PRIMARY KEY violation.
    public var isUniqueViolation: Bool { code == .constraint && constraint == .unique }

    public init(
        _ code: Code, _ message: String, constraint: ConstraintKind? = nil, underlyingMessage: String? = nil,
        sql: String? = nil, cause: (any Error)? = nil
    ) {
        self.code = code
        self.message = message
        self.constraint = constraint
        self.underlyingMessage = underlyingMessage
        self.sql = sql
        self.cause = cause
    }
}
