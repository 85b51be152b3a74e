import ArgumentParser
import Logging
import ModelRegistry
import PlatformCore

/// Where the key database is: the data directory (and config) as `aiplat serve` finds it.
struct KeyStoreOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "Data directory (data_dir, default ~/.aiplat).") var dataDirectory: String?
    @Option(help: "A JSON config file to read instead of <data-dir>/config.json.") var config: String?

    /// Opens the database (creating the data directory and registry tables when missing) and runs `body`.
    func withKeyStore<T>(_ body: (APIKeyStore) async throws -> T) async throws -> T {
        var flags: [String: String] = [:]
        flags["data_dir"] = dataDirectory
        let configuration = try PlatformConfiguration.load(flags: flags, configFile: config)
        let directory = try DataDirectory(configuration: configuration).create()
        let logger = Logger(label: "aiplat.auth", factory: { _ in SwiftLogNoOpLogHandler() })
        let database = try await SQLDatabaseLocation(configuration: configuration, dataDirectory: directory).open(logger: logger)
        do {
            try await RegistryService.migrate(database, logger: logger)
            let result = try await body(APIKeyStore(database: database))
            try await database.close()
            return result
        } catch {
            try? await database.close()
            throw error
        }
    }
}
