import Foundation
import Logging

/// Formatting shared by ``TextLogHandler`` and ``JSONLogHandler``.
enum LogRendering {
    /// Handler metadata < metadata provider < the call's own metadata (the most specific wins).
    static func mergedMetadata(
        handler: Logger.Metadata, provider: Logger.MetadataProvider?, event: Logger.Metadata?
    ) -> Logger.Metadata {
        var merged = handler
        if let provided = provider?.get(), !provided.isEmpty {
            merged.merge(provided) { _, new in new }
        }
        if let event, !event.isEmpty {
            merged.merge(event) { _, new in new }
        }
        return merged
    }

    // MARK: Text

    /// `key=value`, quoting values that contain spaces, quotes, `=` or control characters (logfmt style).
    static func textValue(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let string): quotedIfNeeded(string)
        case .stringConvertible(let convertible): quotedIfNeeded(convertible.description)
        case .array(let array): "[" + array.map(textValue).joined(separator: ", ") + "]"
        case .dictionary(let dictionary):
            "[" + dictionary.sorted { $0.key < $1.key }.map { "\($0.key): \(textValue($0.value))" }
                .joined(separator: ", ") + "]"
        }
    }

    static func quotedIfNeeded(_ string: String) -> String {
        let needsQuotes =
            string.isEmpty
            || string.unicodeScalars.contains { $0 == " " || $0 == "\"" || $0 == "=" || $0.value < 0x20 }
        guard needsQuotes else { return string }
        var quoted = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            case "\r": quoted += "\\r"
            case "\t": quoted += "\\t"
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "\""
    }

    /// A message on one line: embedded newlines would split a log record across lines.
    static func singleLine(_ string: String) -> String {
        guard string.contains(where: \.isNewline) else { return string }
        return string.replacingOccurrences(of: "\r\n", with: "\\n").replacingOccurrences(of: "\n", with: "\\n")
            .replacingOccurrences(of: "\r", with: "\\r")
    }

    // MARK: JSON

    static func jsonValue(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let string): jsonString(string)
        case .stringConvertible(let convertible): jsonString(convertible.description)
        case .array(let array): "[" + array.map(jsonValue).joined(separator: ",") + "]"
        case .dictionary(let dictionary): jsonObject(dictionary)
        }
    }

    static func jsonObject(_ dictionary: Logger.Metadata) -> String {
        "{" + dictionary.sorted { $0.key < $1.key }.map { "\(jsonString($0.key)):\(jsonValue($0.value))" }
            .joined(separator: ",") + "}"
    }

    /// A JSON string literal (RFC 8259 escaping; non-ASCII passes through as UTF-8).
    static func jsonString(_ string: String) -> String {
        var escaped = "\""
        escaped.reserveCapacity(string.utf8.count + 2)
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                escaped += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped + "\""
    }
}
