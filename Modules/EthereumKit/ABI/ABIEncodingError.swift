/// Why values could not be ABI-encoded as the given types: a value of the wrong kind, out of range,
/// or a count that does not match. `path` says which value (`argument 2[3].1`: the second argument's
/// fourth element's second component).
public struct ABIEncodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Where the offending value sits, or empty when the problem is the argument list itself.
    public internal(set) var path: String
    /// The canonical type the value was to be encoded as.
    public let type: String
    /// What was wrong, in words.
    public let reason: String

    public init(path: String = "", type: String, reason: String) {
        self.path = path
        self.type = type
        self.reason = reason
    }

    public var description: String {
        if path.isEmpty { return "cannot ABI-encode as \(type): \(reason)" }
        return "cannot ABI-encode \(path) as \(type): \(reason)"
    }

    /// The same error, located one level further out (`component` is `[3]`, `.1` or `argument 2`).
    func inside(_ component: String) -> ABIEncodingError {
        var copy = self
        copy.path = component + path
        return copy
    }
}
