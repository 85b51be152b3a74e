/// Rewrites of a compiled step list that remove intermediate tensors:
/// `MatMul -> Add(constant bias) [-> Relu]` becomes one fused step that adds the bias and applies
/// the activation while the product is still in cache.
enum GraphFusion {
    struct Result {
        let steps: [ExecutionPlan.Step]
        let fusedCount: Int
    }

    static func apply(to steps: [ExecutionPlan.Step], constants: [Int: ONNXValue], graphOutputs: Set<Int>) -> Result {
        var readers = [Int: [Int]]()
        for (index, step) in steps.enumerated() {
            for input in step.inputs { if let input { readers[input, default: []].append(index) } }
        }
        func soleReader(of slot: Int?) -> Int? {
            guard let slot, !graphOutputs.contains(slot), let list = readers[slot], list.count == 1 else { return nil }
            return list[0]
        }
        var removed = Set<Int>()
        var replaced = [Int: ExecutionPlan.Step]()
        for (index, step) in steps.enumerated() where step.node.domain.isEmpty && step.node.opType == "MatMul" {
            guard let addIndex = soleReader(of: step.outputs.first ?? nil), !removed.contains(addIndex) else { continue }
            let add = steps[addIndex]
            guard add.node.domain.isEmpty, add.node.opType == "Add", add.inputs.count == 2 else { continue }
            let product = step.outputs[0]
            guard let biasSlot = add.inputs[0] == product ? add.inputs[1] : add.inputs[0],
                  case let .tensor(bias)? = constants[biasSlot], bias.dtype == .float32, bias.rank <= 1 else { continue }
            var last = add
            var activation = ""
            if let reluIndex = soleReader(of: add.outputs.first ?? nil), steps[reluIndex].node.opType == "Relu", steps[reluIndex].node.domain.isEmpty {
                last = steps[reluIndex]
                activation = "Relu"
                removed.insert(reluIndex)
            }
            removed.insert(addIndex)
            var node = ONNXNode(
                name: step.node.name.isEmpty ? add.node.name : step.node.name, opType: "FusedMatMulBias", domain: "aiplat",
                inputs: [step.node.inputs[0], step.node.inputs[1], add.node.inputs[0] == step.node.outputs[0] ? add.node.inputs[1] : add.node.inputs[0]],
                outputs: last.node.outputs
            )
            node.attributes["activation"] = .string(activation)
            replaced[index] = ExecutionPlan.Step(
                node: node, definition: fusedMatMulBias, opset: 1,
                inputs: [step.inputs[0], step.inputs[1], biasSlot], outputs: last.outputs, releases: []
            )
        }
        var result = [ExecutionPlan.Step]()
        for (index, step) in steps.enumerated() where !removed.contains(index) {
            result.append(replaced[index] ?? step)
        }
        return Result(steps: result, fusedCount: removed.count)
    }

    static let fusedMatMulBias = OperatorDefinition("FusedMatMulBias", domain: "aiplat") { context in
        let a = try context.tensor(0), b = try context.tensor(1), bias = try context.tensor(2)
        guard a.dtype == .float32, b.dtype == .float32 else {
            // Integer/double MatMul keeps the unfused path's semantics.
            let product = try LinearAlgebra.matmul(a, b, options: context.options)
            let sum = try Broadcasting.binary(product, bias, op: .add)
            return [.tensor(context.string("activation") == "Relu" ? try Elementwise.unary(sum, .relu) : sum)]
        }
        var product = try a.matmul(b, options: context.options)
        let n = product.shape.last ?? 1
        let biasValues = try bias.contiguous()
        guard bias.count == n || bias.count == 1 else { throw context.fail("bias of \(bias.count) values does not match \(n) columns") }
        let relu = context.string("activation") == "Relu"
        let rows = n == 0 ? 0 : product.count / n
        let out = product.storage.bytes.assumingMemoryBound(to: Float.self)
        let biasPointer = biasValues.storage.bytes.assumingMemoryBound(to: Float.self) + biasValues.offset
        for row in 0..<rows {
            let line = out + row * n
            for column in 0..<n {
                var value = line[column] + biasPointer[bias.count == 1 ? 0 : column]
                if relu, value < 0 { value = 0 }
                line[column] = value
            }
        }
        product.shape = product.shape
        return [.tensor(product)]
    }
}
