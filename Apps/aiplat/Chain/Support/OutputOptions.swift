import ArgumentParser
import Foundation

/// `--json`: machine-readable output instead of cast's text.
struct OutputOptions: ParsableArguments {
    @Flag(name: [.customLong("json"), .customShort("j")], help: "Print the result as JSON (one line).")
    var json = false

    /// Prints `value` as one line of JSON with sorted keys.
    func printJSON(_ value: some Encodable) throws {
        try JSONOutput.print(value)
    }
}

/// One-line JSON on stdout: sorted keys, no escaped slashes, so output is stable and diffable.
enum JSONOutput {
    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        return String(decoding: data, as: UTF8.self)
    }

    static func print(_ value: some Encodable) throws {
        Console.line(try encode(value))
    }
}
