/// Why a type string, a human-readable signature, a JSON ABI entry or a CLI-style value was refused.
public struct ABIParsingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was being parsed: "ABI type", "signature", "value for uint256", ...
    public let subject: String
    /// The text that was refused (shortened to 120 characters).
    public let input: String
    /// What was wrong, in words.
    public let reason: String
    /// Byte offset in `input` where the problem was found, when it has one.
    public let offset: Int?

    public init(subject: String, input: String, reason: String, offset: Int? = nil) {
        self.subject = subject
        self.input = input.count > 120 ? String(input.prefix(117)) + "..." : input
        self.reason = reason
        self.offset = offset
    }

    public var description: String {
        if let offset {
            return "invalid \(subject) \"\(input)\" at offset \(offset): \(reason)"
        }
        return "invalid \(subject) \"\(input)\": \(reason)"
    }
}
