/// A mistake the CLI itself detected (a bad argument, a missing key, an unreadable file), as one line.
///
/// Library errors keep their own types; `ChainErrorReporter` turns both into the `error: ...` line.
struct ChainCLIError: Error, Sendable, CustomStringConvertible {
    /// What was wrong, in words, without any key material.
    let message: String

    init(_ message: String) {
        self.message = message
    }

    var description: String { message }
}
