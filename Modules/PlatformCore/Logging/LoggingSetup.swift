import Logging
import Synchronization

/// Process-wide swift-log bootstrap for the `aiplat` executable.
///
/// Libraries never call this: they take a `Logger` parameter (defaulting to a no-op
/// `Logger(label:)`) and log through whatever the executable bootstrapped.
public enum LoggingSetup {
    private static let bootstrapped = Mutex(false)

    /// Installs ``TextLogHandler`` or ``JSONLogHandler`` writing to `output` (stderr) for every
    /// `Logger` created afterwards. swift-log allows one bootstrap per process; later calls are
    /// ignored and return false instead of crashing.
    @discardableResult
    public static func bootstrap(
        level: Logger.Level, format: LogFormat, output: LogOutput = .standardError,
        metadataProvider: Logger.MetadataProvider? = nil
    ) -> Bool {
        let first = bootstrapped.withLock { done in
            defer { done = true }
            return !done
        }
        guard first else { return false }
        LoggingSystem.bootstrap(
            { label, provider in
                makeHandler(label: label, level: level, format: format, output: output, metadataProvider: provider)
            },
            metadataProvider: metadataProvider)
        return true
    }

    /// Bootstraps from `log.level` and `log.format`.
    @discardableResult
    public static func bootstrap(configuration: PlatformConfiguration, output: LogOutput = .standardError) -> Bool {
        bootstrap(level: configuration.log.level, format: configuration.log.format, output: output)
    }

    /// A handler of the given format, for tests and for embedding without a global bootstrap:
    /// `Logger(label: "x") { LoggingSetup.makeHandler(label: $0, level: .debug, format: .json, output: capture) }`.
    public static func makeHandler(
        label: String, level: Logger.Level, format: LogFormat, output: LogOutput = .standardError,
        metadataProvider: Logger.MetadataProvider? = nil
    ) -> any LogHandler {
        switch format {
        case .text:
            TextLogHandler(label: label, level: level, output: output, metadataProvider: metadataProvider)
        case .json:
            JSONLogHandler(label: label, level: level, output: output, metadataProvider: metadataProvider)
        }
    }
}
