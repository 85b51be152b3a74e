/// Chains of f32 elementwise arithmetic (`Neg`, `Abs`, `Relu`, `Add`, `Sub`, `Mul`, `Div`, and
/// `Sum` of two) where each intermediate has the next operation as its only reader become one
/// `aiplat:ElementwiseChain` step: one output buffer, the operations applied one after another
/// over it. skl2onnx's classifier post-processing is such chains over `[N, classes]` scores; at
/// batch 1 every step of them costs far more than its arithmetic.
///
/// Each operation computes exactly what its operator computes (the same f32 expression per
/// element, operands in the same order), so the result is bit-identical to the unfused steps.
/// The other operand of a binary operation must, at run time, have the chain value's shape or be
/// a single value of no higher rank (so the chain's shape never changes); anything else, or a
/// dtype other than f32, runs the original steps.
enum ElementwiseChainFusion {
    enum Operation: Sendable { case neg, abs, relu, add, sub, mul, div }

    struct Instruction: Sendable {
        let operation: Operation
        /// Binary operations: the fused step's input holding the other operand.
        let operand: Int
        /// Binary operations: whether the chain value is the left operand.
        let chainIsLeft: Bool
    }

    /// A class: operators read their preparation on every run, and casting it back from
    /// `any Sendable` is a pointer check for a class but a metadata walk and copy for a struct.
    final class Program: Sendable {
        let instructions: [Instruction]
        let unfused: UnfusedSteps

        init(instructions: [Instruction], unfused: UnfusedSteps) {
            self.instructions = instructions
            self.unfused = unfused
        }
    }

    static func operation(of step: ExecutionPlan.Step) -> Operation? {
        guard step.node.domain.isEmpty, step.outputs.count == 1, step.outputs[0] != nil else { return nil }
        let unary: Operation? = switch step.node.opType {
        case "Neg": .neg
        case "Abs": .abs
        case "Relu": .relu
        default: nil
        }
        if let unary { return step.inputs.count == 1 && step.inputs[0] != nil ? unary : nil }
        guard step.inputs.count == 2, step.inputs[0] != nil, step.inputs[1] != nil else { return nil }
        return switch step.node.opType {
        case "Add", "Sum": .add
        case "Sub": .sub
        case "Mul": .mul
        case "Div": .div
        default: nil
        }
    }

    static func apply(to steps: [ExecutionPlan.Step], graphOutputs: Set<Int>) -> (steps: [ExecutionPlan.Step], fusedCount: Int) {
        let readers = StepReaders(steps, graphOutputs: graphOutputs)
        var claimed = Set<Int>()
        var replaced = [Int: ExecutionPlan.Step]()
        for head in steps.indices where !claimed.contains(head) {
            guard let first = operation(of: steps[head]) else { continue }
            var chain = [head]
            var current = head
            while let next = readers.soleReader(of: steps[current].outputs[0]), next > current, !claimed.contains(next),
                  operation(of: steps[next]) != nil,
                  // the chain value is one operand, not both (`Mul(d, d)` is not a chain)
                  steps[next].inputs.filter({ $0 == steps[current].outputs[0] }).count == 1 {
                chain.append(next)
                current = next
            }
            guard chain.count >= 2 else { continue }
            // Inputs: the head's first operand (the chain's start), then every other operand once.
            var inputs: [Int?] = [steps[head].inputs[0]]
            var names = [steps[head].node.inputs[0]]
            func input(_ slot: Int?, _ name: String) -> Int {
                if let existing = inputs.firstIndex(of: slot) { return existing }
                inputs.append(slot)
                names.append(name)
                return inputs.count - 1
            }
            var instructions = [Instruction]()
            var value = steps[head].inputs[0]
            for index in chain {
                let step = steps[index]
                let operation = index == head ? first : operation(of: step)!
                if step.inputs.count == 1 {
                    instructions.append(Instruction(operation: operation, operand: 0, chainIsLeft: true))
                } else {
                    let left = step.inputs[0] == value
                    let other = left ? 1 : 0
                    instructions.append(Instruction(operation: operation, operand: input(step.inputs[other], step.node.inputs[other]), chainIsLeft: left))
                }
                value = step.outputs[0]
            }
            let last = steps[current]
            let node = ONNXNode(name: last.node.name, opType: "ElementwiseChain", domain: "aiplat", inputs: names, outputs: last.node.outputs)
            replaced[current] = ExecutionPlan.Step(
                node: node, definition: definition, opset: 1, inputs: inputs, outputs: last.outputs, releases: [],
                prepared: Program(instructions: instructions, unfused: UnfusedSteps(steps: chain.map { steps[$0] })))
            claimed.formUnion(chain)
        }
        guard !replaced.isEmpty else { return (steps, 0) }
        var result = [ExecutionPlan.Step]()
        for (index, step) in steps.enumerated() where !claimed.contains(index) || replaced[index] != nil {
            result.append(replaced[index] ?? step)
        }
        return (result, steps.count - result.count)
    }

    static let definition = OperatorDefinition("ElementwiseChain", domain: "aiplat", single: { c in
        guard let program = c.prepared as? Program else { throw c.fail("its program is missing") }
        if let output = try run(program, c) { return .tensor(output) }
        return try program.unfused.run(c)
    })

    /// The chain over one buffer, or nil when a dtype or shape is outside what it covers.
    static func run(_ program: Program, _ c: OperatorContext) throws -> Tensor? {
        let x = try c.tensor(0)
        guard x.dtype == .float32, x.isContiguous else { return nil }
        var operands = [Tensor]()
        operands.reserveCapacity(c.inputCount)
        for index in 0..<c.inputCount {
            let t = try c.tensor(index)
            guard t.dtype == .float32, t.isContiguous, index == 0 || t.shape == x.shape || (t.count == 1 && t.rank <= x.rank) else { return nil }
            operands.append(t)
        }
        let out = try Tensor(uninitializedLike: x, dtype: .float32)
        let n = out.count, o = Float32Kernels.pointer(out)
        var source = UnsafePointer(Float32Kernels.pointer(x))
        for instruction in program.instructions {
            let b = UnsafePointer(Float32Kernels.pointer(operands[instruction.operand]))
            let scalar = operands[instruction.operand].count == 1 && n != 1
            // One loop per case (as the operators' kernels), the chain value on its own side.
            switch (instruction.operation, instruction.chainIsLeft, scalar) {
            case (.neg, _, _): for i in 0..<n { o[i] = -source[i] }
            case (.abs, _, _): for i in 0..<n { o[i] = Swift.abs(source[i]) }
            case (.relu, _, _): for i in 0..<n { let v = source[i]; o[i] = v < 0 ? 0 : v }
            case (.add, true, false): for i in 0..<n { o[i] = source[i] + b[i] }
            case (.add, false, false): for i in 0..<n { o[i] = b[i] + source[i] }
            case (.add, true, true): let v = b[0]; for i in 0..<n { o[i] = source[i] + v }
            case (.add, false, true): let v = b[0]; for i in 0..<n { o[i] = v + source[i] }
            case (.sub, true, false): for i in 0..<n { o[i] = source[i] - b[i] }
            case (.sub, false, false): for i in 0..<n { o[i] = b[i] - source[i] }
            case (.sub, true, true): let v = b[0]; for i in 0..<n { o[i] = source[i] - v }
            case (.sub, false, true): let v = b[0]; for i in 0..<n { o[i] = v - source[i] }
            case (.mul, true, false): for i in 0..<n { o[i] = source[i] * b[i] }
            case (.mul, false, false): for i in 0..<n { o[i] = b[i] * source[i] }
            case (.mul, true, true): let v = b[0]; for i in 0..<n { o[i] = source[i] * v }
            case (.mul, false, true): let v = b[0]; for i in 0..<n { o[i] = v * source[i] }
            case (.div, true, false): for i in 0..<n { o[i] = source[i] / b[i] }
            case (.div, false, false): for i in 0..<n { o[i] = b[i] / source[i] }
            case (.div, true, true): let v = b[0]; for i in 0..<n { o[i] = source[i] / v }
            case (.div, false, true): let v = b[0]; for i in 0..<n { o[i] = v / source[i] }
            }
            source = UnsafePointer(o)
        }
        return withExtendedLifetime(operands) { out }
    }
}
