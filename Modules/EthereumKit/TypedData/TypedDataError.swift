/// Why EIP-712 typed data could not be read, encoded or hashed, naming the type, field and value.
public struct TypedDataError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Where the problem is: `Mail.from.wallet`, `types.Person`, `domain.chainId`, or the JSON offset.
    public let path: String
    /// What was wrong, in words.
    public let reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String {
        path.isEmpty ? "invalid typed data: \(reason)" : "invalid typed data at \(path): \(reason)"
    }
}
