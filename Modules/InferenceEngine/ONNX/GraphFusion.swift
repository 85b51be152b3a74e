import Foundation

/// Rewrites of a compiled step list that remove intermediate tensors:
/// `MatMul -> Add(constant bias) [-> Relu]` becomes one fused step that adds the bias and applies
/// the activation while the product is still in cache, and `Conv -> BatchNormalization` with
/// constant weights and statistics becomes one Conv whose weights and bias absorb the
/// normalization (`W' = W * s/sqrt(v+e)`, `b' = (b - m) * s/sqrt(v+e) + B`); `Gemm -> Relu`
/// with f32 weights runs the Relu inside the Gemm and `Conv -> Relu` inside the Conv's bias pass.
///
/// Before those, the elementwise pass (`fuseElementwise`, ElementwiseFusion.swift) turns GELU
/// written out as `Div/Mul -> Erf -> Add -> Mul -> Mul` (or the tanh approximation) into one
/// `aiplat:FusedGelu` step and LayerNorm written out as `ReduceMean -> Sub -> Pow -> ReduceMean ->
/// Add -> Sqrt -> Div [-> Mul(gamma) -> Add(beta)]` into one `aiplat:FusedLayerNorm` step (the
/// LayerNormalization kernel); a GELU whose input is a `MatMul -> Add(bias)` then folds into
/// `FusedMatMulBias` (activation `Gelu`/`GeluTanh`), so the projection, bias and GELU are one pass.
enum GraphFusion {
    struct Result {
        let steps: [ExecutionPlan.Step]
        let fusedCount: Int
    }

    /// Off turns every fusion off for plans compiled in this task (references in tests, timing
    /// comparisons); the environment variable `AIPLAT_GRAPH_FUSION=0` turns it off process-wide.
    @TaskLocal static var isEnabled: Bool = ProcessInfo.processInfo.environment["AIPLAT_GRAPH_FUSION"] != "0"

    static func apply(to original: [ExecutionPlan.Step], constants: inout [Int: ONNXValue], nextSlot: inout Int, graphOutputs: Set<Int>) -> Result {
        guard isEnabled else { return Result(steps: original, fusedCount: 0) }
        let elementwise = fuseElementwise(original, constants: constants, graphOutputs: graphOutputs)
        let steps = elementwise.steps
        let readers = StepReaders(steps, graphOutputs: graphOutputs)
        func soleReader(of slot: Int?) -> Int? { readers.soleReader(of: slot) }
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
            } else if let geluIndex = soleReader(of: add.outputs.first ?? nil), steps[geluIndex].node.opType == "FusedGelu",
                      steps[geluIndex].node.domain == "aiplat" {
                // GELU (already one step from the elementwise pass) runs on the rows in cache.
                last = steps[geluIndex]
                if case .string("tanh")? = last.node.attributes["approximate"] { activation = "GeluTanh" } else { activation = "Gelu" }
                removed.insert(geluIndex)
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
        for (index, step) in steps.enumerated() where step.node.domain.isEmpty && step.node.opType == "Conv" && replaced[index] == nil {
            guard let bnIndex = soleReader(of: step.outputs.first ?? nil), !removed.contains(bnIndex) else { continue }
            let bn = steps[bnIndex]
            guard bn.node.domain.isEmpty, bn.node.opType == "BatchNormalization", bn.inputs.count >= 5, bn.inputs[0] == step.outputs[0],
                  bn.outputs.dropFirst().allSatisfy({ $0 == nil }),
                  bn.node.attributes["training_mode"].map({ if case .int(0) = $0 { true } else { false } }) ?? true,
                  step.inputs.count >= 2, let weightSlot = step.inputs[1],
                  case let .tensor(weights)? = constants[weightSlot], weights.dtype == .float32, weights.rank >= 3 else { continue }
            func floats(_ slot: Int?) -> [Float]? {
                guard let slot, case let .tensor(t)? = constants[slot], t.dtype == .float32 else { return nil }
                return try? t.scalars(as: Float.self)
            }
            let channels = weights.shape[0]
            guard let scale = floats(bn.inputs[1]), let shift = floats(bn.inputs[2]), let mean = floats(bn.inputs[3]),
                  let variance = floats(bn.inputs[4]), [scale, shift, mean, variance].allSatisfy({ $0.count == channels }),
                  var w = try? weights.scalars(as: Float.self) else { continue }
            var bias = [Float](repeating: 0, count: channels)
            if step.inputs.count > 2, let biasSlot = step.inputs[2] {
                guard let b = floats(biasSlot), b.count == channels else { continue }
                bias = b
            }
            var epsilon: Float = 1e-5
            if case let .float(e)? = bn.node.attributes["epsilon"] { epsilon = e }
            let perChannel = w.count / max(channels, 1)
            for c in 0..<channels {
                let factor = scale[c] / (variance[c] + epsilon).squareRoot()
                for i in 0..<perChannel { w[c * perChannel + i] *= factor }
                bias[c] = (bias[c] - mean[c]) * factor + shift[c]
            }
            guard let fusedWeights = try? Tensor(shape: weights.shape, scalars: w), let fusedBias = try? Tensor(shape: [channels], scalars: bias) else { continue }
            let weightOut = nextSlot, biasOut = nextSlot + 1
            nextSlot += 2
            constants[weightOut] = .tensor(fusedWeights)
            constants[biasOut] = .tensor(fusedBias)
            var node = step.node
            node.inputs = [step.node.inputs[0], step.node.inputs[1] + ".bn_folded", step.node.outputs[0] + ".bn_folded_bias"]
            node.outputs = [bn.node.outputs[0]]
            removed.insert(bnIndex)
            replaced[index] = ExecutionPlan.Step(
                node: node, definition: step.definition, opset: step.opset,
                inputs: [step.inputs[0], weightOut, biasOut], outputs: [bn.outputs[0]], releases: []
            )
        }
        // Conv [-> BatchNormalization, folded above] -> Relu: the Relu runs in the Conv's bias pass;
        // Gemm (f32 weights) -> Relu: inside the Gemm (both of its paths honour `activation`).
        for (index, original) in steps.enumerated() where original.node.domain.isEmpty && ["Conv", "Gemm"].contains(original.node.opType) {
            let step = replaced[index] ?? original
            if step.node.opType == "Gemm" {
                guard replaced[index] == nil, step.inputs.count >= 2, let weightSlot = step.inputs[1],
                      case let .tensor(weights)? = constants[weightSlot], weights.dtype == .float32 else { continue }
            }
            guard let reluIndex = soleReader(of: step.outputs.first ?? nil), !removed.contains(reluIndex),
                  steps[reluIndex].node.opType == "Relu", steps[reluIndex].node.domain.isEmpty else { continue }
            let relu = steps[reluIndex]
            var node = step.node
            node.outputs = relu.node.outputs
            node.attributes["activation"] = .string("Relu")
            removed.insert(reluIndex)
            replaced[index] = ExecutionPlan.Step(
                node: node, definition: step.definition, opset: step.opset, inputs: step.inputs, outputs: relu.outputs, releases: []
            )
        }
        var result = [ExecutionPlan.Step]()
        for (index, step) in steps.enumerated() where !removed.contains(index) {
            result.append(replaced[index] ?? step)
        }
        return Result(steps: result, fusedCount: elementwise.removed + removed.count)
    }

    static let fusedMatMulBias = OperatorDefinition("FusedMatMulBias", domain: "aiplat", single: { context in
        let a = try context.tensor(0), b = try context.tensor(1), bias = try context.tensor(2)
        guard a.dtype == .float32, b.dtype == .float32 else {
            // Integer/double MatMul keeps the unfused path's semantics.
            let product = try LinearAlgebra.matmul(a, b, options: context.options)
            let sum = try Broadcasting.binary(product, bias, op: .add)
            guard context.string("activation") != "Relu" else { return .tensor(try Elementwise.unary(sum, .relu)) }
            guard context.string("activation", default: "").isEmpty else { throw context.fail("\(context.string("activation")!) needs float32") }
            return .tensor(sum)
        }
        let product = try a.matmul(b, options: context.options)
        let n = product.shape.last ?? 1
        let biasValues = try bias.contiguous()
        guard bias.count == n || bias.count == 1 else { throw context.fail("bias of \(bias.count) values does not match \(n) columns") }
        let activation = context.string("activation", default: "")
        let relu = activation == "Relu"
        let gelu = activation == "Gelu" || activation == "GeluTanh"
        let rows = n == 0 ? 0 : product.count / n
        let out = product.storage.bytes.assumingMemoryBound(to: Float.self)
        let biasPointer = biasValues.storage.bytes.assumingMemoryBound(to: Float.self) + biasValues.offset
        let perColumn = bias.count != 1, tanh = activation == "GeluTanh"
        for row in 0..<rows {
            let line = out + row * n
            if perColumn {
                if relu { for column in 0..<n { let v = line[column] + biasPointer[column]; line[column] = v < 0 ? 0 : v } }
                else { for column in 0..<n { line[column] = line[column] + biasPointer[column] } }
            } else {
                let b = biasPointer[0]
                if relu { for column in 0..<n { let v = line[column] + b; line[column] = v < 0 ? 0 : v } }
                else { for column in 0..<n { line[column] = line[column] + b } }
            }
            if gelu { geluInPlace(line, count: n, tanh: tanh) }
        }
        return .tensor(product)
    })
}
