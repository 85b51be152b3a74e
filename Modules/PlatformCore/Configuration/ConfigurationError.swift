/// A configuration problem: a bad value, an unknown key, or an unreadable configuration file.
///
/// Every message names the key (or file) and the layer it came from, in one line, e.g.
/// `invalid value "abc" for server.port from env AIPLAT_SERVER_PORT: expected integer in 0...65535`.
public struct ConfigurationError: PlatformError, Equatable {
    /// The kind of configuration failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// A value that does not parse as the key's type or lies outside its range.
        public static let invalidValue = Code("invalid_value")
        /// A key that the key table does not define.
        public static let unknownKey = Code("unknown_key")
        /// A configuration file that is missing, unreadable, or not a JSON object.
        public static let invalidFile = Code("invalid_file")

        public var description: String { name }
    }

    /// What went wrong.
    public var code: Code
    /// The dotted key name concerned, when the problem is about one key.
    public var key: String?
    /// The layer the offending input came from.
    public var source: ConfigurationSource?
    public var message: String

    public var errorCode: String { "config.\(code)" }

    init(code: Code, key: String?, source: ConfigurationSource?, message: String) {
        self.code = code
        self.key = key
        self.source = source
        self.message = message
    }

    static func invalidValue(
        _ value: String, key: String, source: ConfigurationSource, expected: String
    ) -> ConfigurationError {
        ConfigurationError(
            code: .invalidValue, key: key, source: source,
            message: "invalid value \(value) for \(key) from \(source): expected \(expected)"
        )
    }

    static func unknownKey(_ key: String, source: ConfigurationSource) -> ConfigurationError {
        ConfigurationError(
            code: .unknownKey, key: key, source: source,
            message: "unknown configuration key \"\(key)\" in \(source) (see docs/configuration.md or `aiplat config docs`)"
        )
    }

    static func invalidFile(_ path: String, _ reason: String) -> ConfigurationError {
        ConfigurationError(
            code: .invalidFile, key: nil, source: .file(path: path),
            message: "configuration file \(path): \(reason)"
        )
    }
}
