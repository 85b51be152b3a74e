import Foundation
import Testing

@testable import PlatformCore

@Suite struct SQLDatabaseLocationTests {
    static func location(_ url: String) throws -> SQLDatabaseLocation {
        let configuration = try PlatformConfiguration.load(flags: ["database.url": url], environment: ["HOME": "/home/u"])
        return SQLDatabaseLocation(configuration: configuration, dataDirectory: DataDirectory(path: "/data/aiplat"))
    }

    @Test func anEmptyURLMeansTheSQLiteFileInTheDataDirectory() throws {
        #expect(try Self.location("") == .sqliteFile(path: "/data/aiplat/aiplat.sqlite"))
    }

    @Test func aSQLiteURLNamesAnotherFile() throws {
        #expect(try Self.location("sqlite:///var/lib/x.sqlite") == .sqliteFile(path: "/var/lib/x.sqlite"))
    }

    @Test func postgresIsRecognisedButNotSupportedYetAndTheErrorHidesThePassword() async throws {
        let location = try Self.location("postgres://u:hunter2@db/aiplat")
        #expect(location == .postgres(url: "postgres://u:hunter2@db/aiplat"))
        await #expect {
            _ = try await location.open()
        } throws: { error in
            let error = error as? SQLDatabaseError
            return error?.code == .unsupported && error?.description.contains("hunter2") == false
        }
    }

    @Test func openingTheDefaultLocationCreatesAWALDatabaseInTheDataDirectory() async throws {
        try await withTemporaryDirectory { base in
            let dataDirectory = try DataDirectory(path: base + "/aiplat").create()
            let configuration = PlatformConfiguration.defaults
            let database = try await SQLDatabaseLocation(configuration: configuration, dataDirectory: dataDirectory).open()
            #expect(try await database.queryOne("PRAGMA journal_mode").string("journal_mode") == "wal")
            try await database.close()
            #expect(FileManager.default.fileExists(atPath: dataDirectory.databaseFile))
        }
    }
}
