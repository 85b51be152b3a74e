/// Scaled dot-product attention as exporters write it, `MatMul(Q, Kᵀ) -> Div|Mul(constant scalar)
/// -> Softmax(last axis) -> MatMul(·, V)`, becomes one `aiplat:ScaledDotProductAttention` step: the
/// scores are scaled and normalized in place in one buffer instead of three. It runs the same
/// kernels in the same order as the four steps (the f32 GEMM, the scalar division or product, the
/// softmax row kernel), so results are bit-identical; anything but f32 runs the unfused operators.
enum AttentionFusion {
    static func apply(to steps: [ExecutionPlan.Step], constants: [Int: ONNXValue], graphOutputs: Set<Int>) -> (steps: [ExecutionPlan.Step], fusedCount: Int) {
        let readers = StepReaders(steps, graphOutputs: graphOutputs)
        func soleReader(of slot: Int?) -> Int? { readers.soleReader(of: slot) }
        func isOperator(_ index: Int, _ opType: String) -> Bool {
            steps[index].node.domain.isEmpty && steps[index].node.opType == opType
        }
        var removed = Set<Int>()
        var replaced = [Int: ExecutionPlan.Step]()
        for (index, scores) in steps.enumerated() where isOperator(index, "MatMul") && !removed.contains(index) {
            guard scores.inputs.count == 2, let q = scores.inputs[0], let k = scores.inputs[1],
                  constants[q] == nil, constants[k] == nil,
                  let scaleIndex = soleReader(of: scores.outputs.first ?? nil),
                  isOperator(scaleIndex, "Div") || isOperator(scaleIndex, "Mul") else { continue }
            let scale = steps[scaleIndex]
            guard scale.inputs.count == 2, scale.inputs[0] == scores.outputs[0], let factorSlot = scale.inputs[1],
                  case let .tensor(factor)? = constants[factorSlot], factor.dtype == .float32, factor.count == 1, factor.rank <= 1,
                  let softmaxIndex = soleReader(of: scale.outputs.first ?? nil), isOperator(softmaxIndex, "Softmax") else { continue }
            let softmax = steps[softmaxIndex]
            let axis = softmax.node.int("axis") ?? -1
            guard softmax.opset >= 13, axis == -1,
                  let valuesIndex = soleReader(of: softmax.outputs.first ?? nil), isOperator(valuesIndex, "MatMul"),
                  steps[valuesIndex].inputs.count == 2, steps[valuesIndex].inputs[0] == softmax.outputs[0],
                  let v = steps[valuesIndex].inputs[1], v != softmax.outputs[0],
                  [scaleIndex, softmaxIndex, valuesIndex].allSatisfy({ !removed.contains($0) && replaced[$0] == nil }) else { continue }
            let output = steps[valuesIndex]
            var node = ONNXNode(
                name: scores.node.name.isEmpty ? output.node.name : scores.node.name, opType: "ScaledDotProductAttention", domain: "aiplat",
                inputs: [scores.node.inputs[0], scores.node.inputs[1], scale.node.inputs[1], output.node.inputs[1]],
                outputs: output.node.outputs
            )
            node.attributes["scale"] = .string(scale.node.opType)
            // The fused step runs where the last MatMul ran: V may be computed after the scores.
            replaced[valuesIndex] = ExecutionPlan.Step(node: node, definition: definition, opset: 1, inputs: [q, k, factorSlot, v],
                                                       outputs: output.outputs, releases: [])
            removed.formUnion([index, scaleIndex, softmaxIndex])
        }
        guard !replaced.isEmpty else { return (steps, 0) }
        var result = [ExecutionPlan.Step]()
        for (index, step) in steps.enumerated() where !removed.contains(index) { result.append(replaced[index] ?? step) }
        return (result, removed.count)
    }

    static let definition = OperatorDefinition("ScaledDotProductAttention", domain: "aiplat") { c in
        let q = try c.tensor(0), k = try c.tensor(1), factor = try c.tensor(2), v = try c.tensor(3)
        let divide = c.string("scale") == "Div"
        guard q.dtype == .float32, k.dtype == .float32, v.dtype == .float32, q.rank >= 2, k.rank >= 2 else {
            // The unfused operators, one after another.
            let scores = try LinearAlgebra.matmul(q, k, options: c.options)
            let scaled = try Broadcasting.binary(scores, factor, op: divide ? .div : .mul)
            let weights = try NeuralNetworkOperators.softmax(OperatorContext(node: ONNXNode(name: c.node.name, opType: "Softmax", inputs: ["x"], outputs: ["y"]),
                                                                             opset: 13, inputs: [.tensor(scaled)], options: c.options), log: false)
            return [.tensor(try LinearAlgebra.matmul(weights, v, options: c.options))]
        }
        // The scores buffer is ours alone: scale it and normalize its rows in place.
        let scores = try q.matmul(k, options: c.options)
        let s = Float32Kernels.pointer(scores), count = scores.count
        let f = Float32Kernels.pointer(factor)[0]
        if divide { for i in 0..<count { s[i] = s[i] / f } } else { for i in 0..<count { s[i] = s[i] * f } }
        Float32Kernels.softmaxInPlace(s, count: count, rowSize: scores.shape[scores.rank - 1])
        return [.tensor(try LinearAlgebra.matmul(scores, v, options: c.options))]
    }
}
