/// A graph in our own form, converted once from the protobuf at load time: operators read typed
/// attributes and tensors, never protobuf messages.
public struct ONNXGraph: Sendable {
    public var name: String
    public var nodes: [ONNXNode]
    public var inputs: [ONNXValueInfo]
    public var outputs: [ONNXValueInfo]
    /// Weights and other constants, by value name.
    public var initializers: [String: Tensor]
    /// Intermediate value types the exporter recorded (optional in ONNX).
    public var valueInfo: [String: ONNXValueInfo]

    public init(
        name: String, nodes: [ONNXNode], inputs: [ONNXValueInfo], outputs: [ONNXValueInfo],
        initializers: [String: Tensor], valueInfo: [String: ONNXValueInfo] = [:]
    ) {
        self.name = name
        self.nodes = nodes
        self.inputs = inputs
        self.outputs = outputs
        self.initializers = initializers
        self.valueInfo = valueInfo
    }

    /// Graph inputs a caller must feed: declared inputs that no initializer provides.
    public var requiredInputs: [ONNXValueInfo] { inputs.filter { initializers[$0.name] == nil } }
}

/// One operator application.
public struct ONNXNode: Sendable {
    public var name: String
    public var opType: String
    /// `""` for the default `ai.onnx` domain (both spellings load as `""`).
    public var domain: String
    /// Value names; `""` marks an omitted optional input or output.
    public var inputs: [String]
    public var outputs: [String]
    public var attributes: [String: ONNXAttribute]

    public init(name: String, opType: String, domain: String = "", inputs: [String], outputs: [String], attributes: [String: ONNXAttribute] = [:]) {
        self.name = name
        self.opType = opType
        self.domain = domain
        self.inputs = inputs
        self.outputs = outputs
        self.attributes = attributes
    }

    /// How errors and reports name the node: its name, or its type and first output.
    public var displayName: String { name.isEmpty ? "\(opType)(\(outputs.first ?? ""))" : name }
}

/// A node attribute value.
public enum ONNXAttribute: Sendable {
    case float(Float)
    case int(Int)
    case string(String)
    case tensor(Tensor)
    case graph(ONNXGraph)
    case floats([Float])
    case ints([Int])
    case strings([String])
    case tensors([Tensor])
    case graphs([ONNXGraph])
}

/// The declared name and type of a graph input, output or intermediate value.
public struct ONNXValueInfo: Sendable {
    public var name: String
    public var type: ONNXType

    public init(name: String, type: ONNXType) {
        self.name = name
        self.type = type
    }
}

/// An ONNX value type, as far as the engine distinguishes them.
public indirect enum ONNXType: Sendable, CustomStringConvertible {
    /// `dtype` is nil when the element type is one the engine does not hold (`elementType` keeps
    /// the ONNX code for messages). `shape` is nil when unknown.
    case tensor(elementType: Int, dtype: DType?, shape: [ONNXDimension]?)
    case sequence(ONNXType)
    case map(keyType: Int, value: ONNXType)
    case optional(ONNXType)
    case other(String)

    public var description: String {
        switch self {
        case let .tensor(elementType, dtype, shape):
            let element = dtype.map { ONNXElementType.oipName(for: $0) } ?? ONNXElementType.name(of: elementType)
            guard let shape else { return "tensor(\(element))" }
            return "tensor(\(element))[\(shape.map(\.description).joined(separator: ","))]"
        case let .sequence(element): return "seq(\(element))"
        case let .map(key, value): return "map(\(ONNXElementType.name(of: key)),\(value))"
        case let .optional(element): return "optional(\(element))"
        case let .other(name): return name
        }
    }
}

/// One axis of a declared shape.
public enum ONNXDimension: Sendable, Equatable, CustomStringConvertible {
    case value(Int)
    case symbol(String)
    case unknown

    public var description: String {
        switch self {
        case let .value(size): "\(size)"
        case let .symbol(name): name
        case .unknown: "?"
        }
    }
}
