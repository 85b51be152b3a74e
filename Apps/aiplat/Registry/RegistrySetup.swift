import Logging
import ModelRegistry
import PlatformCore

/// Builds the registry from the configuration: the local blob store and the database's registry
/// tables (migrated on open), limits and anonymous-pull patterns.
enum RegistrySetup {
    static func makeService(
        configuration: PlatformConfiguration, dataDirectory: DataDirectory, database: any SQLDatabase, logger: Logger
    ) async throws -> RegistryService {
        try await RegistryService.migrate(database, logger: logger)
        let store = try LocalBlobStore(root: configuration.registry.resolvedBlobDirectory(dataDirectory))
        store.removeStaleTemporaryFiles()
        return RegistryService(
            database: database, blobs: store,
            limits: RegistryLimits(
                maxBlobBytes: Int64(configuration.registry.maxBlobBytes),
                maxManifestBytes: configuration.registry.maxManifestBytes),
            anonymousPull: try configuration.registry.anonymousPullPatterns.map(RepositoryPattern.init),
            logger: logger)
    }
}
