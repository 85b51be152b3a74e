import Foundation

/// Where finished log lines go. Each call receives one complete line including its newline and
/// must write it in one piece, so lines from concurrent tasks never interleave.
public struct LogOutput: Sendable {
    /// Writes one complete line.
    public let write: @Sendable (String) -> Void

    public init(write: @escaping @Sendable (String) -> Void) {
        self.write = write
    }

    /// Standard error: one `write(2)` per line (FileHandle writes the whole buffer in one call),
    /// which keeps lines intact under concurrency.
    public static let standardError = LogOutput { line in
        FileHandle.standardError.write(Data(line.utf8))
    }
}
