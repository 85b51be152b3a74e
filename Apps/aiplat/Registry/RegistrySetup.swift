import Foundation
import Logging
import ModelRegistry
import PlatformCore

/// Builds the registry from the configuration: the blob store (local or S3) and the database's registry
/// tables (migrated on open), limits and anonymous-pull patterns.
enum RegistrySetup {
    static func makeService(
        configuration: PlatformConfiguration, dataDirectory: DataDirectory, database: any SQLDatabase, logger: Logger
    ) async throws -> RegistryService {
        try await RegistryService.migrate(database, logger: logger)
        let location = try BlobStoreLocation(
            configuration: configuration, dataDirectory: dataDirectory, environment: ProcessInfo.processInfo.environment)
        let store = try location.open()
        logger.info("registry blob store", metadata: ["location": "\(location)"])
        return RegistryService(
            database: database, blobs: store,
            limits: RegistryLimits(
                maxBlobBytes: Int64(configuration.registry.maxBlobBytes),
                maxManifestBytes: configuration.registry.maxManifestBytes),
            anonymousPull: try configuration.registry.anonymousPullPatterns.map(RepositoryPattern.init),
            tokens: RegistryTokenIssuer(secret: try RegistryTokenIssuer.loadOrCreateSecret(at: tokenSecretPath(dataDirectory))),
            logger: logger)
    }

    /// The secret that signs the token flow's bearer tokens, created 0600 on first use.
    static func tokenSecretPath(_ dataDirectory: DataDirectory) -> String {
        (dataDirectory.root as NSString).appendingPathComponent("registry-token-secret")
    }
}
