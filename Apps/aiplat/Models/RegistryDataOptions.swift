import ArgumentParser
import Logging
import ModelRegistry
import PlatformCore

/// The registry's own data directory (as `aiplat serve` uses it), for the verbs that work on it
/// offline: `aiplat auth keys ...`, `aiplat models history` and `gc`.
struct RegistryDataOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "The registry's data directory (data_dir, default ~/.aiplat).") var dataDirectory: String?
    @Option(help: "A JSON config file to read instead of <data-dir>/config.json.") var config: String?

    /// Opens the database (creating the data directory when missing), runs `body`, and closes it.
    private func withDatabase<T>(
        _ body: (PlatformConfiguration, DataDirectory, any SQLDatabase, Logger) async throws -> T
    ) async throws -> T {
        var flags: [String: String] = [:]
        flags["data_dir"] = dataDirectory
        let configuration = try PlatformConfiguration.load(flags: flags, configFile: config)
        let directory = try DataDirectory(configuration: configuration).create()
        let logger = Logger(label: "aiplat.registry", factory: { _ in SwiftLogNoOpLogHandler() })
        let database = try await SQLDatabaseLocation(configuration: configuration, dataDirectory: directory).open(logger: logger)
        do {
            let result = try await body(configuration, directory, database, logger)
            try await database.close()
            return result
        } catch {
            try? await database.close()
            throw error
        }
    }

    func withService<T>(_ body: (RegistryService) async throws -> T) async throws -> T {
        try await withDatabase { configuration, directory, database, logger in
            try await body(RegistrySetup.makeService(configuration: configuration, dataDirectory: directory, database: database, logger: logger))
        }
    }

    /// The API key table (registry tables are created when missing).
    func withKeyStore<T>(_ body: (APIKeyStore) async throws -> T) async throws -> T {
        try await withDatabase { _, _, database, logger in
            try await RegistryService.migrate(database, logger: logger)
            return try await body(APIKeyStore(database: database))
        }
    }
}
