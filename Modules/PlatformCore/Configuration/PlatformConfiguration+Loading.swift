import Foundation

extension PlatformConfiguration {
    /// The name of the optional config file looked up in the data directory.
    public static let configFileName = "config.json"

    /// Loads the effective configuration: defaults < config file < `AIPLAT_*` environment < `flags`.
    ///
    /// - Parameters:
    ///   - flags: command-line overrides keyed by dotted key name (`["server.port": "9000"]`), as the
    ///     CLI collects them from its options. An unknown key is an error.
    ///   - configFile: an explicit JSON config file (`--config FILE`); it must exist. When nil,
    ///     `<data_dir>/config.json` is read if present, where `data_dir` comes from flags, then the
    ///     environment, then the default (that file may not itself set `data_dir`).
    ///   - environment: the process environment; only variables of known keys are read, so unrelated
    ///     `AIPLAT_*` variables (such as `AIPLAT_PRIVATE_KEY`) are ignored.
    /// - Returns: the configuration with ``sources`` recording the layer each value came from.
    /// - Throws: ``ConfigurationError`` naming the key, the layer and the expected type.
    ///
    /// The file is a JSON object; keys may be nested (`{"server": {"port": 9000}}`) or dotted
    /// (`{"server.port": 9000}`). Unknown keys in the file are errors.
    public static func load(
        flags: [String: String] = [:],
        configFile: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> PlatformConfiguration {
        var configuration = PlatformConfiguration.defaults
        let home = PathExpansion.homeDirectory(environment: environment)

        if let configFile {
            let path = PathExpansion.expand(configFile, homeDirectory: home)
            guard FileManager.default.fileExists(atPath: path) else {
                throw ConfigurationError.invalidFile(path, "no such file")
            }
            try configuration.applyFile(at: path, mayChangeDataDirectory: true)
        } else {
            let dataDirectory =
                flags["data_dir"]
                ?? environment[key(named: "data_dir")?.environmentVariable ?? "AIPLAT_DATA_DIR"]
                ?? configuration.dataDirectory
            let path = PathExpansion.join(
                PathExpansion.expand(dataDirectory, homeDirectory: home), configFileName)
            if FileManager.default.fileExists(atPath: path) {
                try configuration.applyFile(at: path, mayChangeDataDirectory: false)
            }
        }

        for key in keys {
            let variable = key.environmentVariable
            if let text = environment[variable] {
                try configuration.apply(.text(text), to: key, from: .environment(variable: variable))
            }
        }

        for (name, text) in flags.sorted(by: { $0.key < $1.key }) {
            guard let key = key(named: name) else { throw ConfigurationError.unknownKey(name, source: .flag) }
            try configuration.apply(.text(text), to: key, from: .flag)
        }
        return configuration
    }

    private mutating func apply(
        _ raw: ConfigurationRawValue, to key: ConfigurationKey, from source: ConfigurationSource
    ) throws {
        guard key.apply(&self, raw) else {
            throw ConfigurationError.invalidValue(raw.quoted, key: key.name, source: source, expected: key.expected)
        }
        sources[key.name] = source
    }

    private mutating func applyFile(at path: String, mayChangeDataDirectory: Bool) throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigurationError.invalidFile(path, "cannot read: \(error.localizedDescription)")
        }
        let root: JSONValue
        do {
            root = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw ConfigurationError.invalidFile(path, "not valid JSON (\(Self.describeDecodingError(error)))")
        }
        guard case .object(let object) = root else {
            throw ConfigurationError.invalidFile(path, "expected a JSON object at the top level, got \(root.jsonText)")
        }

        var entries: [(name: String, value: JSONValue)] = []
        Self.flatten(object, prefix: "", into: &entries)
        let source = ConfigurationSource.file(path: path)
        var seen = Set<String>()
        for (name, value) in entries.sorted(by: { $0.name < $1.name }) {
            guard let key = Self.key(named: name) else { throw ConfigurationError.unknownKey(name, source: source) }
            guard seen.insert(name).inserted else {
                throw ConfigurationError(
                    code: .invalidFile, key: name, source: source,
                    message: "configuration file \(path): key \(name) is given twice")
            }
            if name == "data_dir", !mayChangeDataDirectory {
                throw ConfigurationError(
                    code: .invalidFile, key: name, source: source,
                    message:
                        "configuration file \(path): data_dir cannot be set inside the data directory's own config file; use --data-dir, AIPLAT_DATA_DIR or --config"
                )
            }
            try apply(.json(value), to: key, from: source)
        }
    }

    /// Nested objects become dotted names; every other value is a leaf.
    private static func flatten(
        _ object: [String: JSONValue], prefix: String, into entries: inout [(name: String, value: JSONValue)]
    ) {
        for (name, value) in object {
            let fullName = prefix.isEmpty ? name : "\(prefix).\(name)"
            if case .object(let nested) = value {
                flatten(nested, prefix: fullName, into: &entries)
            } else {
                entries.append((fullName, value))
            }
        }
    }

    /// JSONDecoder's errors are multi-line debug dumps; keep the one useful phrase.
    private static func describeDecodingError(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            let underlying = (context.underlyingError as? NSError)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return (underlying ?? context.debugDescription).replacingOccurrences(of: "\n", with: " ")
        }
        return String(describing: error).replacingOccurrences(of: "\n", with: " ")
    }
}
