import Logging

/// JSON lines, one object per record, for log shippers:
///
/// ```
/// {"timestamp":"2025-01-31T08:05:09.042Z","level":"info","label":"aiplat.server","message":"listening","metadata":{"port":"8080"}}
/// ```
///
/// Fields are always in this order; `metadata` (keys sorted) and `error` appear only when present.
public struct JSONLogHandler: LogHandler {
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
        let merged = LogRendering.mergedMetadata(
            handler: metadata, provider: metadataProvider, event: event.metadata)
        var line = "{\"timestamp\":\"\(LogTimestamp.now())\",\"level\":\"\(event.level)\""
        line += ",\"label\":\(LogRendering.jsonString(label))"
        line += ",\"message\":\(LogRendering.jsonString(event.message.description))"
        if !merged.isEmpty {
            line += ",\"metadata\":\(LogRendering.jsonObject(merged))"
        }
        if let error = event.error {
            line += ",\"error\":\(LogRendering.jsonString(String(describing: error)))"
        }
        output.write(line + "}\n")
    }
}
