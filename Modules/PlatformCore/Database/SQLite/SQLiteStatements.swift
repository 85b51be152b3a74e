import GRDB
import Foundation

/// The GRDB calls behind ``SQLiteDatabase`` and its transactions: binding ``SQLValue``s, reading
/// rows, translating `DatabaseError` into ``SQLDatabaseError``.
enum SQLiteStatements {
    /// Runs one or more statements; returns the number of rows they changed.
    static func execute(_ db: Database, _ sql: String, _ arguments: [SQLValue]) throws -> Int {
        // Total changes, not sqlite3_changes(): the latter keeps the previous DML count across DDL.
        let before = db.totalChangesCount
        try db.execute(sql: sql, arguments: statementArguments(arguments))
        return db.totalChangesCount - before
    }

    /// Runs one statement and reads every row.
    static func query(_ db: Database, _ sql: String, _ arguments: [SQLValue]) throws -> [SQLRow] {
        try rows(of: db.cachedStatement(sql: sql), arguments)
    }

    static func rows(of statement: Statement, _ arguments: [SQLValue]) throws -> [SQLRow] {
        let columns = statement.columnNames
        let cursor = try Row.fetchCursor(statement, arguments: statementArguments(arguments))
        var rows: [SQLRow] = []
        while let row = try cursor.next() {
            rows.append(SQLRow(columns: columns, values: row.databaseValues.map(SQLValue.init(databaseValue:))))
        }
        return rows
    }

    static func statementArguments(_ arguments: [SQLValue]) -> StatementArguments {
        StatementArguments(arguments.map(\.databaseValue))
    }

    /// Runs `operation` outside any transaction and undoes a transaction it opened (`BEGIN` passed
    /// to `execute`): left open, it would silently swallow every later statement of every caller.
    static func refusingTransactionControl<T>(_ db: Database, _ sql: String, _ operation: () throws -> T) throws -> T {
        let result = try operation()
        if db.isInsideTransaction {
            try? db.rollback()
            throw SQLDatabaseError(
                .misuse, "transaction control statements are not allowed here; use transaction { } instead", sql: sql)
        }
        return result
    }

    /// Runs `operation`, translating GRDB errors; cancellation and our own errors pass through.
    static func translatingErrors<T>(sql: String?, _ operation: () async throws -> T) async throws -> T {
        do {
            return try await operation()
        } catch let error as DatabaseError {
            throw SQLDatabaseError(sqlite: error, sql: sql)
        }
    }
}

extension SQLValue {
    var databaseValue: DatabaseValue {
        switch self {
        case .null: .null
        case .integer(let value): value.databaseValue
        case .real(let value): value.databaseValue
        case .text(let value): value.databaseValue
        case .blob(let value): Data(value).databaseValue
        }
    }

    init(databaseValue: DatabaseValue) {
        switch databaseValue.storage {
        case .null: self = .null
        case .int64(let value): self = .integer(value)
        case .double(let value): self = .real(value)
        case .string(let value): self = .text(value)
        case .blob(let value): self = .blob([UInt8](value))
        }
    }
}

extension SQLDatabaseError {
    /// Maps SQLite result codes onto the portable codes; the SQLite message is kept verbatim.
    init(sqlite error: DatabaseError, sql: String?) {
        let underlying = error.message ?? "\(error.resultCode)"
        var constraint: ConstraintKind?
        let code: Code
        switch error.resultCode {
        case .SQLITE_CONSTRAINT:
            code = .constraint
            switch error.extendedResultCode {
            case .SQLITE_CONSTRAINT_UNIQUE, .SQLITE_CONSTRAINT_PRIMARYKEY, .SQLITE_CONSTRAINT_ROWID:
                constraint = .unique
            case .SQLITE_CONSTRAINT_FOREIGNKEY: constraint = .foreignKey
            case .SQLITE_CONSTRAINT_NOTNULL: constraint = .notNull
            case .SQLITE_CONSTRAINT_CHECK: constraint = .check
            default: constraint = .other
            }
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            code = .busy
        case .SQLITE_IOERR, .SQLITE_CANTOPEN, .SQLITE_FULL, .SQLITE_READONLY, .SQLITE_CORRUPT, .SQLITE_NOTADB,
            .SQLITE_PERM, .SQLITE_NOLFS:
            code = .io
        case .SQLITE_ERROR, .SQLITE_RANGE, .SQLITE_TOOBIG, .SQLITE_SCHEMA:
            code = .invalidStatement
        case .SQLITE_MISMATCH:
            code = .typeMismatch
        case .SQLITE_MISUSE:
            code = .misuse
        default:
            code = .other
        }
        let kind = constraint.map { "\($0.rawValue) constraint violated" } ?? "\(code) error"
        self.init(
            code, "\(kind): \(underlying)", constraint: constraint, underlyingMessage: underlying,
            sql: sql ?? error.sql, cause: error)
    }
}
