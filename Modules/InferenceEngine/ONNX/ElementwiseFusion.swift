import Foundation

/// The first fusion pass: GELU and layer normalization written out as elementwise subgraphs (how
/// PyTorch exports LayerNorm before opset 17 and GELU before opset 20) become one step each.
///
/// Matched, with every operand order of the commutative Add/Mul and constants checked by value
/// (f32 scalars or one-element tensors, within 1e-6 relative):
/// - erf GELU: `Div(x, sqrt 2)` or `Mul(x, 1/sqrt 2)` `-> Erf -> Add(1)`, then the product of `x`,
///   `0.5` and `1 + erf` in any association (`(x*a)*0.5`, `(x*0.5)*a`, `(a*0.5)*x`);
/// - tanh GELU: `Pow(x, 3)` or `x*x*x` `-> Mul(0.044715) -> Add(x) -> Mul(sqrt(2/pi)) -> Tanh ->
///   Add(1)` and the same product;
/// - LayerNorm over the last axis: `ReduceMean(x, [-1]) -> Sub(x, mean) -> Pow(d, 2) | Mul(d, d) ->
///   ReduceMean([-1]) -> Add(eps) -> Sqrt -> Div(d, std) | Reciprocal + Mul(d, ·)`, optionally
///   followed by `Mul(gamma)` and `Add(beta)` with constant f32 gamma/beta (ReduceMean axes as the
///   attribute before opset 18, as a constant input from 18).
///
/// Every intermediate value must have the pattern's next node as its only reader and must not be
/// a graph output; the fused step takes the place of the pattern's last node.
extension GraphFusion {
    static func fuseElementwise(
        _ steps: [ExecutionPlan.Step], constants: [Int: ONNXValue], graphOutputs: Set<Int>
    ) -> (steps: [ExecutionPlan.Step], removed: Int) {
        let readers = StepReaders(steps, graphOutputs: graphOutputs)
        var producer = [Int: Int]()
        for (index, step) in steps.enumerated() { for output in step.outputs { if let output { producer[output] = index } } }
        var claimed = Set<Int>()
        var replaced = [Int: ExecutionPlan.Step]()

        /// The only node reading `slot` (a node reading it twice counts once), unless it is a graph output.
        func sole(_ slot: Int?) -> Int? { readers.soleReader(of: slot) }
        /// The unclaimed default-domain node `index` if it is an `op` with one output.
        func node(_ index: Int?, _ op: String) -> ExecutionPlan.Step? {
            guard let index, !claimed.contains(index) else { return nil }
            let step = steps[index]
            guard step.node.domain.isEmpty, step.node.opType == op, step.outputs.count == 1, step.outputs[0] != nil else { return nil }
            return step
        }
        /// For a binary `op` node reading `slot`, its other operand.
        func operand(_ index: Int?, _ op: String, besides slot: Int) -> Int? {
            guard let step = node(index, op), step.inputs.count == 2, let a = step.inputs[0], let b = step.inputs[1] else { return nil }
            return a == slot ? b : (b == slot ? a : nil)
        }
        func number(_ slot: Int?) -> Double? {
            // Rank <= 1, so that broadcasting against it never changes the other operand's shape
            // (except for a rank-0 operand against [1], which FusedGelu's `rank` handles).
            guard let slot, case let .tensor(t)? = constants[slot], t.count == 1, t.rank <= 1 else { return nil }
            switch t.dtype {
            case .float32: return (try? t.scalars(as: Float.self)).map { Double($0[0]) }
            case .float64: return (try? t.scalars(as: Double.self)).map { $0[0] }
            case .int64: return (try? t.scalars(as: Int64.self)).map { Double($0[0]) }
            case .int32: return (try? t.scalars(as: Int32.self)).map { Double($0[0]) }
            default: return nil
            }
        }
        /// Whether `slot` is a constant f32 scalar (or one-element tensor) equal to `value`.
        func isConstant(_ slot: Int?, _ value: Double) -> Bool {
            guard let slot, case let .tensor(t)? = constants[slot], t.dtype == .float32, let v = number(slot) else { return false }
            return abs(v - value) <= 1e-6 * abs(value)
        }
        /// For a commutative binary `op` node with a constant operand equal to `value`, the other operand.
        func constantOperand(_ index: Int?, _ op: String, _ value: Double) -> Int? {
            guard let step = node(index, op), step.inputs.count == 2, let a = step.inputs[0], let b = step.inputs[1] else { return nil }
            if isConstant(b, value) { return a }
            if isConstant(a, value) { return b }
            return nil
        }
        func output(_ index: Int) -> Int { steps[index].outputs[0]! }
        /// The highest rank among the constants the nodes read (0 or 1): a rank-0 x times a [1]
        /// constant gives [1], which the fused step must reproduce.
        func constantRank(_ nodes: [Int]) -> Int {
            nodes.flatMap { steps[$0].inputs }.compactMap { slot in slot.flatMap { constants[$0]?.tensor?.rank } }.max() ?? 0
        }

        /// `core -> Add(1) -> x * 0.5 * (1 + core)` in any association; the nodes and the last one.
        func geluTail(core: Int, x: Int) -> (nodes: [Int], last: Int)? {
            guard let addIndex = sole(core), constantOperand(addIndex, "Add", 1) == core else { return nil }
            let a = output(addIndex)
            guard let m1 = sole(a), let f = operand(m1, "Mul", besides: a) else { return nil }
            let p = output(m1)
            if f == x { // (x * a) * 0.5
                guard let m2 = sole(p), constantOperand(m2, "Mul", 0.5) == p else { return nil }
                return ([addIndex, m1, m2], m2)
            }
            if isConstant(f, 0.5) { // (a * 0.5) * x
                guard let m2 = sole(p), operand(m2, "Mul", besides: p) == x else { return nil }
                return ([addIndex, m1, m2], m2)
            }
            // (x * 0.5) * a
            guard let h = producer[f], sole(f) == m1, constantOperand(h, "Mul", 0.5) == x else { return nil }
            return ([addIndex, m1, h], m1)
        }

        func replace(_ nodes: [Int], last: Int, with step: ExecutionPlan.Step) {
            claimed.formUnion(nodes)
            replaced[last] = step
        }
        /// The value name of `slot`, as some node spells it.
        func name(of slot: Int?) -> String {
            guard let slot else { return "" }
            for step in steps {
                if let i = step.inputs.firstIndex(of: slot), i < step.node.inputs.count { return step.node.inputs[i] }
                if let i = step.outputs.firstIndex(of: slot), i < step.node.outputs.count { return step.node.outputs[i] }
            }
            return ""
        }
        func fusedNode(_ opType: String, last: Int, inputs: [Int?]) -> ONNXNode {
            let lastName = steps[last].node.name
            return ONNXNode(
                name: lastName.isEmpty ? "" : lastName + ".fused", opType: opType, domain: "aiplat",
                inputs: inputs.map(name(of:)),
                outputs: steps[last].node.outputs
            )
        }

        // Erf GELU.
        for (index, step) in steps.enumerated() where step.node.domain.isEmpty && step.node.opType == "Erf" {
            guard node(index, "Erf") != nil, let u = step.inputs.first ?? nil, let d = producer[u], sole(u) == index else { continue }
            let x: Int?
            if let divide = node(d, "Div"), divide.inputs.count == 2, isConstant(divide.inputs[1], 2.0.squareRoot()) {
                x = divide.inputs[0]
            } else {
                x = constantOperand(d, "Mul", 0.5.squareRoot())
            }
            guard let x, let tail = geluTail(core: output(index), x: x) else { continue }
            var fused = fusedNode("FusedGelu", last: tail.last, inputs: [x])
            fused.attributes["approximate"] = .string("none")
            fused.attributes["rank"] = .int(constantRank([d, index] + tail.nodes))
            replace([d, index] + tail.nodes, last: tail.last, with: ExecutionPlan.Step(
                node: fused, definition: fusedGelu, opset: 1, inputs: [x], outputs: steps[tail.last].outputs, releases: []
            ))
        }

        // Tanh GELU.
        for (index, step) in steps.enumerated() where step.node.domain.isEmpty && step.node.opType == "Tanh" {
            guard node(index, "Tanh") != nil, let t = step.inputs.first ?? nil, let k = producer[t], sole(t) == index,
                  let s = constantOperand(k, "Mul", (2 / Double.pi).squareRoot()), let sum = producer[s], sole(s) == k,
                  let add = node(sum, "Add"), add.inputs.count == 2, let l = add.inputs[0], let r = add.inputs[1] else { continue }
            /// `x^3` as `Pow(x, 3)` or `x * (x * x)` in any order; its nodes.
            func cube(_ slot: Int, of x: Int) -> [Int]? {
                guard let p = producer[slot] else { return nil }
                if let pow = node(p, "Pow"), pow.inputs.count == 2, pow.inputs[0] == x, number(pow.inputs[1]) == 3 { return [p] }
                guard let mul = node(p, "Mul"), mul.inputs.count == 2, let a = mul.inputs[0], let b = mul.inputs[1] else { return nil }
                let square = a == x ? b : (b == x ? a : nil)
                guard let square, square != x, let q = producer[square], sole(square) == p,
                      let sq = node(q, "Mul"), sq.inputs.count == 2, sq.inputs[0] == x, sq.inputs[1] == x else { return nil }
                return [p, q]
            }
            var matched: (x: Int, nodes: [Int])?
            for (x, q) in [(l, r), (r, l)] where matched == nil {
                guard let qi = producer[q], sole(q) == sum, let c = constantOperand(qi, "Mul", 0.044715), sole(c) == qi,
                      let nodes = cube(c, of: x) else { continue }
                matched = (x, nodes + [qi])
            }
            guard let matched, let tail = geluTail(core: output(index), x: matched.x) else { continue }
            var fused = fusedNode("FusedGelu", last: tail.last, inputs: [matched.x])
            fused.attributes["approximate"] = .string("tanh")
            fused.attributes["rank"] = .int(constantRank(matched.nodes + [sum, k, index] + tail.nodes))
            replace(matched.nodes + [sum, k, index] + tail.nodes, last: tail.last, with: ExecutionPlan.Step(
                node: fused, definition: fusedGelu, opset: 1, inputs: [matched.x], outputs: steps[tail.last].outputs, releases: []
            ))
        }

        // LayerNorm over the last axis.
        func meanOverLastAxis(_ index: Int?) -> Int? {
            guard let index, let step = node(index, "ReduceMean"), let x = step.inputs.first ?? nil else { return nil }
            if case let .int(keep)? = step.node.attributes["keepdims"], keep == 0 { return nil }
            if step.opset >= 18 {
                guard step.inputs.count == 2, let axesSlot = step.inputs[1], case let .tensor(axes)? = constants[axesSlot],
                      axes.count == 1, number(axesSlot) == -1 else { return nil }
            } else {
                guard case let .ints(axes)? = step.node.attributes["axes"], axes == [-1], step.inputs.count == 1 else { return nil }
            }
            return x
        }
        for index in steps.indices {
            guard let x = meanOverLastAxis(index) else { continue }
            let mean = output(index)
            guard let subIndex = sole(mean), let sub = node(subIndex, "Sub"), sub.inputs == [x, mean] else { continue }
            let d = output(subIndex)
            guard let dReaders = readers[d], dReaders.count == 2, !graphOutputs.contains(d) else { continue }
            // One reader squares d, the other divides it by the standard deviation.
            var square: Int?
            for r in dReaders {
                if let pow = node(r, "Pow"), pow.inputs.count == 2, pow.inputs[0] == d, number(pow.inputs[1]) == 2 { square = r }
                if let mul = node(r, "Mul"), mul.inputs == [d, d] { square = r }
            }
            guard let square, let scale = dReaders.first(where: { $0 != square }),
                  let varIndex = sole(output(square)), meanOverLastAxis(varIndex) == output(square),
                  let epsIndex = sole(output(varIndex)), let epsSlot = operand(epsIndex, "Add", besides: output(varIndex)),
                  case let .tensor(epsTensor)? = constants[epsSlot], epsTensor.dtype == .float32, let epsilon = number(epsSlot),
                  let sqrtIndex = sole(output(epsIndex)), node(sqrtIndex, "Sqrt") != nil,
                  let afterSqrt = sole(output(sqrtIndex)) else { continue }
            var nodes = [index, subIndex, square, varIndex, epsIndex, sqrtIndex]
            if let divide = node(afterSqrt, "Div"), afterSqrt == scale, divide.inputs == [d, output(sqrtIndex)] {
                nodes.append(afterSqrt)
            } else if node(afterSqrt, "Reciprocal") != nil, sole(output(afterSqrt)) == scale,
                      operand(scale, "Mul", besides: output(afterSqrt)) == d {
                nodes += [afterSqrt, scale]
            } else {
                continue
            }
            var last = scale
            func affine(_ op: String) -> Int? {
                guard let next = sole(output(last)), let slot = operand(next, op, besides: output(last)),
                      case let .tensor(t)? = constants[slot], t.dtype == .float32, t.rank == 1 else { return nil }
                nodes.append(next)
                last = next
                return slot
            }
            let gamma = affine("Mul")
            let beta = gamma == nil ? nil : affine("Add")
            var fused = fusedNode("FusedLayerNorm", last: last, inputs: [x, gamma, beta])
            fused.attributes["epsilon"] = .float(Float(epsilon))
            replace(nodes, last: last, with: ExecutionPlan.Step(
                node: fused, definition: fusedLayerNorm, opset: 1, inputs: [x, gamma, beta], outputs: steps[last].outputs, releases: []
            ))
        }

        var result = [ExecutionPlan.Step]()
        for (index, step) in steps.enumerated() where !claimed.contains(index) || replaced[index] != nil {
            result.append(replaced[index] ?? step)
        }
        return (result, steps.count - result.count)
    }

    /// GELU over f32: exact (`0.5 x (1 + erf(x / sqrt 2))`) or, with `approximate = "tanh"`,
    /// `0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))`.
    static let fusedGelu = OperatorDefinition("FusedGelu", domain: "aiplat") { context in
        let x = try context.tensor(0)
        guard x.dtype == .float32 else { throw context.fail("expected float32, got \(x.dtype)") }
        var out = try x.contiguous(forceCopy: true)
        if x.rank < context.int("rank", default: 0) { out = try out.reshaped([1]) }
        geluInPlace(out.storage.bytes.assumingMemoryBound(to: Float.self) + out.offset, count: out.count, tanh: context.string("approximate") == "tanh")
        return [.tensor(out)]
    }

    static func geluInPlace(_ values: UnsafeMutablePointer<Float>, count: Int, tanh: Bool) {
        if tanh {
            let k = Float((2 / Double.pi).squareRoot())
            for i in 0..<count {
                let v = values[i]
                values[i] = 0.5 * v * (1 + Foundation.tanh(k * (v + 0.044715 * v * v * v)))
            }
        } else {
            Kernels.geluInPlace(values, count: count)
        }
    }

    /// Layer normalization over the last axis through the LayerNormalization kernel
    /// (`Float32Kernels.layerNorm`); without gamma it scales by ones.
    static let fusedLayerNorm = OperatorDefinition("FusedLayerNorm", domain: "aiplat", single: { context in
        let x = try context.tensor(0).contiguous()
        guard x.dtype == .float32, let size = x.shape.last, size > 0 else { throw context.fail("expected a non-empty float32 tensor") }
        let epsilon = context.float("epsilon", default: 1e-5)
        let gamma = try context.optionalTensor(1)?.contiguous(), beta = try context.optionalTensor(2)?.contiguous()
        let ones = { try Tensor(shape: [size], scalars: [Float](repeating: 1, count: size)) }
        if let out = try Float32Kernels.layerNorm(x, rowSize: size, scale: gamma ?? ones(), bias: beta, epsilon: epsilon) {
            return .tensor(out)
        }
        // gamma/beta that only broadcast: normalize, then apply them as the graph did.
        guard var out = try Float32Kernels.layerNorm(x, rowSize: size, scale: ones(), bias: nil, epsilon: epsilon) else {
            throw context.fail("unsupported input \(x.dtype)\(x.shape)")
        }
        if let gamma { out = try Broadcasting.binary(out, gamma, op: .mul) }
        if let beta { out = try Broadcasting.binary(out, beta, op: .add) }
        return .tensor(out)
    })
}
