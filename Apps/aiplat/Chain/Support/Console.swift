import Foundation

/// Where commands write: results on stdout, diagnostics on stderr.
enum Console {
    /// Writes one line of output (a result) to stdout.
    static func line(_ text: String) {
        print(text)
    }

    /// Writes `text` to stderr followed by a newline.
    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
