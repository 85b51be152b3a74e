/// A tensor operation was given arguments it cannot work with. The description is one line naming
/// the operation and what was wrong.
public struct TensorError: Error, Sendable, CustomStringConvertible, Equatable {
    /// What kind of problem it was, for callers that branch on it.
    public enum Kind: Sendable, Equatable {
        case shapeMismatch, invalidShape, indexOutOfRange, dtypeMismatch, unsupportedDType, allocationFailed
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
