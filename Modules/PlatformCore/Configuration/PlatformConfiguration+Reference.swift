import Foundation

extension PlatformConfiguration {
    /// The effective configuration, one key per line with the layer its value came from, for
    /// `aiplat config show` and the server's start-up log. Passwords inside URLs are masked.
    ///
    /// ```
    /// server.host          127.0.0.1               default
    /// server.port          9000                    env AIPLAT_SERVER_PORT
    /// ```
    public func describe() -> String {
        let rows = Self.keys.map { key -> (String, String, String) in
            let value = key.typeName == "URL" ? Self.maskingPassword(in: key.currentValue(self)) : key.currentValue(self)
            let shown = value.isEmpty ? "\"\"" : value
            return (key.name, shown, (sources[key.name] ?? .default).description)
        }
        let nameWidth = rows.map(\.0.count).max() ?? 0
        let valueWidth = rows.map(\.1.count).max() ?? 0
        return rows.map { name, value, source in
            name.padding(toLength: nameWidth + 2, withPad: " ", startingAt: 0)
                + value.padding(toLength: valueWidth + 2, withPad: " ", startingAt: 0) + source
        }.joined(separator: "\n") + "\n"
    }

    /// The text of `docs/configuration.md`, generated from the key table (exposed as `aiplat config docs`).
    /// A test keeps the committed file equal to this text.
    public static func markdownReference() -> String {
        var lines: [String] = [
            "# Configuration",
            "",
            "<!-- Generated from PlatformConfiguration.keys (Modules/PlatformCore/Configuration). Do not edit by hand:",
            "     regenerate with `aiplat config docs > docs/configuration.md`, or",
            "     `AIPLAT_REGENERATE_DOCS=1 swift test --skip-build --filter ConfigurationReferenceTests`. -->",
            "",
            "Every setting has a built-in default and can be overridden, in increasing order of precedence, by:",
            "",
            "1. a JSON config file: `--config FILE`, or `config.json` in the data directory when present",
            "   (that file cannot itself move the data directory);",
            "2. an environment variable: `AIPLAT_` followed by the key in upper snake case",
            "   (`server.port` -> `AIPLAT_SERVER_PORT`, `data_dir` -> `AIPLAT_DATA_DIR`);",
            "3. a command-line flag (for example `aiplat serve --port 9000`).",
            "",
            "The config file is one JSON object. Keys may be nested or dotted, and values are typed",
            "(numbers unquoted); an unknown key or a wrongly typed value is an error naming the key and the file:",
            "",
            "```json",
            "{",
            "  \"server\": { \"host\": \"0.0.0.0\", \"port\": 9000 },",
            "  \"log.level\": \"debug\"",
            "}",
            "```",
            "",
            "`aiplat config show` prints the effective value of every key and where it came from.",
            "",
            "| Key | Accepted values | Default | Environment variable | Description |",
            "| --- | --- | --- | --- | --- |",
        ]
        for key in keys {
            let defaultValue = key.defaultValue.isEmpty ? "(empty)" : "`\(key.defaultValue)`"
            lines.append(
                "| `\(key.name)` | \(escapeTableCell(key.expected)) | \(escapeTableCell(defaultValue)) | `\(key.environmentVariable)` | \(escapeTableCell(key.summary)) |"
            )
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func escapeTableCell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    /// `postgres://user:secret@host/db` -> `postgres://user:***@host/db`.
    static func maskingPassword(in url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let afterScheme = url[schemeEnd.upperBound...]
        let authorityEnd = afterScheme.firstIndex(of: "/") ?? afterScheme.endIndex
        let authority = afterScheme[..<authorityEnd]
        guard let at = authority.lastIndex(of: "@"),
            let colon = authority[..<at].firstIndex(of: ":")
        else { return url }
        return String(url[..<authority.index(after: colon)]) + "***" + String(url[at...])
    }
}
