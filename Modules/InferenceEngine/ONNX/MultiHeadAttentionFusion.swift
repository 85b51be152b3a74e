/// Multi-head attention as PyTorch exports it around the fused core (``AttentionFusion``): each of
/// Q, K, V is a `[B, S, H*D]` projection reshaped to `[B, S, H, D]` and transposed to heads-first
/// (`perm [0,2,1,3]`; K straight to `[0,2,3,1]`), and the `[B, H, S, D]` result is transposed back
/// and reshaped to `[B, S, H*D]`. One `aiplat:MultiHeadAttention` step reads every head in place
/// from the projections and writes it in place into the merged output: nine steps become one and
/// four tensor copies (three head splits, one merge) disappear — at batch 1 they cost more than
/// the attention arithmetic.
///
/// The step runs the same kernels in the same order as the unfused steps (the f32 GEMM on the
/// same operands, the scalar scale, the softmax row kernel), so its output is bit-identical. The
/// reshape targets are run-time values (exporters compute them from `Shape`), so they are checked
/// on every run; anything but the head split (or f32) runs the original steps one by one.
enum MultiHeadAttentionFusion {
    static func apply(to steps: [ExecutionPlan.Step], graphOutputs: Set<Int>) -> (steps: [ExecutionPlan.Step], fusedCount: Int) {
        let readers = StepReaders(steps, graphOutputs: graphOutputs)
        var producer = [Int: Int]()
        for (index, step) in steps.enumerated() { for output in step.outputs { if let output { producer[output] = index } } }
        func isOperator(_ index: Int, _ opType: String, domain: String = "") -> Bool {
            steps[index].node.domain == domain && steps[index].node.opType == opType
        }
        /// The Reshape whose output only `transpose` reads (shape given as an input, no `allowzero`).
        func reshape(feeding transpose: Int) -> Int? {
            guard let source = steps[transpose].inputs.first ?? nil, let index = producer[source], isOperator(index, "Reshape"),
                  steps[index].opset >= 5, steps[index].inputs.count == 2, steps[index].inputs[1] != nil,
                  steps[index].node.int("allowzero") ?? 0 == 0, readers.soleReader(of: source) == transpose else { return nil }
            return index
        }
        /// Reshape -> Transpose(perm) producing `slot`, read only by `reader`.
        func headSplit(_ slot: Int?, perm: [Int], reader: Int) -> (reshape: Int, transpose: Int)? {
            guard let slot, let transpose = producer[slot], isOperator(transpose, "Transpose"),
                  steps[transpose].node.ints("perm") == perm, readers.soleReader(of: slot) == reader,
                  let reshape = reshape(feeding: transpose) else { return nil }
            return (reshape, transpose)
        }

        var removed = Set<Int>()
        var replaced = [Int: ExecutionPlan.Step]()
        for (index, core) in steps.enumerated() where isOperator(index, "ScaledDotProductAttention", domain: "aiplat") {
            guard core.inputs.count == 4, let factor = core.inputs[2],
                  let q = headSplit(core.inputs[0], perm: [0, 2, 1, 3], reader: index),
                  let k = headSplit(core.inputs[1], perm: [0, 2, 3, 1], reader: index),
                  let v = headSplit(core.inputs[3], perm: [0, 2, 1, 3], reader: index),
                  let merge = readers.soleReader(of: core.outputs.first ?? nil), isOperator(merge, "Transpose"),
                  steps[merge].node.ints("perm") == [0, 2, 1, 3],
                  let output = readers.soleReader(of: steps[merge].outputs.first ?? nil), isOperator(output, "Reshape"),
                  steps[output].opset >= 5, steps[output].inputs.count == 2, steps[output].inputs[0] == steps[merge].outputs[0],
                  let outputShape = steps[output].inputs[1], steps[output].node.int("allowzero") ?? 0 == 0 else { continue }
            let chain = [q.reshape, q.transpose, k.reshape, k.transpose, v.reshape, v.transpose, index, merge, output]
            guard Set(chain).count == chain.count, chain.allSatisfy({ !removed.contains($0) && replaced[$0] == nil }) else { continue }
            let sources = [q, k, v].map { steps[$0.reshape] }
            var node = ONNXNode(
                name: core.node.name, opType: "MultiHeadAttention", domain: "aiplat",
                inputs: sources.map(\.node.inputs[0]) + sources.map(\.node.inputs[1]) + [core.node.inputs[2], steps[output].node.inputs[1]],
                outputs: steps[output].node.outputs
            )
            node.attributes["scale"] = core.node.attributes["scale"]
            // Runs where the output Reshape ran: every input (the merged shape included) exists by then.
            replaced[output] = ExecutionPlan.Step(
                node: node, definition: definition, opset: 1,
                inputs: sources.map(\.inputs[0]) + sources.map(\.inputs[1]) + [factor, outputShape],
                outputs: steps[output].outputs, releases: [], prepared: UnfusedSteps(steps: chain.map { steps[$0] }))
            removed.formUnion(chain.dropLast())
        }
        guard !replaced.isEmpty else { return (steps, 0) }
        var result = [ExecutionPlan.Step]()
        for (index, step) in steps.enumerated() where !removed.contains(index) { result.append(replaced[index] ?? step) }
        return (result, removed.count)
    }

    /// Inputs: the Q, K, V projections, their three reshape targets, the scale factor, the merged
    /// output's reshape target.
    static let definition = OperatorDefinition("MultiHeadAttention", domain: "aiplat", single: { c in
        if let output = try headSplitAttention(c) { return .tensor(output) }
        guard let unfused = c.prepared as? UnfusedSteps else { throw c.fail("its unfused steps are missing") }
        return try unfused.run(c)
    })

    /// The fused kernel, or nil when the run's shapes are not the head split it covers.
    static func headSplitAttention(_ c: OperatorContext) throws -> Tensor? {
        let xq = try c.tensor(0), xk = try c.tensor(1), xv = try c.tensor(2), factor = try c.tensor(6)
        guard [xq, xk, xv].allSatisfy({ $0.dtype == .float32 && $0.rank == 3 && $0.isContiguous }),
              factor.dtype == .float32, factor.count == 1, factor.rank <= 1 else { return nil }
        let batch = xq.shape[0], queries = xq.shape[1], keys = xk.shape[1]
        guard xk.shape[0] == batch, xv.shape[0] == batch, xv.shape[1] == keys,
              let q = try headShape(c, 3, of: xq), let k = try headShape(c, 4, of: xk), let v = try headShape(c, 5, of: xv),
              q.heads == k.heads, q.heads == v.heads, q.size == k.size,
              let merged = try? ShapeOperators.reshapeTarget([batch, queries, v.heads, v.size], c.intValues(7) ?? [], allowZero: false, c),
              merged == [batch, queries, v.heads * v.size] else { return nil }
        let heads = q.heads, headSize = q.size, valueSize = v.size
        let modelWidth = heads * headSize, valueWidth = heads * valueSize
        let output = try Tensor(uninitialized: merged, dtype: .float32)
        guard output.count > 0 else { return output }
        let divide = c.string("scale") == "Div"
        let f = Float32Kernels.pointer(factor)[0]
        let backend = c.options.effectiveGEMMBackend, threads = c.options.threads
        let qBase = Float32Kernels.pointer(xq), kBase = Float32Kernels.pointer(xk), vBase = Float32Kernels.pointer(xv)
        let oBase = Float32Kernels.pointer(output)
        try withUnsafeTemporaryAllocation(of: Float.self, capacity: max(1, headSize * keys + queries * keys)) { scratch in
            let keysT = scratch.baseAddress!, scores = keysT + headSize * keys
            for b in 0..<batch {
                for h in 0..<heads {
                    // This head's Kᵀ laid out as the unfused Transpose wrote it, so the score GEMM
                    // sees the same operands (and takes the same kernel).
                    let kHead = kBase + b * keys * modelWidth + h * headSize
                    for j in 0..<keys { for d in 0..<headSize { keysT[d * keys + j] = kHead[j * modelWidth + d] } }
                    try Kernels.sgemm(m: queries, n: keys, k: headSize,
                                      a: qBase + b * queries * modelWidth + h * headSize, lda: modelWidth, b: keysT, ldb: max(keys, 1),
                                      c: scores, ldc: max(keys, 1), backend: backend, threads: threads)
                    let count = queries * keys
                    if divide { for i in 0..<count { scores[i] = scores[i] / f } } else { for i in 0..<count { scores[i] = scores[i] * f } }
                    Float32Kernels.softmaxInPlace(scores, count: count, rowSize: keys)
                    try Kernels.sgemm(m: queries, n: valueSize, k: keys,
                                      a: scores, lda: max(keys, 1), b: vBase + b * keys * valueWidth + h * valueSize, ldb: valueWidth,
                                      c: oBase + b * queries * valueWidth + h * valueSize, ldc: valueWidth, backend: backend, threads: threads)
                }
            }
        }
        return withExtendedLifetime((xq, xk, xv, factor)) { output }
    }

    /// `[B, S, H, D]` from input `index` (a reshape target) for `x` `[B, S, H*D]`, nil otherwise.
    private static func headShape(_ c: OperatorContext, _ index: Int, of x: Tensor) throws -> (heads: Int, size: Int)? {
        guard let requested = try c.intValues(index),
              let target = try? ShapeOperators.reshapeTarget(x.shape, requested, allowZero: false, c),
              target.count == 4, target[0] == x.shape[0], target[1] == x.shape[1], target[2] > 0, target[3] > 0 else { return nil }
        return (target[2], target[3])
    }
}
