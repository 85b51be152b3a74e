import Foundation
import GRDB
import Logging
import Synchronization

/// ``SQLDatabase`` on SQLite through GRDB: a `DatabasePool` on a file (WAL mode, concurrent
/// readers, one writer) or a `DatabaseQueue` in memory for tests. Foreign keys are enforced and a
/// busy timeout lets several processes share the file.
///
/// Writes and transactions take an async FIFO lock so a transaction's statements, which may be
/// separated by `await`s, never interleave with other writers on the single write connection.
/// On a file, read-only queries bypass the lock and run on reader connections, seeing the last
/// committed state.
public final class SQLiteDatabase: SQLDatabase {
    /// Always ``SQLDialect/sqlite``.
    public let dialect = SQLDialect.sqlite
    /// The database file, or nil in memory.
    public let path: String?

    private let writer: any DatabaseWriter
    /// True for a `DatabasePool`, whose reader connections can serve queries outside the lock.
    private let hasReaderConnections: Bool
    private let lock = AsyncLock()
    /// Set by `close()`: GRDB does not guard every call on a closed connection (some reach SQLite
    /// with a null handle), so statements are refused here first.
    private let isClosed = Mutex(false)
    private let logger: Logger

    /// Opens (creating if needed) the SQLite file at `path` in WAL mode.
    /// - Parameters:
    ///   - busyTimeout: how long a statement waits for another process's lock before failing with
    ///     ``SQLDatabaseError/Code/busy``.
    /// - Throws: ``SQLDatabaseError`` `.io` naming the path when it cannot be opened.
    public init(
        path: String, busyTimeout: Duration = .seconds(5),
        logger: Logger = Logger(label: "aiplat.database", factory: { _ in SwiftLogNoOpLogHandler() })
    ) throws {
        self.path = path
        self.hasReaderConnections = true
        self.logger = logger
        do {
            writer = try DatabasePool(path: path, configuration: Self.configuration(busyTimeout: busyTimeout))
        } catch let error as DatabaseError {
            let translated = SQLDatabaseError(sqlite: error, sql: nil)
            throw SQLDatabaseError(
                .io, "cannot open SQLite database \(path): \(translated.underlyingMessage ?? translated.message)",
                underlyingMessage: translated.underlyingMessage, cause: error)
        }
        logger.debug("opened SQLite database", metadata: ["path": "\(path)"])
    }

    private init(inMemoryWith logger: Logger) throws {
        self.path = nil
        self.hasReaderConnections = false
        self.logger = logger
        do {
            writer = try DatabaseQueue(configuration: Self.configuration(busyTimeout: .zero))
        } catch let error as DatabaseError {
            throw SQLDatabaseError(sqlite: error, sql: nil)
        }
    }

    /// A new, private, in-memory database (gone when released), for tests.
    public static func inMemory(
        logger: Logger = Logger(label: "aiplat.database", factory: { _ in SwiftLogNoOpLogHandler() })
    ) throws -> SQLiteDatabase {
        try SQLiteDatabase(inMemoryWith: logger)
    }

    private static func configuration(busyTimeout: Duration) -> Configuration {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        let seconds = Double(busyTimeout.components.seconds) + Double(busyTimeout.components.attoseconds) / 1e18
        configuration.busyMode = seconds > 0 ? .timeout(seconds) : .immediateError
        // Our transactions span several GRDB accesses (the body may await between statements);
        // the AsyncLock keeps other writers out while one is open.
        configuration.allowsUnsafeTransactions = true
        configuration.label = "aiplat"
        return configuration
    }

    // MARK: SQLExecutor

    public func execute(_ sql: String, _ arguments: [SQLValue]) async throws -> Int {
        try checkUsable()
        let writer = self.writer
        return try await exclusively {
            try await SQLiteStatements.translatingErrors(sql: sql) {
                try await writer.writeWithoutTransaction { db in
                    try SQLiteStatements.refusingTransactionControl(db, sql) {
                        try SQLiteStatements.execute(db, sql, arguments)
                    }
                }
            }
        }
    }

    public func query(_ sql: String, _ arguments: [SQLValue]) async throws -> [SQLRow] {
        try checkUsable()
        let writer = self.writer
        if hasReaderConnections {
            // Reader connections are read-only: a write with RETURNING goes to the writer below.
            let rows: [SQLRow]? = try await SQLiteStatements.translatingErrors(sql: sql) {
                try await writer.read { db in
                    let statement = try db.cachedStatement(sql: sql)
                    guard statement.isReadonly else { return nil }
                    return try SQLiteStatements.rows(of: statement, arguments)
                }
            }
            if let rows { return rows }
        }
        return try await exclusively {
            try await SQLiteStatements.translatingErrors(sql: sql) {
                try await writer.writeWithoutTransaction { db in
                    try SQLiteStatements.refusingTransactionControl(db, sql) {
                        try SQLiteStatements.query(db, sql, arguments)
                    }
                }
            }
        }
    }

    // MARK: SQLDatabase

    public func transaction<Result>(
        isolation: isolated (any Actor)?,
        _ body: (any SQLTransaction) async throws -> Result
    ) async throws -> Result {
        try checkUsable()
        let writer = self.writer
        try await acquireLock()
        do {
            try await SQLiteStatements.translatingErrors(sql: "BEGIN IMMEDIATE") {
                try await writer.writeWithoutTransaction { db in try db.beginTransaction(.immediate) }
            }
        } catch {
            await lock.release()
            throw error
        }

        let transaction = SQLiteTransaction(writer: writer)
        do {
            var owners = SQLiteTransactionScope.databases
            owners.insert(ObjectIdentifier(self))
            let result = try await SQLiteTransactionScope.$databases.withValue(owners) {
                try await body(transaction)
            }
            transaction.end()
            try await SQLiteStatements.translatingErrors(sql: "COMMIT") {
                try await writer.writeWithoutTransaction { db in try db.commit() }
            }
            await lock.release()
            return result
        } catch {
            transaction.end()
            await Self.rollback(writer)
            await lock.release()
            throw error
        }
    }

    public func close() async throws {
        await lock.acquire()
        let wasClosed = isClosed.withLock { closed in
            defer { closed = true }
            return closed
        }
        var failure: (any Error)?
        if !wasClosed {
            do {
                try writer.close()
            } catch let error as DatabaseError {
                failure = SQLDatabaseError(sqlite: error, sql: nil)
            } catch {
                failure = error
            }
        }
        await lock.release()
        if let failure { throw failure }
        if !wasClosed {
            logger.debug("closed SQLite database", metadata: ["path": "\(path ?? ":memory:")"])
        }
    }

    // MARK: Internals

    /// Runs `operation` holding the write lock.
    private func exclusively<T>(_ operation: () async throws -> T) async throws -> T {
        try await acquireLock()
        do {
            let result = try await operation()
            await lock.release()
            return result
        } catch {
            await lock.release()
            throw error
        }
    }

    /// Rolls back if a transaction is still open. Runs in an unstructured task because the
    /// caller's task may be cancelled, and GRDB refuses to start accesses in cancelled tasks.
    private static func rollback(_ writer: any DatabaseWriter) async {
        await Task {
            try? await writer.writeWithoutTransaction { db in
                if db.isInsideTransaction { try db.rollback() }
            }
        }.value
    }

    /// Takes the write lock, failing if the database was closed while this task waited for it.
    private func acquireLock() async throws {
        await lock.acquire()
        if isClosed.withLock({ $0 }) {
            await lock.release()
            throw closedError
        }
    }

    private var closedError: SQLDatabaseError {
        SQLDatabaseError(.misuse, "the database \(path ?? ":memory:") is closed")
    }

    private func checkUsable() throws {
        if isClosed.withLock({ $0 }) { throw closedError }
        if SQLiteTransactionScope.databases.contains(ObjectIdentifier(self)) {
            throw SQLDatabaseError(
                .misuse,
                "the database was used directly inside its own transaction; run statements through the transaction handle"
            )
        }
    }
}

/// The databases whose transaction body the current task is running in, to turn a would-be
/// deadlock (waiting for our own lock) into an error.
enum SQLiteTransactionScope {
    @TaskLocal static var databases: Set<ObjectIdentifier> = []
}
