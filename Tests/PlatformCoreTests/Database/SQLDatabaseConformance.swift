import Foundation
import Testing

@testable import PlatformCore

/// Behaviour every SQLDatabase must have, written once against `some SQLDatabase`.
/// `SQLDatabaseConformanceTests` runs each check against every `SQLDatabaseFixture`.
/// Statements here stay within the portable subset (per-dialect DDL goes through migrations).
enum SQLDatabaseConformance {
    /// A small schema with the constraints the checks need.
    static let schema = [
        SQLMigration(
            id: "conformance.0001_accounts",
            sql: [
                .sqlite: [
                    "CREATE TABLE accounts (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, balance INTEGER NOT NULL DEFAULT 0 CHECK (balance >= 0))"
                ],
                .postgres: [
                    "CREATE TABLE accounts (id BIGSERIAL PRIMARY KEY, email TEXT NOT NULL UNIQUE, balance BIGINT NOT NULL DEFAULT 0 CHECK (balance >= 0))"
                ],
            ]),
        SQLMigration(
            id: "conformance.0002_transfers",
            sql: [
                .sqlite: [
                    "CREATE TABLE transfers (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES accounts(id), amount INTEGER NOT NULL)"
                ],
                .postgres: [
                    "CREATE TABLE transfers (id BIGSERIAL PRIMARY KEY, account_id BIGINT NOT NULL REFERENCES accounts(id), amount BIGINT NOT NULL)"
                ],
            ]),
        SQLMigration(
            id: "conformance.0003_values",
            sql: [
                .sqlite: ["CREATE TABLE value_kinds (id INTEGER PRIMARY KEY, i INTEGER, r REAL, t TEXT, b BLOB)"],
                .postgres: ["CREATE TABLE value_kinds (id BIGSERIAL PRIMARY KEY, i BIGINT, r DOUBLE PRECISION, t TEXT, b BYTEA)"],
            ]),
    ]

    static func prepare(_ db: some SQLDatabase) async throws {
        try await db.migrate(schema)
    }

    static func count(_ db: some SQLExecutor, _ table: String) async throws -> Int {
        try await db.queryOne("SELECT COUNT(*) AS n FROM \(table)").int("n")
    }

    @discardableResult
    static func insertAccount(_ db: some SQLExecutor, _ email: String, balance: Int = 0) async throws -> Int64 {
        try await db.queryOne(
            "INSERT INTO accounts (email, balance) VALUES (?, ?) RETURNING id", [.text(email), SQLValue(balance)]
        ).int64("id")
    }

    /// Thrown from transaction bodies to force a rollback.
    struct Abort: Error {}

    // MARK: - Checks

    static func everyValueKindRoundTrips(_ db: some SQLDatabase) async throws {
        try await prepare(db)
        let cases: [(SQLValue, SQLValue, SQLValue, SQLValue)] = [
            (.integer(.max), .real(-1.5e300), .text("ünïcode ✓ 'quote' \"dq\" ?"), .blob([0, 1, 255, 0])),
            (.integer(.min), .real(0.1), .text(""), .blob([])),
            (.null, .null, .null, .null),
        ]
        for (integer, real, text, blob) in cases {
            let id = try await db.queryOne(
                "INSERT INTO value_kinds (i, r, t, b) VALUES (?, ?, ?, ?) RETURNING id", [integer, real, text, blob]
            ).int64("id")
            let row = try await db.queryOne("SELECT i, r, t, b FROM value_kinds WHERE id = ?", [.integer(id)])
            #expect(row.values == [integer, real, text, blob])
            #expect(row.columns == ["i", "r", "t", "b"])
        }
    }

    static func migrationsApplyOnceAndReRunningIsANoOp(_ db: some SQLDatabase) async throws {
        let first = try await db.migrate(schema)
        #expect(first == schema.map(\.id))
        let second = try await db.migrate(schema)
        #expect(second.isEmpty)
        #expect(try await db.appliedMigrations() == schema.map(\.id))
        // The tables exist exactly once: inserting works.
        try await insertAccount(db, "a@example.org")
        #expect(try await count(db, "accounts") == 1)
    }

    static func aLaterMigrationAppliesOnlyItselfAndOtherModulesListsCoexist(_ db: some SQLDatabase) async throws {
        try await prepare(db)
        let other = [SQLMigration(id: "othermodule.0001_items", portable: ["CREATE TABLE items (name TEXT PRIMARY KEY)"])]
        #expect(try await db.migrate(other) == ["othermodule.0001_items"])
        let extended = schema + [SQLMigration(id: "conformance.0004_index", portable: ["CREATE INDEX accounts_balance ON accounts (balance)"])]
        #expect(try await db.migrate(extended) == ["conformance.0004_index"])
        #expect(try await db.appliedMigrations().count == schema.count + 2)
    }

    static func aFailedMigrationLeavesNothingBehindAndCanBeRetried(_ db: some SQLDatabase) async throws {
        let broken = SQLMigration(
            id: "conformance.0001_two_tables",
            portable: ["CREATE TABLE first_table (x INTEGER)", "CREATE TABLE second_table (x INTEGER"])
        do {
            try await db.migrate([broken])
            Issue.record("a broken migration must fail")
        } catch let error as SQLDatabaseError {
            #expect(error.code == .migrationFailed)
            #expect(error.description.contains("conformance.0001_two_tables"))
            #expect(error.description.contains("statement 2 of 2"))
            #expect(error.underlyingMessage != nil)
        }
        // The first statement was rolled back with the second, and nothing was recorded.
        #expect(try await db.appliedMigrations().isEmpty)
        #expect(try await db.migrate([SQLMigration(id: "conformance.0001_two_tables", portable: ["CREATE TABLE first_table (x INTEGER)"])]).count == 1)
    }

    static func invalidOrDuplicateMigrationIdsAreRejectedBeforeAnythingRuns(_ db: some SQLDatabase) async throws {
        for id in ["nonamespace", "Upper.case", "space .x", ".leading", "trailing.", ""] {
            await #expect(throws: SQLDatabaseError.self) {
                try await db.migrate([SQLMigration(id: id, portable: ["CREATE TABLE never (x INTEGER)"])])
            }
        }
        let twice = [
            SQLMigration(id: "dup.0001", portable: ["CREATE TABLE never (x INTEGER)"]),
            SQLMigration(id: "dup.0001", portable: ["CREATE TABLE never2 (x INTEGER)"]),
        ]
        do {
            try await db.migrate(twice)
            Issue.record("duplicate ids must be rejected")
        } catch let error as SQLDatabaseError {
            #expect(error.code == .migrationFailed && error.description.contains("dup.0001"))
        }
        let missingDialect = SQLMigration(id: "dialect.0001", sql: [:])
        await #expect(throws: SQLDatabaseError.self) { try await db.migrate([missingDialect]) }
        #expect(try await db.appliedMigrations().isEmpty)
    }

    static func aTransactionCommitsWhenItsBodyReturns(_ db: some SQLDatabase) async throws {
        try await prepare(db)
        let id = try await db.transaction { tx in
            let id = try await insertAccount(tx, "a@example.org", balance: 10)
            try await tx.execute("INSERT INTO transfers (account_id, amount) VALUES (?, ?)", [.integer(id), 10])
            // Reads inside the transaction see its own writes.
            #expect(try await count(tx, "transfers") == 1)
            return id
        }
        #expect(try await count(db, "accounts") == 1)
        #expect(try await db.queryOne("SELECT account_id FROM transfers").int64("account_id") == id)
    }

    static func aTransactionRollsBackWhenItsBodyThrows(_ db: some SQLDatabase) async throws {
        try await prepare(db)
        try await insertAccount(db, "kept@example.org")
        await #expect(throws: Abort.self) {
            try await db.transaction { tx in
                try await insertAccount(tx, "discarded@example.org")
                try await tx.execute("UPDATE accounts SET balance = 99")
                throw Abort()
            }
        }
        #expect(try await count(db, "accounts") == 1)
        #expect(try await db.queryOne("SELECT balance FROM accounts").int("balance") == 0)
        // The database is usable afterwards (lock released, no transaction left open).
        try await db.transaction { tx in try await insertAccount(tx, "next@example.org") }
        #expect(try await count(db, "accounts") == 2)
    }

    static func aCancelledTransactionRollsBackAndReleasesTheDatabase(_ db: some SQLDatabase) async throws {
        try await prepare(db)
        let started = AsyncStream<Void>.makeStream()
        let task = Task {
            try await db.transaction { tx in
                try await insertAccount(tx, "cancelled@example.org")
                started.continuation.yield()
                try await Task.sleep(for: .seconds(30))
            }
        }
        for await _ in started.stream { break }
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(try await count(db, "accounts") == 0)
        try await insertAccount(db, "after@example.org")
        #expect(try await count(db, "accounts") == 1)
    }

    static func aUniqueViolationSurfacesAsAConstraintError(_ db: some SQLDatabase) async throws {
        try await prepare(db)
        try await insertAccount(db, "taken@example.org")
        do {
            try await insertAccount(db, "taken@example.org")
            Issue.record("a duplicate email must violate the UNIQUE constraint")
        } catch let error as SQLDatabaseError {
            #expect(error.code == .constraint)
            #expect(error.constraint == .unique)
            #expect(error.isUniqueViolation)
            #expect(error.errorCode == "database.constraint")
            #expect(error.underlyingMessage?.isEmpty == false)
            #expect(!error.description.contains("\n"))
        }
        // The pattern form matches on the code alone.
        var caught = false
        do {
            try await insertAccount(db, "taken@example.org")
        } catch SQLDatabaseError.Code.constraint {
            caught = true
        }
        #expect(caught)
        // Inside a transaction the violation is catchable and the transaction can go on.
        let kept = try await db.transaction { tx in
            do {
                try await insertAccount(tx, "taken@example.org")
            } catch let error as SQLDatabaseError where error.isUniqueViolation {}
            return try await insertAccount(tx, "fresh@example.org")
        }
        #expect(kept > 0)
        #expect(try await count(db, "accounts") == 2)
    }

    static func foreignKeyNotNullAndCheckViolationsAreConstraintErrorsOfTheirKind(_ db: some SQLDatabase) async throws {
        try await prepare(db)
        let cases: [(String, [SQLValue], SQLDatabaseError.ConstraintKind)] = [
            ("INSERT INTO transfers (account_id, amount) VALUES (?, ?)", [424242, 1], .foreignKey),
            ("INSERT INTO accounts (email) VALUES (?)", [nil], .notNull),
            ("INSERT INTO accounts (email, balance) VALUES (?, ?)", ["neg@example.org", -1], .check),
        ]
        for (sql, arguments, kind) in cases {
            do {
                try await db.execute(sql, arguments)
                Issue.record("\(sql) must violate a \(kind) constraint")
            } catch let error as SQLDatabaseError {
                #expect(error.code == .constraint, "\(sql)")
                #expect(error.constraint == kind, "\(sql): \(error)")
                #expect(!error.isUniqueViolation)
            }
        }
    }

    static func concurrentWritersFromManyTasksAllLand(_ db: some SQLDatabase) async throws {
        try await prepare(db)
        let writers = 64
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<writers {
                group.addTask {
                    if index.isMultiple(of: 2) {
                        try await insertAccount(db, "plain-\(index)@example.org")
                    } else {
                        try await db.transaction { tx in
                            let id = try await insertAccount(tx, "tx-\(index)@example.org", balance: index)
                            await Task.yield()  // a suspension inside the transaction
                            try await tx.execute("INSERT INTO transfers (account_id, amount) VALUES (?, ?)", [.integer(id), SQLValue(index)])
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await count(db, "accounts") == writers)
        #expect(try await count(db, "transfers") == writers / 2)
    }

    static func readersNeverSeeHalfATransaction(_ db: some SQLDatabase) async throws {
        try await prepare(db)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for index in 0..<40 {
                    try await db.transaction { tx in
                        try await insertAccount(tx, "pair-a-\(index)@example.org")
                        await Task.yield()
                        try await insertAccount(tx, "pair-b-\(index)@example.org")
                    }
                }
            }
            for _ in 0..<4 {
                group.addTask {
                    for _ in 0..<40 {
                        let seen = try await count(db, "accounts")
                        #expect(seen.isMultiple(of: 2), "saw \(seen) rows: half a transaction")
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await count(db, "accounts") == 80)
    }

    static func usingTheDatabaseInsideItsOwnTransactionIsAnErrorNotADeadlock(_ db: some SQLDatabase) async throws {
        try await prepare(db)
        await #expect(throws: SQLDatabaseError.self) {
            try await db.transaction { _ in
                do {
                    try await insertAccount(db, "direct@example.org")
                } catch let error as SQLDatabaseError {
                    #expect(error.code == .misuse)
                    throw error
                }
            }
        }
        #expect(try await count(db, "accounts") == 0)
    }

    static func aTransactionHandleUsedAfterItsTransactionIsRejected(_ db: some SQLDatabase) async throws {
        try await prepare(db)
        let escaped = try await db.transaction { tx in tx }
        do {
            try await insertAccount(escaped, "late@example.org")
            Issue.record("a stale handle must be rejected")
        } catch let error as SQLDatabaseError {
            #expect(error.code == .misuse)
        }
        #expect(try await count(db, "accounts") == 0)
    }

    static func executeReturnsTheNumberOfChangedRows(_ db: some SQLDatabase) async throws {
        try await prepare(db)
        for index in 0..<3 { try await insertAccount(db, "n\(index)@example.org") }
        #expect(try await db.execute("UPDATE accounts SET balance = balance + 1") == 3)
        #expect(try await db.execute("DELETE FROM accounts WHERE email = ?", ["n0@example.org"]) == 1)
        #expect(try await db.execute("UPDATE accounts SET balance = 0 WHERE id < 0") == 0)
        #expect(try await db.execute("CREATE TABLE ddl_only (x INTEGER)") == 0)
    }

    static func rowAccessorsNameTheColumnWhenTheyFail(_ db: some SQLDatabase) async throws {
        try await prepare(db)
        try await db.execute("INSERT INTO value_kinds (i, r, t, b) VALUES (?, ?, ?, ?)", [7, nil, "seven", .blob([7])])
        let row = try await db.queryOne("SELECT i, r, t, b FROM value_kinds")
        #expect(try row.int("i") == 7)
        #expect(try row.int64("I") == 7)  // case-insensitive fallback
        #expect(try row.double("i") == 7.0)  // integers widen to Double
        #expect(try row.decode("r", as: Double?.self) == nil)
        #expect(try row.isNull("r"))
        #expect(try row.string("t") == "seven")
        #expect(try row.bytes("b") == [7])

        func failure(_ body: () throws -> Any) -> SQLDatabaseError? {
            do {
                _ = try body()
                return nil
            } catch { return error as? SQLDatabaseError }
        }
        let missing = failure { try row.string("title") }
        #expect(missing?.code == .columnNotFound)
        #expect(missing?.description == #"no column "title" in result (columns: i, r, t, b)"#)
        let wrongType = failure { try row.int("t") }
        #expect(wrongType?.code == .typeMismatch)
        #expect(wrongType?.description == #"column "t": expected integer, got text "seven""#)
        let null = failure { try row.double("r") }
        #expect(null?.code == .typeMismatch)
        #expect(null?.description == #"column "r": expected real, got NULL"#)
        let notBool = failure { try row.bool("i") }
        #expect(notBool?.description.contains("column \"i\"") == true)
    }

    static func queryOneThrowsNotFoundAndQueryFirstReturnsNil(_ db: some SQLDatabase) async throws {
        try await prepare(db)
        #expect(try await db.queryFirst("SELECT id FROM accounts WHERE email = ?", ["nobody"]) == nil)
        await #expect {
            try await db.queryOne("SELECT id FROM accounts WHERE email = ?", ["nobody"])
        } throws: { error in
            (error as? SQLDatabaseError)?.code == .notFound
        }
    }

    static func invalidStatementsAreReportedWithTheDriversMessage(_ db: some SQLDatabase) async throws {
        try await prepare(db)
        for sql in ["SELECT * FROM no_such_table", "SELEC 1", "SELECT nope FROM accounts"] {
            do {
                _ = try await db.query(sql)
                Issue.record("\(sql) must fail")
            } catch let error as SQLDatabaseError {
                #expect(error.code == .invalidStatement, "\(sql): \(error)")
                #expect(error.sql == sql)
                #expect(error.underlyingMessage?.isEmpty == false)
            }
        }
        await #expect(throws: SQLDatabaseError.self) {
            try await db.execute("INSERT INTO accounts (email) VALUES (?)", ["a", "extra"])
        }
    }

    static func questionMarksInsideLiteralsAreNotPlaceholders(_ db: some SQLDatabase) async throws {
        try await prepare(db)
        let row = try await db.queryOne("SELECT 'what?' AS literal, ? AS bound", ["value"])
        #expect(try row.string("literal") == "what?")
        #expect(try row.string("bound") == "value")
    }
}
