/// Why the devchain could not be found, started or reached.
public struct DevchainError: Error, Sendable, CustomStringConvertible {
    public let message: String
    /// The last lines the process wrote, when it printed any.
    public let outputTail: String?

    public init(_ message: String, outputTail: String? = nil) {
        self.message = message
        self.outputTail = outputTail
    }

    public var description: String {
        guard let outputTail, !outputTail.isEmpty else { return message }
        let lastLine = outputTail.split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
        return "\(message); last output: \(lastLine.prefix(300))"
    }
}
