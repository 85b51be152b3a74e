/// Where the effective value of a configuration key came from.
///
/// Layers, lowest precedence first: ``default`` < ``file(path:)`` < ``environment(variable:)`` < ``flag``.
public enum ConfigurationSource: Sendable, Hashable, CustomStringConvertible {
    /// The built-in default from the key table.
    case `default`
    /// A JSON configuration file (`--config FILE`, or `config.json` in the data directory).
    case file(path: String)
    /// An `AIPLAT_*` environment variable.
    case environment(variable: String)
    /// A command-line flag, passed in by the CLI as an override keyed by the dotted key name.
    case flag

    public var description: String {
        switch self {
        case .default: "default"
        case .file(let path): "file \(path)"
        case .environment(let variable): "env \(variable)"
        case .flag: "flag"
        }
    }
}
