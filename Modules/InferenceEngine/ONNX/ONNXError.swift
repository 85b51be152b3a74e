/// Why loading or running an ONNX model failed; ``description`` is one line naming what was wrong.
public struct ONNXError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The file is not a readable ONNX model (corrupt, truncated, inconsistent).
        case invalidModel
        /// The graph uses operators (or versions, or dtypes) the engine does not implement.
        case unsupported
        /// A caller-supplied input is missing, unknown, or has the wrong dtype or shape.
        case invalidInput
        /// An operator rejected its inputs while running.
        case executionFailed
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
