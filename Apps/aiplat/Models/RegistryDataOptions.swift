import ArgumentParser
import Logging
import ModelRegistry
import PlatformCore

/// The registry's own data directory (as `aiplat serve` uses it), for the verbs that work on it
/// offline: `history` and `gc`.
struct RegistryDataOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "The registry's data directory (data_dir, default ~/.aiplat).") var dataDirectory: String?
    @Option(help: "A JSON config file to read instead of <data-dir>/config.json.") var config: String?

    func withService<T>(_ body: (RegistryService) async throws -> T) async throws -> T {
        var flags: [String: String] = [:]
        flags["data_dir"] = dataDirectory
        let configuration = try PlatformConfiguration.load(flags: flags, configFile: config)
        let directory = try DataDirectory(configuration: configuration).create()
        let logger = Logger(label: "aiplat.models", factory: { _ in SwiftLogNoOpLogHandler() })
        let database = try await SQLDatabaseLocation(configuration: configuration, dataDirectory: directory).open(logger: logger)
        do {
            let service = try await RegistrySetup.makeService(
                configuration: configuration, dataDirectory: directory, database: database, logger: logger)
            let result = try await body(service)
            try await database.close()
            return result
        } catch {
            try? await database.close()
            throw error
        }
    }
}
