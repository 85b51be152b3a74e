/// The graph onnxruntime's dynamic quantization writes for every Linear layer,
///
///     x -> DynamicQuantizeLinear -> (xq, xs, xz)
///     Mul(xs, w_scale) -> s
///     MatMulInteger(xq, w, xz, w_zero) -> Cast(to: FLOAT) -> Mul(·, s) [-> Add(·, bias)] [-> Relu]
///
/// becomes one `DynamicQuantizedMatMul` step (domain `aiplat`): x is quantized, multiplied with
/// the weights widened and transposed once at plan time, and the int32 sums are scaled, biased
/// and activated in one pass. Six to seven nodes and five intermediate tensors per layer become
/// one; every float operation is the one the unfused graph does, in the same order (the products
/// and the sum are commutative in IEEE arithmetic), so results are bit-identical.
enum QuantizedMatMulFusion {
    static func apply(to steps: [ExecutionPlan.Step], constants: [Int: ONNXValue], graphOutputs: Set<Int>) -> (steps: [ExecutionPlan.Step], fusedCount: Int) {
        let readers = StepReaders(steps, graphOutputs: graphOutputs)
        func soleReader(of slot: Int?) -> Int? { readers.soleReader(of: slot) }
        var producer = [Int: Int]()
        for (index, step) in steps.enumerated() { for output in step.outputs { if let output { producer[output] = index } } }
        func isOperator(_ index: Int, _ opType: String) -> Bool {
            steps[index].node.domain.isEmpty && steps[index].node.opType == opType
        }
        func constantFloats(_ slot: Int?) -> Tensor? {
            guard let slot, case let .tensor(t)? = constants[slot], t.dtype == .float32, t.rank <= 1 else { return nil }
            return t
        }
        /// The other input of a two-input step, given one of them.
        func other(_ step: ExecutionPlan.Step, than slot: Int?) -> Int?? {
            guard step.inputs.count == 2, let slot else { return nil }
            if step.inputs[0] == slot { return .some(step.inputs[1]) }
            if step.inputs[1] == slot { return .some(step.inputs[0]) }
            return nil
        }

        /// The graph's name for `slot` where `step` reads it.
        func name(_ slot: Int?, in step: ExecutionPlan.Step) -> String {
            guard let slot, let position = step.inputs.firstIndex(of: slot) else { return "" }
            return step.node.inputs[position]
        }

        var removed = Set<Int>()
        var replaced = [Int: ExecutionPlan.Step]()
        for (index, matmul) in steps.enumerated() where isOperator(index, "MatMulInteger") && !removed.contains(index) {
            guard matmul.inputs.count >= 3, let quantized = matmul.inputs[0], let zeroPoint = matmul.inputs[2],
                  let weightsSlot = matmul.inputs[1], case let .tensor(weights)? = constants[weightsSlot], weights.rank == 2,
                  let dqlIndex = producer[quantized], isOperator(dqlIndex, "DynamicQuantizeLinear") else { continue }
            let dql = steps[dqlIndex]
            guard dql.outputs.count == 3, dql.outputs[0] == quantized, dql.outputs[2] == zeroPoint,
                  soleReader(of: quantized) == index, soleReader(of: zeroPoint) == index,
                  let scaleIndex = soleReader(of: dql.outputs[1]), isOperator(scaleIndex, "Mul"),
                  case let weightScaleSlot?? = other(steps[scaleIndex], than: dql.outputs[1]),
                  let weightScale = constantFloats(weightScaleSlot), weightScale.count == 1 || weightScale.count == weights.shape[1] else { continue }
            let weightZero = matmul.inputs.count > 3 ? matmul.inputs[3] : nil
            if let weightZero, constants[weightZero] == nil { continue }
            guard let castIndex = soleReader(of: matmul.outputs.first ?? nil), isOperator(castIndex, "Cast"),
                  case .int(1)? = steps[castIndex].node.attributes["to"],
                  let mulIndex = soleReader(of: steps[castIndex].outputs.first ?? nil), isOperator(mulIndex, "Mul"),
                  case let scaleSlot?? = other(steps[mulIndex], than: steps[castIndex].outputs.first ?? nil),
                  scaleSlot == steps[scaleIndex].outputs.first, soleReader(of: scaleSlot) == mulIndex else { continue }
            var chain = [dqlIndex, scaleIndex, castIndex, mulIndex]
            var last = steps[mulIndex]
            var biasSlot: Int? = nil, biasName = ""
            if let addIndex = soleReader(of: last.outputs.first ?? nil), isOperator(addIndex, "Add"),
               case let candidate?? = other(steps[addIndex], than: last.outputs.first ?? nil),
               let bias = constantFloats(candidate), bias.count == weights.shape[1] || bias.count == 1 {
                biasSlot = candidate
                biasName = name(candidate, in: steps[addIndex])
                last = steps[addIndex]
                chain.append(addIndex)
            }
            var activation = ""
            if let reluIndex = soleReader(of: last.outputs.first ?? nil), isOperator(reluIndex, "Relu") {
                activation = "Relu"
                last = steps[reluIndex]
                chain.append(reluIndex)
            }
            guard chain.allSatisfy({ !removed.contains($0) && replaced[$0] == nil }) else { continue }
            var node = ONNXNode(
                name: matmul.node.name.isEmpty ? dql.node.name : matmul.node.name, opType: "DynamicQuantizedMatMul", domain: "aiplat",
                inputs: [dql.node.inputs[0], matmul.node.inputs[1], weightZero.map { name($0, in: matmul) } ?? "",
                         name(weightScaleSlot, in: steps[scaleIndex]), biasName],
                outputs: last.node.outputs
            )
            node.attributes["activation"] = .string(activation)
            let inputs: [Int?] = [dql.inputs[0], weightsSlot, weightZero, weightScaleSlot, biasSlot]
            let fused = ExecutionPlan.Step(node: node, definition: definition, opset: 1, inputs: inputs, outputs: last.outputs, releases: [])
            // The plan-time preparation (widened, transposed weights) needs the constants.
            let known = inputs.map { $0.flatMap { constants[$0] } }
            let prepared = try? QuantizationOperators.prepareRight(OperatorContext(step: fused, inputs: known, options: .default), right: 1, zero: 2)
            guard let prepared = prepared as? QuantizationOperators.PreparedIntegerMatrix else { continue }
            replaced[index] = ExecutionPlan.Step(node: node, definition: definition, opset: 1, inputs: inputs, outputs: last.outputs,
                                                 releases: [], prepared: prepared)
            removed.formUnion(chain)
        }
        guard !replaced.isEmpty else { return (steps, 0) }
        var result = [ExecutionPlan.Step]()
        // The fused step takes the MatMulInteger's place: after everything the chain reads.
        for (index, step) in steps.enumerated() where !removed.contains(index) { result.append(replaced[index] ?? step) }
        return (result, removed.count)
    }

    static let definition = OperatorDefinition("DynamicQuantizedMatMul", domain: "aiplat") { c in
        try [.tensor(QuantizationOperators.dynamicQuantizedMatMul(c))]
    }
}
