import Foundation

/// One row of the configuration key table: the single source of truth for a key's name, type,
/// default and documentation. The loader, ``PlatformConfiguration/describe()`` and
/// `docs/configuration.md` are all derived from ``PlatformConfiguration/keys``.
public struct ConfigurationKey: Sendable {
    /// The dotted key name, as used in the config file and in CLI overrides: `server.port`.
    public let name: String
    /// A short type name: `string`, `integer`, `URL`, `text | json`, ...
    public let typeName: String
    /// What a valid value looks like, as error messages say it: `integer in 0...65535`.
    public let expected: String
    /// The default value, written as it would be in the environment.
    public let defaultValue: String
    /// One sentence saying what the key controls.
    public let summary: String

    /// The environment variable that sets this key: `AIPLAT_` + the name in upper snake case
    /// (`server.port` -> `AIPLAT_SERVER_PORT`, `data_dir` -> `AIPLAT_DATA_DIR`).
    public var environmentVariable: String {
        "AIPLAT_" + name.uppercased().replacingOccurrences(of: ".", with: "_")
    }

    let applyDefault: @Sendable (inout PlatformConfiguration) -> Void
    /// Parses and stores the raw value; returns false when it does not parse.
    let apply: @Sendable (inout PlatformConfiguration, ConfigurationRawValue) -> Bool
    let currentValue: @Sendable (PlatformConfiguration) -> String

    init<Value: Sendable>(
        _ name: String,
        _ parser: ConfigurationValueParser<Value>,
        default defaultValue: Value,
        _ summary: String,
        _ keyPath: any WritableKeyPath<PlatformConfiguration, Value> & Sendable
    ) {
        self.name = name
        self.typeName = parser.typeName
        self.expected = parser.expected
        self.defaultValue = parser.format(defaultValue)
        self.summary = summary
        self.applyDefault = { $0[keyPath: keyPath] = defaultValue }
        self.apply = { configuration, raw in
            guard let value = parser.parse(raw) else { return false }
            configuration[keyPath: keyPath] = value
            return true
        }
        self.currentValue = { parser.format($0[keyPath: keyPath]) }
    }
}
