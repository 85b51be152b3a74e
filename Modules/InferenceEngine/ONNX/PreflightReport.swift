/// What `aiplat models check` prints: the operators a graph uses (with domain and opset), which the
/// engine lacks and which nodes use them, parameter count, an estimate of memory, and whether
/// determinism mode can be guaranteed.
public struct PreflightReport: Sendable, Codable {
    public struct Operator: Sendable, Codable {
        public let domain: String
        public let opType: String
        public let opset: Int
        public let nodeCount: Int
        public let supported: Bool
        /// Nodes using it (all of them for unsupported operators, else the first few).
        public let nodes: [String]

        /// `ai.onnx:Foo (opset 17) used by a, b`.
        public var summary: String {
            let shown = nodes.prefix(8).joined(separator: ", ") + (nodes.count > 8 ? ", ... (\(nodes.count) nodes)" : "")
            return "\(domain.isEmpty ? "ai.onnx" : domain):\(opType) (opset \(opset)) used by \(shown)"
        }
    }

    public let operators: [Operator]
    public let parameterCount: Int
    public let parameterBytes: Int
    /// Parameters plus the largest declared activation sizes (batch 1 for symbolic axes); a lower
    /// bound when the exporter recorded no intermediate shapes.
    public let estimatedMemoryBytes: Int
    public let inputs: [String]
    public let outputs: [String]
    public let opsets: [String: Int]
    public let deterministic: Bool
    /// Why determinism cannot be guaranteed, if it cannot.
    public let determinismNotes: [String]

    public var unsupported: [Operator] { operators.filter { !$0.supported } }

    public init(model: ONNXModel) {
        var grouped = [String: (domain: String, opType: String, nodes: [String])]()
        var order = [String]()
        for node in model.graph.nodes {
            let key = "\(node.domain)\u{0}\(node.opType)"
            if grouped[key] == nil { order.append(key); grouped[key] = (node.domain, node.opType, []) }
            grouped[key]?.nodes.append(node.displayName)
        }
        var notes = [String]()
        operators = order.compactMap { key in
            guard let entry = grouped[key] else { return nil }
            let opset = model.opsets[entry.domain] ?? 1
            let definition = OperatorRegistry.definition(domain: entry.domain, opType: entry.opType)
            let supported = definition.map { opset >= $0.sinceVersion } ?? false
            if let definition, !definition.deterministic {
                notes.append("\(entry.opType) depends on thread scheduling")
            }
            return Operator(domain: entry.domain, opType: entry.opType, opset: opset, nodeCount: entry.nodes.count, supported: supported, nodes: entry.nodes)
        }
        parameterCount = model.parameterCount
        parameterBytes = model.parameterBytes
        var activations = 0
        for info in model.graph.inputs + model.graph.outputs + Array(model.graph.valueInfo.values) {
            guard case let .tensor(_, dtype?, shape?) = info.type else { continue }
            let elements = shape.reduce(1) { total, dim in
                if case let .value(size) = dim { return total * max(size, 0) }
                return total
            }
            activations += elements * max(dtype.byteSize, 8)
        }
        estimatedMemoryBytes = parameterBytes + activations
        inputs = model.graph.requiredInputs.map { "\($0.name): \($0.type)" }
        outputs = model.graph.outputs.map { "\($0.name): \($0.type)" }
        opsets = model.opsets
        if !operators.allSatisfy(\.supported) { notes.append("graph has unsupported operators") }
        determinismNotes = notes
        deterministic = notes.isEmpty
    }
}
