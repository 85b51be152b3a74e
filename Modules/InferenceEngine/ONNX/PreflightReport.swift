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
    /// Parameters plus ``peakActivationBytes``.
    public let estimatedMemoryBytes: Int
    /// The largest total size of the values alive at once when the graph runs in order with every
    /// value freed after its last reader (what the executor's memory plan does), at batch 1
    /// (symbolic axes count as 1), from ``ShapeInference``; values of unknown shape count as empty.
    public let peakActivationBytes: Int
    /// How many of the graph's node outputs have a statically known shape.
    public let inferredShapes: Int
    public let nodeOutputs: Int
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
        let shapes = ShapeInference(model: model)
        func bytes(_ name: String) -> Int {
            guard let shape = shapes[name], model.graph.initializers[name] == nil else { return 0 }
            let elements = shape.dims.reduce(1) { total, dim in
                if case let .value(size) = dim { return total * max(size, 0) }
                return total
            }
            return elements * (shape.dtype.map { $0 == .string ? 16 : $0.byteSize } ?? 4)
        }
        let available = Set(model.graph.initializers.keys).union(model.graph.inputs.map(\.name))
        let ordered = (try? ExecutionPlan.topologicalOrder(model.graph.nodes, available: available)) ?? model.graph.nodes
        var lastReader = [String: Int]()
        for (index, node) in ordered.enumerated() { for input in node.inputs where !input.isEmpty { lastReader[input] = index } }
        let kept = Set(model.graph.outputs.map(\.name))
        var live = model.graph.requiredInputs.reduce(0) { $0 + bytes($1.name) }
        var peak = live
        for (index, node) in ordered.enumerated() {
            live += node.outputs.filter { !$0.isEmpty }.reduce(0) { $0 + bytes($1) }
            peak = max(peak, live)
            for input in Set(node.inputs) where !input.isEmpty && lastReader[input] == index && !kept.contains(input) { live -= bytes(input) }
        }
        peakActivationBytes = peak
        let produced = model.graph.nodes.flatMap(\.outputs).filter { !$0.isEmpty }
        nodeOutputs = produced.count
        inferredShapes = produced.filter { shapes[$0] != nil }.count
        estimatedMemoryBytes = parameterBytes + peak
        inputs = model.graph.requiredInputs.map { "\($0.name): \($0.type)" }
        outputs = model.graph.outputs.map { "\($0.name): \($0.type)" }
        opsets = model.opsets
        if !operators.allSatisfy(\.supported) { notes.append("graph has unsupported operators") }
        determinismNotes = notes
        deterministic = notes.isEmpty
    }
}
