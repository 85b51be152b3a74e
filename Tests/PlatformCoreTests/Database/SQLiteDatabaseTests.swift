import Foundation
import Testing

@testable import PlatformCore

/// SQLite-specific behaviour: WAL mode, pragmas, reopening, opening errors.
@Suite struct SQLiteDatabaseTests {
    @Test func aFileDatabaseRunsInWALModeWithForeignKeysAndABusyTimeout() async throws {
        try await withTemporaryDirectory { directory in
            let database = try SQLiteDatabase(path: directory + "/wal.sqlite", busyTimeout: .milliseconds(2500))
            #expect(try await database.queryOne("PRAGMA journal_mode").string("journal_mode") == "wal")
            #expect(try await database.queryOne("PRAGMA foreign_keys").int("foreign_keys") == 1)
            // Asked inside a transaction so the write connection answers (readers have their own timeout).
            let busyTimeout = try await database.transaction { tx in try await tx.queryOne("PRAGMA busy_timeout") }
            #expect(busyTimeout.values.first == .integer(2500))
            try await database.execute("CREATE TABLE t (x INTEGER)")
            #expect(FileManager.default.fileExists(atPath: directory + "/wal.sqlite-wal"))
            try await database.close()
        }
    }

    @Test func dataSurvivesClosingAndReopeningTheFile() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/reopen.sqlite"
            let first = try SQLiteDatabase(path: path)
            #expect(try await first.migrate(SQLDatabaseConformance.schema).count == 3)
            try await SQLDatabaseConformance.insertAccount(first, "persisted@example.org", balance: 42)
            try await first.close()

            let second = try SQLiteDatabase(path: path)
            #expect(try await second.migrate(SQLDatabaseConformance.schema).isEmpty)
            let row = try await second.queryOne("SELECT email, balance FROM accounts")
            #expect(try row.string("email") == "persisted@example.org")
            #expect(try row.int("balance") == 42)
            try await second.close()
        }
    }

    @Test func twoConnectionsToOneFileSeeEachOthersCommits() async throws {
        // Two pools on one file stand in for two processes sharing the data directory.
        try await withTemporaryDirectory { directory in
            let path = directory + "/shared.sqlite"
            let first = try SQLiteDatabase(path: path)
            let second = try SQLiteDatabase(path: path)
            try await first.migrate(SQLDatabaseConformance.schema)
            #expect(try await second.migrate(SQLDatabaseConformance.schema).isEmpty)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, database) in [first, second, first, second].enumerated() {
                    group.addTask {
                        for n in 0..<10 {
                            try await database.transaction { tx in
                                try await SQLDatabaseConformance.insertAccount(tx, "w\(index)-\(n)@example.org")
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await SQLDatabaseConformance.count(first, "accounts") == 40)
            #expect(try await SQLDatabaseConformance.count(second, "accounts") == 40)
            try await first.close()
            try await second.close()
        }
    }

    @Test func aFileInAMissingDirectoryFailsWithAnIOErrorNamingThePath() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/missing/db.sqlite"
            #expect {
                try SQLiteDatabase(path: path)
            } throws: { error in
                let error = error as? SQLDatabaseError
                return error?.code == .io && error?.description.contains(path) == true
                    && error?.description.contains("\n") == false
            }
        }
    }

    @Test func aFileThatIsNotADatabaseIsRejected() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/garbage.sqlite"
            try writeFile(path, String(repeating: "not a database ", count: 100))
            await #expect(throws: SQLDatabaseError.self) {
                let database = try SQLiteDatabase(path: path)
                _ = try await database.query("SELECT * FROM sqlite_master")
            }
        }
    }

    @Test func inMemoryDatabasesArePrivateToEachInstance() async throws {
        let first = try SQLiteDatabase.inMemory()
        let second = try SQLiteDatabase.inMemory()
        try await first.execute("CREATE TABLE only_here (x INTEGER)")
        await #expect(throws: SQLDatabaseError.self) { try await second.query("SELECT * FROM only_here") }
    }

    @Test func aClosedDatabaseRejectsStatements() async throws {
        let database = try SQLiteDatabase.inMemory()
        try await database.close()
        await #expect(throws: SQLDatabaseError.self) { try await database.execute("CREATE TABLE t (x INTEGER)") }
    }

    @Test func aWriteWithReturningWorksThroughQueryOnAFile() async throws {
        try await withTemporaryDirectory { directory in
            let database = try SQLiteDatabase(path: directory + "/returning.sqlite")
            try await database.migrate(SQLDatabaseConformance.schema)
            let rows = try await database.query(
                "INSERT INTO accounts (email) VALUES (?), (?) RETURNING email", ["x@example.org", "y@example.org"])
            #expect(try rows.map { try $0.string("email") }.sorted() == ["x@example.org", "y@example.org"])
            try await database.close()
        }
    }

    @Test func theDialectIsSQLite() throws {
        #expect(try SQLiteDatabase.inMemory().dialect == .sqlite)
    }
}

@Suite struct SQLiteTransactionControlTests {
    @Test func aBeginPassedToExecuteIsUndoneAndRejected() async throws {
        let database = try SQLiteDatabase.inMemory()
        try await database.execute("CREATE TABLE t (x INTEGER)")
        await #expect {
            try await database.execute("BEGIN")
        } throws: { error in
            (error as? SQLDatabaseError)?.code == .misuse
        }
        // Had the BEGIN stayed open, this insert would never be committed; a transaction proves it is not.
        try await database.execute("INSERT INTO t VALUES (1)")
        try await database.transaction { tx in try await tx.execute("INSERT INTO t VALUES (2)") }
        #expect(try await database.queryOne("SELECT COUNT(*) AS n FROM t").int("n") == 2)
    }

    @Test func aCommitInsideATransactionBodyIsRejected() async throws {
        let database = try SQLiteDatabase.inMemory()
        try await database.execute("CREATE TABLE t (x INTEGER)")
        await #expect {
            try await database.transaction { tx in
                try await tx.execute("INSERT INTO t VALUES (1)")
                try await tx.execute("COMMIT")
            }
        } throws: { error in
            (error as? SQLDatabaseError)?.code == .misuse
        }
        try await database.execute("INSERT INTO t VALUES (2)")
        #expect(try await database.query("SELECT x FROM t").count >= 1)
    }
}
