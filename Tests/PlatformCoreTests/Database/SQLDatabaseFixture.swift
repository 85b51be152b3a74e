import Foundation
import Testing

@testable import PlatformCore

/// Every SQLDatabase implementation the conformance suite runs against. A PostgreSQL case plugs in
/// here (enabled when a test server URL is in the environment) and inherits every check.
enum SQLDatabaseFixture: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqliteInMemory = "SQLite in memory"
    case sqliteFile = "SQLite file (WAL)"

    var testDescription: String { rawValue }

    /// Opens a fresh, empty database, runs `body`, closes it and removes its files.
    func withDatabase<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        switch self {
        case .sqliteInMemory:
            let database = try SQLiteDatabase.inMemory()
            let result = try await body(database)
            try await database.close()
            return result
        case .sqliteFile:
            return try await withTemporaryDirectory { directory in
                let database = try SQLiteDatabase(path: directory + "/test.sqlite")
                do {
                    let result = try await body(database)
                    try await database.close()
                    return result
                } catch {
                    try? await database.close()
                    throw error
                }
            }
        }
    }
}
