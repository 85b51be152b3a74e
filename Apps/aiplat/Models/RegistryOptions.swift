import ArgumentParser
import Foundation
import Logging
import ModelRegistry
import PlatformCore

/// Where the registry is and which key to use, shared by the `models` verbs that talk to one.
/// URL: the name's registry part, else `--registry`, else `AIPLAT_REGISTRY`, else what `login`
/// stored last, else http://127.0.0.1:8080. Key: `--api-key`, else `AIPLAT_API_KEY`, else what
/// `login` stored for that URL.
struct RegistryOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Registry URL (default: AIPLAT_REGISTRY or http://127.0.0.1:8080).", valueName: "URL"))
    var registry: String?

    @Option(name: .customLong("api-key"), help: ArgumentHelp("API key (default: AIPLAT_API_KEY or the one `login` stored).", valueName: "KEY"))
    var apiKey: String?

    @Option(name: .customLong("data-dir"), help: "Data directory: local model cache and stored logins (data_dir, default ~/.aiplat).")
    var dataDirectoryPath: String?

    @Option(help: "A JSON config file to read instead of <data-dir>/config.json.")
    var config: String?

    static let defaultRegistry = "http://127.0.0.1:8080"

    func configuration() throws -> PlatformConfiguration {
        var flags: [String: String] = [:]
        flags["data_dir"] = dataDirectoryPath
        return try PlatformConfiguration.load(flags: flags, configFile: config)
    }

    func dataDirectory() throws -> DataDirectory {
        try DataDirectory(configuration: configuration()).create()
    }

    func cache() throws -> ModelCache {
        try ModelCache(root: ModelCache.join(dataDirectory().root, "models"))
    }

    /// The registry URL for `reference` (its registry part wins).
    func registryURL(for reference: ModelReference?) throws -> String {
        let environment = ProcessInfo.processInfo.environment
        var url: String
        if let host = reference?.registry {
            url = "http://\(host)"
        } else if let registry {
            url = registry
        } else if let fromEnvironment = environment["AIPLAT_REGISTRY"], !fromEnvironment.isEmpty {
            url = fromEnvironment
        } else if let stored = try? RegistryLogins.load(dataDirectory()).lastRegistry {
            url = stored
        } else {
            url = Self.defaultRegistry
        }
        if !url.hasPrefix("http://") && !url.hasPrefix("https://") { url = "http://" + url }
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }

    func key(for url: String) throws -> String? {
        if let apiKey { return apiKey }
        if let fromEnvironment = ProcessInfo.processInfo.environment["AIPLAT_API_KEY"], !fromEnvironment.isEmpty { return fromEnvironment }
        return try RegistryLogins.load(dataDirectory()).keys[url]
    }

    func client(for reference: ModelReference?) throws -> RegistryClient {
        let url = try registryURL(for: reference)
        return RegistryClient(
            baseURL: url, apiKey: try key(for: url), logger: Logger(label: "aiplat.models", factory: { _ in SwiftLogNoOpLogHandler() }))
    }
}
