import Foundation

import Logging

/// How one key's value is parsed from text (environment, flags) or from JSON (the file), and
/// printed back canonically (docs, `describe()`).
///
/// Text is lenient in the way shells are (`8080`, `true`); JSON is typed: a string where an integer
/// belongs is rejected, because a config file that quotes numbers is usually a mistake.
struct ConfigurationValueParser<Value: Sendable>: Sendable {
    /// Short type name for the documentation table, e.g. `integer`, `string`, `text | json`.
    let typeName: String
    /// What a valid value looks like, for error messages, e.g. `integer in 0...65535`.
    let expected: String
    let parseText: @Sendable (String) -> Value?
    let parseJSON: @Sendable (JSONValue) -> Value?
    let format: @Sendable (Value) -> String

    func parse(_ raw: ConfigurationRawValue) -> Value? {
        switch raw {
        case .text(let text): parseText(text)
        case .json(let json): parseJSON(json)
        }
    }
}

/// A value as it arrived from one layer, before parsing.
enum ConfigurationRawValue: Sendable {
    case text(String)
    case json(JSONValue)

    /// The value quoted as the user wrote it, for error messages.
    var quoted: String {
        switch self {
        case .text(let text): "\"\(text)\""
        case .json(let json): json.jsonText
        }
    }
}

extension ConfigurationValueParser where Value == String {
    /// Any string (empty allowed).
    static var string: Self {
        Self(
            typeName: "string", expected: "a string",
            parseText: { $0 },
            parseJSON: { if case .string(let s) = $0 { s } else { nil } },
            format: { $0 }
        )
    }

    /// A file-system path; `~` is expanded where the path is used.
    static var path: Self {
        Self(
            typeName: "path", expected: "a path",
            parseText: { $0 },
            parseJSON: { if case .string(let s) = $0 { s } else { nil } },
            format: { $0 }
        )
    }

    /// A URL whose scheme is one of `schemes`; `allowsEmpty` lets `""` mean "use the built-in choice".
    static func url(schemes: [String], allowsEmpty: Bool) -> Self {
        let schemeList = schemes.map { "\($0)://" }.joined(separator: ", ")
        let expected = (allowsEmpty ? "empty or " : "") + "a URL starting with one of \(schemeList)"
        let parse: @Sendable (String) -> String? = { text in
            if text.isEmpty { return allowsEmpty ? text : nil }
            guard let separator = text.range(of: "://") else { return nil }
            let scheme = text[..<separator.lowerBound].lowercased()
            let rest = text[separator.upperBound...]
            guard schemes.contains(scheme), !rest.isEmpty, !text.contains(where: \.isWhitespace) else { return nil }
            return text
        }
        return Self(
            typeName: "URL", expected: expected,
            parseText: parse,
            parseJSON: { if case .string(let s) = $0 { parse(s) } else { nil } },
            format: { $0 }
        )
    }

    /// A BIP-39 style mnemonic: 12, 15, 18, 21 or 24 lowercase words separated by single spaces.
    /// (Word-list and checksum validation belong to the key derivation code, not to config.)
    static var mnemonic: Self {
        let parse: @Sendable (String) -> String? = { text in
            let words = text.split(separator: " ", omittingEmptySubsequences: false)
            guard [12, 15, 18, 21, 24].contains(words.count),
                words.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isLowercase } })
            else { return nil }
            return text
        }
        return Self(
            typeName: "mnemonic", expected: "12, 15, 18, 21 or 24 lowercase words separated by single spaces",
            parseText: parse,
            parseJSON: { if case .string(let s) = $0 { parse(s) } else { nil } },
            format: { $0 }
        )
    }
}

extension ConfigurationValueParser where Value == Int {
    /// A decimal integer within `range`.
    static func integer(in range: ClosedRange<Int>) -> Self {
        let expected =
            range.upperBound == Int.max ? "integer >= \(range.lowerBound)" : "integer in \(range.lowerBound)...\(range.upperBound)"
        return Self(
            typeName: "integer", expected: expected,
            parseText: { text in
                guard let value = Int(text), range.contains(value) else { return nil }
                return value
            },
            parseJSON: { json in
                switch json {
                case .integer(let value):
                    guard let value = Int(exactly: value), range.contains(value) else { return nil }
                    return value
                case .number(let value):
                    guard let value = Int(exactly: value), range.contains(value) else { return nil }
                    return value
                default:
                    return nil
                }
            },
            format: { String($0) }
        )
    }
}

extension ConfigurationValueParser where Value: RawRepresentable & CaseIterable & Sendable, Value.RawValue == String {
    /// One of the cases' raw values, matched case-insensitively in text.
    static var choice: Self {
        let names = Value.allCases.map(\.rawValue)
        let parse: @Sendable (String) -> Value? = { Value(rawValue: $0.lowercased()) }
        return Self(
            typeName: names.joined(separator: " | "), expected: "one of \(names.joined(separator: ", "))",
            parseText: parse,
            parseJSON: { if case .string(let s) = $0 { parse(s) } else { nil } },
            format: { $0.rawValue }
        )
    }
}

extension ConfigurationValueParser where Value == String {
    /// `database.url`: empty, `sqlite:///absolute/path`, or `postgres://...` / `postgresql://...`.
    static var databaseURL: Self {
        let parse: @Sendable (String) -> String? = { text in
            if text.isEmpty { return text }
            if text.hasPrefix("sqlite:///"), text.count > "sqlite:///".count { return text }
            if (text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")), !text.contains(where: \.isWhitespace) {
                return text
            }
            return nil
        }
        return Self(
            typeName: "URL", expected: "empty, sqlite:///absolute/path or postgres://user@host/db",
            parseText: parse,
            parseJSON: { if case .string(let s) = $0 { parse(s) } else { nil } },
            format: { $0 }
        )
    }
}
