/// What an operator sees when it runs: its node (attributes), the opset version in force for its
/// domain, its input values, and the execution options.
struct OperatorContext {
    /// The compiled step: the node, its opset, its plan-time preparation. Held by reference so a
    /// context costs one retain however large the node is.
    let step: ExecutionPlan.Step
    /// During a run: the run's value table, read in place through `step.inputs` (no per-step array
    /// of copied inputs). The executor creates the context inside `withUnsafeBufferPointer` over
    /// the table (and the plan's constant table) and does not touch the table until the operator
    /// returns, and operators never keep their context, so the pointers never outlive the buffers.
    private let table: UnsafeBufferPointer<ONNXValue?>?
    /// During a run: the plan's constants by slot (read where the run's table has nothing).
    private let constantTable: UnsafeBufferPointer<ONNXValue?>?
    /// Outside a run (folding, preparation, tests): the inputs themselves.
    private let list: [ONNXValue?]
    let options: ExecutionOptions

    var node: ONNXNode { step.node }
    var opset: Int { step.opset }
    /// What the operator's `prepare` built from the node's attributes at plan time, if anything.
    var prepared: (any Sendable)? { step.prepared }

    init(step: ExecutionPlan.Step, table: UnsafeBufferPointer<ONNXValue?>, constants: UnsafeBufferPointer<ONNXValue?>, options: ExecutionOptions) {
        self.step = step
        self.table = table
        constantTable = constants
        list = []
        self.options = options
    }

    init(step: ExecutionPlan.Step, inputs: [ONNXValue?], options: ExecutionOptions) {
        self.step = step
        table = nil
        constantTable = nil
        list = inputs
        self.options = options
    }

    /// A context outside a compiled plan (constant folding, plan-time preparation, tests).
    init(node: ONNXNode, opset: Int, inputs: [ONNXValue?], options: ExecutionOptions) {
        step = ExecutionPlan.Step(node: node, definition: OperatorRegistry.placeholder, opset: opset, inputs: [], outputs: [], releases: [])
        table = nil
        constantTable = nil
        list = inputs
        self.options = options
    }

    /// Input `index`, nil when absent.
    func input(_ index: Int) -> ONNXValue? {
        if let table {
            guard index >= 0, index < step.inputs.count, let slot = step.inputs[index] else { return nil }
            if let value = table[slot] { return value }
            return constantTable?[slot] ?? nil
        }
        return index >= 0 && index < list.count ? list[index] : nil
    }

    var inputCount: Int { table != nil ? step.inputs.count : list.count }
    /// Number of outputs the graph asks for (`""` outputs count: they are positional).
    var outputCount: Int { node.outputs.count }
    func wantsOutput(_ index: Int) -> Bool { index < node.outputs.count && !node.outputs[index].isEmpty }

    func fail(_ message: String) -> ONNXError {
        ONNXError(.executionFailed, "\(node.opType) node \(node.displayName): \(message)")
    }

    /// A required tensor input.
    func tensor(_ index: Int) throws -> Tensor {
        guard let value = input(index) else { throw fail("input \(index) is missing") }
        guard case let .tensor(tensor) = value else { throw fail("input \(index) must be a tensor, got \(value.typeDescription)") }
        return tensor
    }

    /// An optional tensor input (absent, empty name, or beyond the node's input list -> nil).
    func optionalTensor(_ index: Int) throws -> Tensor? {
        guard let value = input(index) else { return nil }
        guard case let .tensor(tensor) = value else { throw fail("input \(index) must be a tensor, got \(value.typeDescription)") }
        return tensor
    }

    func value(_ index: Int) throws -> ONNXValue {
        guard let value = input(index) else { throw fail("input \(index) is missing") }
        return value
    }

    // MARK: Attributes

    func int(_ name: String) -> Int? { node.int(name) }
    func int(_ name: String, default value: Int) -> Int { int(name) ?? value }
    func float(_ name: String) -> Float? { node.float(name) }
    func float(_ name: String, default value: Float) -> Float { float(name) ?? value }
    func string(_ name: String) -> String? { node.string(name) }
    func string(_ name: String, default value: String) -> String { string(name) ?? value }
    func ints(_ name: String) -> [Int]? { node.ints(name) }
    func floats(_ name: String) -> [Float]? { node.floats(name) }
    func strings(_ name: String) -> [String]? { node.strings(name) }
    func tensorAttribute(_ name: String) -> Tensor? { node.tensorAttribute(name) }
    func hasAttribute(_ name: String) -> Bool { node.attributes[name] != nil }

    /// Normalizes a possibly negative axis against `rank`.
    func axis(_ value: Int, rank: Int) throws -> Int {
        let resolved = value < 0 ? value + rank : value
        guard resolved >= 0, resolved < max(rank, 1) else { throw fail("axis \(value) is out of range for rank \(rank)") }
        return resolved
    }

    /// An int64/int32 tensor input read as Ints (shapes, axes, indices given as inputs).
    func intValues(_ index: Int) throws -> [Int]? {
        guard let t = try optionalTensor(index) else { return nil }
        return try Self.ints(of: t, fail: fail)
    }

    static func ints(of t: Tensor, fail: (String) -> ONNXError) throws -> [Int] {
        switch t.dtype {
        case .int64: return try t.scalars(as: Int64.self).map { Int($0) }
        case .int32: return try t.scalars(as: Int32.self).map { Int($0) }
        default: throw fail("expected an int64 tensor, got \(t.dtype)")
        }
    }
}

/// Typed attribute readers (a scalar attribute also reads as a one-element list, as exporters vary),
/// shared by operators (through their context) and by static shape inference.
extension ONNXNode {
    func int(_ name: String) -> Int? {
        if case let .int(v)? = attributes[name] { return v }
        return nil
    }
    func float(_ name: String) -> Float? {
        switch attributes[name] {
        case let .float(v)?: v
        case let .int(v)?: Float(v)
        default: nil
        }
    }
    func string(_ name: String) -> String? {
        if case let .string(v)? = attributes[name] { return v }
        return nil
    }
    func ints(_ name: String) -> [Int]? {
        switch attributes[name] {
        case let .ints(v)?: v
        case let .int(v)?: [v]
        default: nil
        }
    }
    func floats(_ name: String) -> [Float]? {
        switch attributes[name] {
        case let .floats(v)?: v
        case let .float(v)?: [v]
        default: nil
        }
    }
    func strings(_ name: String) -> [String]? {
        switch attributes[name] {
        case let .strings(v)?: v
        case let .string(v)?: [v]
        default: nil
        }
    }
    func tensorAttribute(_ name: String) -> Tensor? {
        if case let .tensor(v)? = attributes[name] { return v }
        return nil
    }
}
