import GRDB
import Synchronization

/// The handle passed to an ``SQLiteDatabase`` transaction body. Its statements run on the write
/// connection, inside the open transaction, while the database's lock keeps other writers out.
final class SQLiteTransaction: SQLTransaction {
    let dialect = SQLDialect.sqlite
    private let writer: any DatabaseWriter
    private let isOpen = Mutex(true)

    init(writer: any DatabaseWriter) {
        self.writer = writer
    }

    /// Called when the body returns or throws; the handle refuses statements afterwards.
    func end() {
        isOpen.withLock { $0 = false }
    }

    func execute(_ sql: String, _ arguments: [SQLValue]) async throws -> Int {
        try await run(sql) { db in try SQLiteStatements.execute(db, sql, arguments) }
    }

    func query(_ sql: String, _ arguments: [SQLValue]) async throws -> [SQLRow] {
        try await run(sql) { db in try SQLiteStatements.query(db, sql, arguments) }
    }

    private func run<T: Sendable>(_ sql: String, _ operation: @escaping @Sendable (Database) throws -> T) async throws -> T {
        guard isOpen.withLock({ $0 }) else {
            throw SQLDatabaseError(.misuse, "a transaction handle was used after its transaction ended", sql: sql)
        }
        return try await SQLiteStatements.translatingErrors(sql: sql) {
            try await writer.writeWithoutTransaction { db in
                // SQLite rolls a transaction back by itself after some errors (disk full, I/O):
                // refuse to go on in autocommit mode as if the transaction were still open.
                guard db.isInsideTransaction else {
                    throw SQLDatabaseError(
                        .other, "the transaction was rolled back by SQLite after an earlier error", sql: sql)
                }
                let result = try operation(db)
                guard db.isInsideTransaction else {
                    throw SQLDatabaseError(
                        .misuse, "transaction control statements are not allowed inside transaction { }", sql: sql)
                }
                return result
            }
        }
    }
}
