import Logging

/// Human-readable log lines: `timestamp level label: message key=value ...`.
///
/// ```
/// 2025-01-31T08:05:09.042Z info aiplat.server: listening host=127.0.0.1 port=8080
/// ```
///
/// Metadata keys are sorted so lines are stable; an attached error is printed as `error=...`.
public struct TextLogHandler: LogHandler {
    public let label: String
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let output: LogOutput

    public init(
        label: String, level: Logger.Level = .info, output: LogOutput = .standardError,
        metadataProvider: Logger.MetadataProvider? = nil
    ) {
        self.label = label
        self.logLevel = level
        self.output = output
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = LogRendering.mergedMetadata(
            handler: metadata, provider: metadataProvider, event: event.metadata)
        if let error = event.error {
            merged["error"] = .string(String(describing: error))
        }
        var line = "\(LogTimestamp.now()) \(event.level) \(label): \(LogRendering.singleLine(event.message.description))"
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            line += " \(key)=\(LogRendering.textValue(value))"
        }
        output.write(line + "\n")
    }
}
