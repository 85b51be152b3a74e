/// A graph compiled once for repeated runs: nodes in topological order bound to their operator
/// implementations, value names resolved to slot numbers, constants folded, fusions applied, and
/// for every step the slots whose last reader it is (their buffers are released right after, so
/// peak memory follows the live set, not the whole graph).
///
/// Immutable and `Sendable`: concurrent runs share one plan, each with its own slot array.
public struct ExecutionPlan: Sendable {
    /// One node bound to its operator and slots. A class so that running a step costs one
    /// retain, not one per field (node names, attributes, slot arrays).
    final class Step: Sendable {
        let node: ONNXNode
        let definition: OperatorDefinition
        let opset: Int
        let inputs: [Int?]
        let outputs: [Int?]
        /// Slots to drop after this step.
        let releases: [Int]
        /// The operator's plan-time preparation (see `OperatorDefinition.prepare`).
        let prepared: (any Sendable)?

        init(node: ONNXNode, definition: OperatorDefinition, opset: Int, inputs: [Int?], outputs: [Int?], releases: [Int], prepared: (any Sendable)? = nil) {
            self.node = node
            self.definition = definition
            self.opset = opset
            self.inputs = inputs
            self.outputs = outputs
            self.releases = releases
            self.prepared = prepared
        }
    }

    let steps: [Step]
    let slotCount: Int
    let constants: [(slot: Int, value: ONNXValue)]
    /// The constants by slot (nil elsewhere): steps read them from here, so a run's own table
    /// starts empty instead of retaining every weight.
    let constantTable: [ONNXValue?]
    let inputSlots: [(info: ONNXValueInfo, slot: Int)]
    let outputSlots: [(name: String, slot: Int)]
    /// Nodes removed by constant folding (and Identities before graph outputs) and by fusion (for reports).
    public let foldedNodeCount: Int
    public let fusedNodeCount: Int
    /// False when some step's operator cannot promise bit-identical output in determinism mode.
    public let isDeterministic: Bool
    /// The memory plan: every intermediate is released after its last reader (see `Step.releases`)
    /// and its buffer reused by the next allocation of that size, in this run or the next.
    public let buffers = BufferPool()
    /// Steps that only compute with input shapes, and their values for the last input shape.
    let shapeMemo: ShapeMemo

    public var stepCount: Int { steps.count }

    /// Compiles `model`. Throws ``ONNXError`` `.unsupported` listing every unsupported operator
    /// with the nodes that use it (the pre-flight list), or `.invalidModel` for broken graphs.
    public init(model: ONNXModel, options: ExecutionOptions = .default) throws {
        let graph = model.graph
        let report = PreflightReport(model: model)
        if !report.unsupported.isEmpty {
            throw ONNXError(.unsupported, "unsupported operators: " + report.unsupported.map(\.summary).joined(separator: "; "))
        }

        // Slots: one per value name.
        var slotOf = [String: Int]()
        func slot(_ name: String) -> Int {
            if let existing = slotOf[name] { return existing }
            let new = slotOf.count
            slotOf[name] = new
            return new
        }
        var constants = [Int: ONNXValue]()
        for (name, tensor) in graph.initializers { constants[slot(name)] = .tensor(tensor) }
        var inputSlots = [(info: ONNXValueInfo, slot: Int)]()
        for input in graph.requiredInputs { inputSlots.append((input, slot(input.name))) }
        let fed = Set(inputSlots.map(\.slot))

        // Topological order (Kahn), stable with respect to file order.
        let ordered = try Self.topologicalOrder(graph.nodes, available: Set(graph.initializers.keys).union(graph.requiredInputs.map(\.name)))

        var steps = [Step]()
        var folded = 0
        for node in ordered {
            guard let definition = OperatorRegistry.definition(domain: node.domain, opType: node.opType) else { continue }
            let opset = model.opsets[node.domain] ?? 1
            let step = Step(
                node: node, definition: definition, opset: opset,
                inputs: node.inputs.map { $0.isEmpty ? nil : slot($0) },
                outputs: node.outputs.map { $0.isEmpty ? nil : slot($0) },
                releases: []
            )
            // Constant folding: every input known at plan time (and not fed by the caller, since an
            // initializer named like an input is only a default).
            let inputsConstant = step.inputs.allSatisfy { $0 == nil || (constants[$0!] != nil && !fed.contains($0!)) }
            if definition.foldable, inputsConstant {
                let context = OperatorContext(step: step, inputs: step.inputs.map { $0.flatMap { constants[$0] } }, options: options)
                let results = try Self.execute(step, context: context)
                for (index, output) in step.outputs.enumerated() {
                    if let output, index < results.count, let value = results[index] { constants[output] = value }
                }
                folded += 1
                continue
            }
            steps.append(step)
        }

        var nextSlot = slotOf.count
        let fusion = GraphFusion.apply(to: steps, constants: &constants, nextSlot: &nextSlot, graphOutputs: Set(graph.outputs.compactMap { slotOf[$0.name] }))
        steps = fusion.steps
        let quantized = GraphFusion.isEnabled
            ? QuantizedMatMulFusion.apply(to: steps, constants: constants, graphOutputs: Set(graph.outputs.compactMap { slotOf[$0.name] }))
            : (steps: steps, fusedCount: 0)
        steps = quantized.steps
        let attention = GraphFusion.isEnabled
            ? AttentionFusion.apply(to: steps, constants: constants, graphOutputs: Set(graph.outputs.compactMap { slotOf[$0.name] }))
            : (steps: steps, fusedCount: 0)
        steps = attention.steps
        let multiHead = GraphFusion.isEnabled
            ? MultiHeadAttentionFusion.apply(to: steps, graphOutputs: Set(graph.outputs.compactMap { slotOf[$0.name] }))
            : (steps: steps, fusedCount: 0)
        steps = multiHead.steps
        let chains = GraphFusion.isEnabled
            ? ElementwiseChainFusion.apply(to: steps, graphOutputs: Set(graph.outputs.compactMap { slotOf[$0.name] }))
            : (steps: steps, fusedCount: 0)
        steps = chains.steps

        var outputSlots = [(name: String, slot: Int)]()
        for output in graph.outputs {
            guard let index = slotOf[output.name] else {
                throw ONNXError(.invalidModel, "graph output \(output.name) is produced by no node, input or initializer")
            }
            outputSlots.append((output.name, index))
        }

        // An Identity that only hands a value to graph outputs (exporters end graphs with them)
        // is dropped: those outputs read its input's slot.
        let readSlots = Set(steps.flatMap { $0.inputs.compactMap { $0 } })
        steps = steps.filter { step in
            guard step.node.domain.isEmpty, step.node.opType == "Identity", step.inputs.count == 1, let source = step.inputs[0],
                  step.outputs.count == 1, let target = step.outputs[0], !readSlots.contains(target),
                  outputSlots.contains(where: { $0.slot == target }) else { return true }
            for index in outputSlots.indices where outputSlots[index].slot == target { outputSlots[index].slot = source }
            folded += 1
            return false
        }

        // Last use of every slot; outputs and constants are never released.
        var lastUse = [Int: Int]()
        for (index, step) in steps.enumerated() { for input in step.inputs { if let input { lastUse[input] = index } } }
        let keep = Set(outputSlots.map(\.slot)).union(constants.keys)
        var releases = [[Int]](repeating: [], count: steps.count)
        for (slot, index) in lastUse where !keep.contains(slot) { releases[index].append(slot) }
        self.steps = try steps.enumerated().map { index, step in
            // `prepare` sees the inputs known at plan time (weights), nil for the rest.
            let known = step.inputs.map { slot in slot.flatMap { fed.contains($0) ? nil : constants[$0] } }
            // A fused step may arrive prepared by its fusion pass.
            let prepared = try step.definition.prepare.map { prepare in
                try prepare(OperatorContext(step: step, inputs: known, options: options))
            } ?? step.prepared
            return Step(node: step.node, definition: step.definition, opset: step.opset, inputs: step.inputs, outputs: step.outputs,
                        releases: releases[index], prepared: prepared)
        }
        slotCount = nextSlot
        self.constants = constants.map { ($0.key, $0.value) }
        var constantTable = [ONNXValue?](repeating: nil, count: nextSlot)
        for (slot, value) in constants { constantTable[slot] = value }
        self.constantTable = constantTable
        self.inputSlots = inputSlots
        self.outputSlots = outputSlots
        foldedNodeCount = folded
        fusedNodeCount = fusion.fusedCount + quantized.fusedCount + attention.fusedCount + multiHead.fusedCount + chains.fusedCount
        isDeterministic = steps.allSatisfy(\.definition.deterministic)
        shapeMemo = ShapeMemo(steps: self.steps, fed: fed, constants: Set(constants.keys).subtracting(fed))
    }

    static func topologicalOrder(_ nodes: [ONNXNode], available: Set<String>) throws -> [ONNXNode] {
        var producer = [String: Int]()
        for (index, node) in nodes.enumerated() { for output in node.outputs where !output.isEmpty { producer[output] = index } }
        var pending = [Int](repeating: 0, count: nodes.count)
        var consumers = [[Int]](repeating: [], count: nodes.count)
        for (index, node) in nodes.enumerated() {
            for input in Set(node.inputs) where !input.isEmpty {
                if let source = producer[input], source != index {
                    pending[index] += 1
                    consumers[source].append(index)
                } else if producer[input] == nil, !available.contains(input) {
                    throw ONNXError(.invalidModel, "node \(node.displayName) reads \(input), which no node, input or initializer provides")
                }
            }
        }
        // A min-heap would keep exact file order; scanning a sorted ready list is enough for graphs
        // of this size and keeps order stable.
        var ready = (0..<nodes.count).filter { pending[$0] == 0 }
        var order = [ONNXNode]()
        order.reserveCapacity(nodes.count)
        while !ready.isEmpty {
            let next = ready.removeFirst()
            order.append(nodes[next])
            for consumer in consumers[next] {
                pending[consumer] -= 1
                if pending[consumer] == 0 {
                    let position = ready.firstIndex { $0 > consumer } ?? ready.count
                    ready.insert(consumer, at: position)
                }
            }
        }
        guard order.count == nodes.count else { throw ONNXError(.invalidModel, "graph has a cycle") }
        return order
    }

    static func execute(_ step: Step, context: OperatorContext) throws -> [ONNXValue?] {
        try naming(context) { try step.definition.run(context) }
    }

    /// Runs an operator; a `TensorError` from a kernel becomes an error naming the node.
    static func naming<Result>(_ context: OperatorContext, _ body: () throws -> Result) throws -> Result {
        do {
            return try body()
        } catch let error as ONNXError {
            throw error
        } catch let error as TensorError {
            throw context.fail(error.message)
        }
    }

    /// Runs the plan on `feeds` (already validated by the session), allocating from its
    /// ``buffers``.
    func run(feeds: [(slot: Int, value: ONNXValue)], options: ExecutionOptions) throws -> [ONNXValue?] {
        try BufferPool.withCurrent(buffers) { try runSteps(feeds: feeds, options: options) }
    }

    private func runSteps(feeds: [(slot: Int, value: ONNXValue)], options: ExecutionOptions) throws -> [ONNXValue?] {
        var values = [ONNXValue?](repeating: nil, count: slotCount)
        for (slot, value) in feeds { values[slot] = value }
        let profiler = StepProfiler.current
        // Shape arithmetic: taken from the memo when the input shapes repeat, else recorded.
        let memo = shapeMemo.isEmpty ? nil : shapeMemo
        let shapeKey = memo?.key(values)
        var derived: [(slot: Int, value: ONNXValue)]? = nil
        if let memo, let shapeKey {
            if let remembered = memo.values(for: shapeKey) {
                for (slot, value) in remembered { values[slot] = value }
            } else {
                derived = []
            }
        }
        for (stepIndex, step) in steps.enumerated() {
            let isDerived = memo?.derived[stepIndex] ?? false
            if isDerived, shapeKey != nil, derived == nil {
                for slot in step.releases { values[slot] = nil }
                continue
            }
            let started = profiler == nil ? 0 : StepProfiler.now()
            // One-output operators return their value without a result array.
            var single: ONNXValue? = nil
            var results: [ONNXValue?] = []
            try values.withUnsafeBufferPointer { table in
                try constantTable.withUnsafeBufferPointer { constants in
                    let context = OperatorContext(step: step, table: table, constants: constants, options: options)
                    if let run = step.definition.runSingle, step.outputs.count == 1 {
                        single = try Self.naming(context) { try run(context) }
                    } else {
                        results = try Self.execute(step, context: context)
                    }
                }
            }
            if let profiler { profiler.record(step.node.opType, nanoseconds: StepProfiler.now() - started) }
            for (index, output) in step.outputs.enumerated() {
                guard let output else { continue }
                // Moved, not copied: the results are dropped right after.
                guard let value = single.take() ?? (index < results.count ? results[index].take() : nil) else {
                    throw ONNXError(.executionFailed, "\(step.node.opType) node \(step.node.displayName): produced no value for output \(step.node.outputs[index])")
                }
                values[output] = consume value
                if isDerived, derived != nil { derived!.append((output, values[output]!)) }
            }
            for slot in step.releases { values[slot] = nil }
        }
        if let memo, let shapeKey, let derived { memo.remember(derived, for: shapeKey) }
        return outputSlots.map { values[$0.slot] ?? constantTable[$0.slot] }
    }
}
