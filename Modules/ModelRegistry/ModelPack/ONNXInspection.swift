import Foundation

/// What the inference engine's pre-flight check reports about an ONNX file. ModelRegistry does not
/// import InferenceEngine (both sit low in the layering), so the caller passes an inspector that
/// produces this.
public struct ONNXInspection: Sendable, Equatable {
    public var parameterCount: Int
    /// `domain:OpType`, sorted.
    public var operators: [String]
    public var deterministic: Bool
    /// Element types of the initializers, e.g. `F32`.
    public var precision: String?

    public init(parameterCount: Int, operators: [String], deterministic: Bool, precision: String? = nil) {
        self.parameterCount = parameterCount
        self.operators = operators
        self.deterministic = deterministic
        self.precision = precision
    }
}

/// Parses an ONNX file (URL, name shown in errors) or throws why it does not parse.
public typealias ONNXInspector = @Sendable (URL, String) throws -> ONNXInspection
