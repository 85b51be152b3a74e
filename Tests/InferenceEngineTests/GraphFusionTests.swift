import Foundation
import Testing
@testable import InferenceEngine

/// GELU and LayerNorm written out as elementwise subgraphs (PyTorch's exports before opset 17/20)
/// fuse into one step; every fused plan is compared with the same graph compiled with fusion off
/// (`GraphFusion.$isEnabled`) and with a double-precision formula.
@Suite("Graph fusion: decomposed GELU and LayerNorm")
struct GraphFusionTests {
    /// A graph under construction with generated value names.
    struct Builder {
        var nodes = [ONNXNode]()
        var initializers = [String: Tensor]()
        var counter = 0

        mutating func constant(_ values: [Float], shape: [Int] = []) -> String {
            counter += 1
            let name = "c\(counter)"
            initializers[name] = try! Tensor(shape: shape, scalars: values)
            return name
        }
        mutating func constant(_ value: Float) -> String { constant([value]) }
        mutating func ints(_ values: [Int64]) -> String {
            counter += 1
            let name = "i\(counter)"
            initializers[name] = try! Tensor(shape: [values.count], scalars: values)
            return name
        }
        @discardableResult
        mutating func op(_ type: String, _ inputs: [String], _ attributes: [String: ONNXAttribute] = [:]) -> String {
            counter += 1
            let output = "\(type.lowercased())\(counter)"
            nodes.append(ONNXNode(name: "\(type)_\(counter)", opType: type, inputs: inputs, outputs: [output], attributes: attributes))
            return output
        }

        func model(outputs: [String], opset: Int = 17, width: Int = 16, inputShape: [ONNXDimension]? = nil) -> ONNXModel {
            let graph = ONNXGraph(
                name: "g", nodes: nodes,
                inputs: [ONNXValueInfo(name: "x", type: .tensor(elementType: 1, dtype: .float32, shape: inputShape ?? [.symbol("N"), .value(width)]))],
                outputs: outputs.map { ONNXValueInfo(name: $0, type: .tensor(elementType: 1, dtype: .float32, shape: nil)) },
                initializers: initializers
            )
            return ONNXModel(graph: graph, opsets: ["": opset])
        }
    }

    static let width = 16

    /// Inputs in [-5, 5] with a per-row offset (so LayerNorm's mean is not 0).
    static func input(rows: Int = 3) throws -> Tensor {
        var values = [Float]()
        for r in 0..<rows {
            for c in 0..<width { values.append(Float(sin(Double(r * width + c) * 1.7) * 5) + Float(r)) }
        }
        return try Tensor(shape: [rows, width], scalars: values)
    }

    /// Runs `model` fused and unfused on the same input; returns the fused session, both outputs.
    static func compare(_ model: ONNXModel, output: String, input: Tensor? = nil) throws -> (session: InferenceSession, fused: [Float], unfused: [Float], unfusedSteps: Int) {
        let x = try input ?? Self.input()
        let session = try InferenceSession(model: model)
        let reference = try GraphFusion.$isEnabled.withValue(false) { try InferenceSession(model: model) }
        #expect(reference.plan.fusedNodeCount == 0)
        let fused = try #require(session.run(["x": x])[output]?.tensor).scalars(as: Float.self)
        let unfused = try #require(reference.run(["x": x])[output]?.tensor).scalars(as: Float.self)
        return (session, fused, unfused, reference.plan.stepCount)
    }

    static func expectClose(_ a: [Float], _ b: [Double], tolerance: Double, _ what: String) {
        #expect(a.count == b.count, "\(what): \(a.count) vs \(b.count) values")
        let worst = zip(a, b).map { abs(Double($0) - $1) / (1 + abs($1)) }.max() ?? 0
        #expect(worst <= tolerance, "\(what): max difference \(worst) > \(tolerance)")
    }

    /// Whether a GELU or LayerNorm pattern fused (the elementwise-chain pass may still join
    /// what is left: the negative cases compare bit for bit with the unfused plan instead).
    static func hasPatternFusion(_ plan: ExecutionPlan) -> Bool {
        plan.steps.contains { step in
            ["FusedGelu", "FusedLayerNorm"].contains(step.node.opType) || step.node.attributes["activation"] != nil
        }
    }

    static func gelu(_ x: Double) -> Double { 0.5 * x * (1 + erf(x / 2.0.squareRoot())) }
    static func geluTanh(_ x: Double) -> Double { 0.5 * x * (1 + tanh((2 / Double.pi).squareRoot() * (x + 0.044715 * x * x * x))) }

    // MARK: GELU

    enum ErfGelu: String, CaseIterable, CustomStringConvertible {
        /// torch.onnx opset 9..19: `(x * (1 + erf(x / sqrt2))) * 0.5`.
        case torch
        /// Constants first and a one-element [1] tensor: `0.5 * ((1 + erf(0.7071 * x)) * x)`.
        case constantsFirst
        /// `(x * 0.5) * (erf(x / sqrt2) + 1)` (TF/keras and hand-written exports).
        case halfFirst
        /// The ONNX Gelu function body: `x * ((erf(x * 0.7071) + 1) * 0.5)`.
        case onnxFunction
        var description: String { rawValue }
    }

    static func erfGelu(_ g: inout Builder, _ x: String, _ variant: ErfGelu, half: Float = 0.5) -> String {
        switch variant {
        case .torch:
            let erf = g.op("Erf", [g.op("Div", [x, g.constant(Float(2).squareRoot())])])
            return g.op("Mul", [g.op("Mul", [x, g.op("Add", [erf, g.constant(1)])]), g.constant(half)])
        case .constantsFirst:
            let erf = g.op("Erf", [g.op("Mul", [g.constant([0.70710678], shape: [1]), x])])
            return g.op("Mul", [g.constant([half], shape: [1]), g.op("Mul", [g.op("Add", [g.constant(1), erf]), x])])
        case .halfFirst:
            let h = g.op("Mul", [x, g.constant(half)])
            let erf = g.op("Erf", [g.op("Div", [x, g.constant(1.4142135)])])
            return g.op("Mul", [h, g.op("Add", [erf, g.constant(1)])])
        case .onnxFunction:
            let erf = g.op("Erf", [g.op("Mul", [x, g.constant(Float(0.5).squareRoot())])])
            return g.op("Mul", [x, g.op("Mul", [g.op("Add", [erf, g.constant(1)]), g.constant(half)])])
        }
    }

    @Test("erf GELU in every exporter's operand order fuses 5 nodes into 1 with unchanged results", arguments: ErfGelu.allCases)
    func erfGeluFuses(variant: ErfGelu) throws {
        var g = Builder()
        let y = Self.erfGelu(&g, "x", variant)
        let run = try Self.compare(g.model(outputs: [y]), output: y)
        #expect(run.unfusedSteps == 5)
        #expect(run.session.plan.stepCount == 1)
        #expect(run.session.plan.fusedNodeCount == 4)
        #expect(run.session.plan.steps.first?.node.opType == "FusedGelu")
        Self.expectClose(run.fused, run.unfused.map(Double.init), tolerance: 1e-6, "fused vs unfused")
        Self.expectClose(run.fused, try Self.input().scalars(as: Float.self).map { Self.gelu(Double($0)) }, tolerance: 1e-6, "fused vs formula")
    }

    @Test("a rank-0 input times [1] constants keeps the unfused output shape [1]")
    func geluScalarInput() throws {
        var g = Builder()
        let y = Self.erfGelu(&g, "x", .constantsFirst)
        let model = g.model(outputs: [y], inputShape: [])
        let x = try Tensor(shape: [], scalars: [Float(0.75)])
        let fused = try InferenceSession(model: model)
        let unfused = try GraphFusion.$isEnabled.withValue(false) { try InferenceSession(model: model) }
        #expect(fused.plan.stepCount == 1)
        let a = try #require(fused.run(["x": x])[y]?.tensor), b = try #require(unfused.run(["x": x])[y]?.tensor)
        #expect(a.shape == [1])
        #expect(a.shape == b.shape)
        Self.expectClose(try a.scalars(as: Float.self), [Self.gelu(0.75)], tolerance: 1e-6, "gelu(0.75)")
    }

    @Test("tanh GELU with Pow(x, 3) or x*x*x fuses into 1 step", arguments: [false, true])
    func tanhGeluFuses(cubeAsProducts: Bool) throws {
        var g = Builder()
        let cube = cubeAsProducts ? g.op("Mul", [g.op("Mul", ["x", "x"]), "x"]) : g.op("Pow", ["x", g.constant(3)])
        let inner = g.op("Add", ["x", g.op("Mul", [g.constant(0.044715), cube])])
        let t = g.op("Tanh", [g.op("Mul", [inner, g.constant(Float((2 / Double.pi).squareRoot()))])])
        let y = g.op("Mul", [g.op("Mul", ["x", g.constant(0.5)]), g.op("Add", [g.constant(1), t])])
        let run = try Self.compare(g.model(outputs: [y]), output: y)
        let nodes = cubeAsProducts ? 9 : 8
        #expect(run.unfusedSteps == nodes)
        #expect(run.session.plan.stepCount == 1)
        #expect(run.session.plan.fusedNodeCount == nodes - 1)
        #expect(run.session.plan.steps.first?.node.attributes["approximate"].map { if case .string("tanh") = $0 { true } else { false } } == true)
        Self.expectClose(run.fused, run.unfused.map(Double.init), tolerance: 1e-5, "fused vs unfused")
        Self.expectClose(run.fused, try Self.input().scalars(as: Float.self).map { Self.geluTanh(Double($0)) }, tolerance: 1e-5, "fused vs formula")
    }

    @Test("MatMul + bias + GELU (erf or tanh) is one FusedMatMulBias step", arguments: [false, true])
    func matMulBiasGelu(tanh: Bool) throws {
        var g = Builder()
        let weights = (0..<(Self.width * 8)).map { Float(cos(Double($0) * 0.37) * 0.4) }
        let linear = g.op("Add", [g.op("MatMul", ["x", g.constant(weights, shape: [Self.width, 8])]), g.constant((0..<8).map { Float($0) * 0.1 - 0.3 }, shape: [8])])
        let y: String
        if tanh {
            let inner = g.op("Add", [linear, g.op("Mul", [g.op("Pow", [linear, g.constant(3)]), g.constant(0.044715)])])
            let t = g.op("Tanh", [g.op("Mul", [g.constant(0.7978846), inner])])
            y = g.op("Mul", [g.op("Mul", [linear, g.op("Add", [t, g.constant(1)])]), g.constant(0.5)])
        } else {
            y = Self.erfGelu(&g, linear, .torch)
        }
        let run = try Self.compare(g.model(outputs: [y]), output: y)
        let nodes = tanh ? 10 : 7
        #expect(run.unfusedSteps == nodes)
        #expect(run.session.plan.stepCount == 1)
        #expect(run.session.plan.fusedNodeCount == nodes - 1)
        let step = try #require(run.session.plan.steps.first)
        #expect(step.node.opType == "FusedMatMulBias")
        #expect(step.node.attributes["activation"].map { if case .string(tanh ? "GeluTanh" : "Gelu") = $0 { true } else { false } } == true)
        Self.expectClose(run.fused, run.unfused.map(Double.init), tolerance: 1e-5, "fused vs unfused")
    }

    @Test("GELU does not fuse with a wrong constant, a second reader of an intermediate, or an intermediate graph output")
    func geluNegativeCases() throws {
        // 0.6 instead of 0.5.
        var wrong = Builder()
        let y1 = Self.erfGelu(&wrong, "x", .torch, half: 0.6)
        var run = try Self.compare(wrong.model(outputs: [y1]), output: y1)
        #expect(!Self.hasPatternFusion(run.session.plan))
        #expect(run.fused == run.unfused)
        // sqrt(3) instead of sqrt(2).
        var divisor = Builder()
        let erf = divisor.op("Erf", [divisor.op("Div", ["x", divisor.constant(Float(3).squareRoot())])])
        let y2 = divisor.op("Mul", [divisor.op("Mul", ["x", divisor.op("Add", [erf, divisor.constant(1)])]), divisor.constant(0.5)])
        run = try Self.compare(divisor.model(outputs: [y2]), output: y2)
        #expect(!Self.hasPatternFusion(run.session.plan))
        #expect(run.fused == run.unfused)
        // 1 + erf also read by a Neg whose result is a graph output.
        var shared = Builder()
        let erf3 = shared.op("Erf", [shared.op("Div", ["x", shared.constant(Float(2).squareRoot())])])
        let plus = shared.op("Add", [erf3, shared.constant(1)])
        let y3 = shared.op("Mul", [shared.op("Mul", ["x", plus]), shared.constant(0.5)])
        let other = shared.op("Neg", [plus])
        run = try Self.compare(shared.model(outputs: [y3, other]), output: y3)
        #expect(!Self.hasPatternFusion(run.session.plan))
        #expect(run.fused == run.unfused)
        // erf(x / sqrt2) itself is a graph output.
        var exposed = Builder()
        let y4 = Self.erfGelu(&exposed, "x", .torch)
        let erfOutput = try #require(exposed.nodes.first { $0.opType == "Erf" }?.outputs.first)
        run = try Self.compare(exposed.model(outputs: [y4, erfOutput]), output: y4)
        #expect(!Self.hasPatternFusion(run.session.plan))
        #expect(run.fused == run.unfused)
    }

    // MARK: LayerNorm

    enum LayerNormVariant: String, CaseIterable, CustomStringConvertible {
        /// torch.onnx opset < 17: axes attribute, Pow, Div, Mul(gamma), Add(beta).
        case torch
        /// Opset 18: axes as an input, Mul(d, d), Add(eps, var), no gamma/beta.
        case opset18NoAffine
        /// Reciprocal + Mul and gamma without beta.
        case reciprocalGammaOnly
        var description: String { rawValue }
    }

    static let gamma: [Float] = (0..<16).map { 0.8 + Float($0) * 0.025 }
    static let beta: [Float] = (0..<16).map { Float($0 % 5) * 0.1 - 0.2 }
    static let epsilon: Float = 1e-5

    static func layerNorm(_ g: inout Builder, _ x: String, _ variant: LayerNormVariant, axes: Int64 = -1) -> String {
        func reduceMean(_ input: String) -> String {
            variant == .opset18NoAffine ? g.op("ReduceMean", [input, g.ints([axes])]) : g.op("ReduceMean", [input], ["axes": .ints([Int(axes)])])
        }
        let d = g.op("Sub", [x, reduceMean(x)])
        let square = variant == .opset18NoAffine ? g.op("Mul", [d, d]) : g.op("Pow", [d, g.constant(2)])
        let variance = reduceMean(square)
        let eps = g.constant(Self.epsilon)
        let std = g.op("Sqrt", [variant == .opset18NoAffine ? g.op("Add", [eps, variance]) : g.op("Add", [variance, eps])])
        switch variant {
        case .torch:
            let n = g.op("Div", [d, std])
            return g.op("Add", [g.op("Mul", [n, g.constant(Self.gamma, shape: [16])]), g.constant(Self.beta, shape: [16])])
        case .opset18NoAffine:
            return g.op("Div", [d, std])
        case .reciprocalGammaOnly:
            let n = g.op("Mul", [g.op("Reciprocal", [std]), d])
            return g.op("Mul", [g.constant(Self.gamma, shape: [16]), n])
        }
    }

    static func layerNormFormula(_ x: [Float], gamma: [Float]?, beta: [Float]?) -> [Double] {
        var out = [Double]()
        for row in stride(from: 0, to: x.count, by: width) {
            let values = x[row..<(row + width)].map(Double.init)
            let mean = values.reduce(0, +) / Double(width)
            let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(width)
            for (k, v) in values.enumerated() {
                out.append((v - mean) / (variance + Double(epsilon)).squareRoot() * Double(gamma?[k] ?? 1) + Double(beta?[k] ?? 0))
            }
        }
        return out
    }

    @Test("LayerNorm written out (torch opset 14 style, opset 18, Reciprocal) fuses into one step", arguments: LayerNormVariant.allCases)
    func layerNormFuses(variant: LayerNormVariant) throws {
        var g = Builder()
        let y = Self.layerNorm(&g, "x", variant)
        let run = try Self.compare(g.model(outputs: [y], opset: variant == .opset18NoAffine ? 18 : 17), output: y)
        let nodes = switch variant { case .torch: 9; case .opset18NoAffine: 7; case .reciprocalGammaOnly: 9 }
        #expect(run.unfusedSteps == nodes)
        #expect(run.session.plan.stepCount == 1)
        #expect(run.session.plan.fusedNodeCount == nodes - 1)
        #expect(run.session.plan.steps.first?.node.opType == "FusedLayerNorm")
        Self.expectClose(run.fused, run.unfused.map(Double.init), tolerance: 1e-5, "fused vs unfused")
        let gamma = variant == .opset18NoAffine ? nil : Self.gamma, beta = variant == .torch ? Self.beta : nil
        Self.expectClose(run.fused, Self.layerNormFormula(try Self.input().scalars(as: Float.self), gamma: gamma, beta: beta), tolerance: 1e-5, "fused vs formula")
    }

    @Test("LayerNorm does not fuse over another axis, with a second reader of the variance, or with the centred value as an output")
    func layerNormNegativeCases() throws {
        // Axis 0 instead of -1.
        var axis = Builder()
        let y1 = Self.layerNorm(&axis, "x", .torch, axes: 0)
        var run = try Self.compare(axis.model(outputs: [y1]), output: y1)
        #expect(!Self.hasPatternFusion(run.session.plan))
        #expect(run.fused == run.unfused)
        // The variance also feeds a second output.
        var shared = Builder()
        let y2 = Self.layerNorm(&shared, "x", .torch)
        let variance = try #require(shared.nodes.filter { $0.opType == "ReduceMean" }.last?.outputs.first)
        let extra = shared.op("Neg", [variance])
        run = try Self.compare(shared.model(outputs: [y2, extra]), output: y2)
        #expect(!Self.hasPatternFusion(run.session.plan))
        #expect(run.fused == run.unfused)
        // x - mean is a graph output.
        var exposed = Builder()
        let y3 = Self.layerNorm(&exposed, "x", .torch)
        let centred = try #require(exposed.nodes.first { $0.opType == "Sub" }?.outputs.first)
        run = try Self.compare(exposed.model(outputs: [y3, centred]), output: y3)
        #expect(!Self.hasPatternFusion(run.session.plan))
        #expect(run.fused == run.unfused)
    }

    @Test("a one-value gamma and beta ([1]) fuse and broadcast as the unfused graph does")
    func layerNormBroadcastGamma() throws {
        var g = Builder()
        let n = Self.layerNorm(&g, "x", .opset18NoAffine)
        let y = g.op("Add", [g.op("Mul", [n, g.constant([1.5], shape: [1])]), g.constant([-0.25], shape: [1])])
        let run = try Self.compare(g.model(outputs: [y], opset: 18), output: y)
        #expect(run.session.plan.stepCount == 1)
        #expect(run.session.plan.fusedNodeCount == 8)
        Self.expectClose(run.fused, run.unfused.map(Double.init), tolerance: 1e-5, "fused vs unfused")
    }

    @Test("a non-constant gamma stays a separate Mul after the fused LayerNorm")
    func layerNormWithRuntimeGamma() throws {
        var g = Builder()
        let n = Self.layerNorm(&g, "x", .opset18NoAffine)
        let y = g.op("Mul", [n, "x"])
        let run = try Self.compare(g.model(outputs: [y], opset: 18), output: y)
        #expect(run.session.plan.stepCount == 2)
        #expect(run.session.plan.fusedNodeCount == 6)
        Self.expectClose(run.fused, run.unfused.map(Double.init), tolerance: 1e-5, "fused vs unfused")
    }

    // MARK: Fixtures

    @Test("bert_block (torch opset 14 export) fuses all 5 LayerNorms and both GELUs and matches the unfused plan")
    func bertBlockPlan() throws {
        let url = ONNXFixtureTests.fixturesDirectory.appendingPathComponent("bert_block/model.onnx")
        let model = try ONNXModel.load(contentsOf: url)
        let fused = try InferenceSession(model: model)
        let unfused = try GraphFusion.$isEnabled.withValue(false) { try InferenceSession(model: model) }
        let ops = fused.plan.steps.map(\.node.opType)
        #expect(ops.filter { $0 == "FusedLayerNorm" }.count == 5)
        #expect(!ops.contains { ["Erf", "ReduceMean", "Pow", "Sqrt", "Sub", "FusedGelu"].contains($0) })
        let gelus = fused.plan.steps.filter { step in
            step.node.attributes["activation"].map { if case .string("Gelu") = $0 { true } else { false } } ?? false
        }
        #expect(gelus.count == 2)
        // 5 LayerNorms of 9 nodes -> 1 each (40 fewer), 2 GELUs of 5 nodes folded into the MatMul
        // before them (10 fewer), 12 MatMul+Add(bias) pairs -> FusedMatMulBias (12 fewer), the
        // attention core MatMul -> Div -> Softmax -> MatMul of both layers (6 fewer), and the head
        // split/merge Reshape+Transpose pairs around it (8 per layer fewer): 113 -> 29; the final
        // Identity before the graph output is dropped in both plans.
        #expect(unfused.plan.stepCount == 112)
        #expect(fused.plan.fusedNodeCount == 84)
        #expect(fused.plan.stepCount == 28)
        #expect(!ops.contains("Identity"))
        #expect(ops.filter { $0 == "MultiHeadAttention" }.count == 2)
        #expect(!ops.contains { ["Softmax", "Transpose", "Reshape", "ScaledDotProductAttention"].contains($0) })
        let input = try ONNXTestData.readTensor(url.deletingLastPathComponent().appendingPathComponent("test_data_set_1/input_0.pb")).tensor
        let a = try #require(fused.run(["input": input])["output"]?.tensor).scalars(as: Float.self)
        let b = try #require(unfused.run(["input": input])["output"]?.tensor).scalars(as: Float.self)
        Self.expectClose(a, b.map(Double.init), tolerance: 1e-5, "bert_block fused vs unfused")
    }

    @Test("transformer_encoder's exported GELU also folds into its MatMul+bias")
    func transformerEncoderGelu() throws {
        let session = try InferenceSession(contentsOf: ONNXFixtureTests.fixturesDirectory.appendingPathComponent("transformer_encoder/model.onnx"))
        #expect(!session.plan.steps.contains { $0.node.opType == "Erf" })
    }

    @Test("the attention core fuses into one step whose output is bit-identical to the four unfused steps")
    func attentionFusion() throws {
        let url = ONNXFixtureTests.fixturesDirectory.appendingPathComponent("transformer_encoder/model.onnx")
        let model = try ONNXModel.load(contentsOf: url)
        let fused = try InferenceSession(model: model)
        #expect(fused.plan.steps.filter { $0.node.opType == "MultiHeadAttention" }.count == 2)
        #expect(!fused.plan.steps.contains { ["Softmax", "Transpose"].contains($0.node.opType) })
        // Making each layer's scaled scores a graph output keeps its attention unfused.
        var blocked = model
        let softmaxInputs = Set(model.graph.nodes.filter { $0.opType == "Softmax" }.map { $0.inputs[0] })
        for node in model.graph.nodes where node.opType == "Div" && softmaxInputs.contains(node.outputs[0]) {
            blocked.graph.outputs.append(ONNXValueInfo(name: node.outputs[0], type: .tensor(elementType: 1, dtype: .float32, shape: nil)))
        }
        let unfused = try InferenceSession(model: blocked)
        #expect(!unfused.plan.steps.contains { ["ScaledDotProductAttention", "MultiHeadAttention"].contains($0.node.opType) })
        // Making each layer's head-merge Transpose a graph output keeps the core fused, the heads not.
        var coreOnly = model
        let coreOutputs = Set(model.graph.nodes.filter { $0.opType == "MatMul" && $0.inputs[0].hasPrefix("softmax") }.map { $0.outputs[0] })
        for node in model.graph.nodes where node.opType == "Transpose" && coreOutputs.contains(node.inputs[0]) {
            coreOnly.graph.outputs.append(ONNXValueInfo(name: node.outputs[0], type: .tensor(elementType: 1, dtype: .float32, shape: nil)))
        }
        let core = try InferenceSession(model: coreOnly)
        #expect(core.plan.steps.filter { $0.node.opType == "ScaledDotProductAttention" }.count == 2)
        #expect(!core.plan.steps.contains { $0.node.opType == "MultiHeadAttention" })
        for set in ["test_data_set_0", "test_data_set_1"] {
            let input = try ONNXTestData.readTensor(url.deletingLastPathComponent().appendingPathComponent("\(set)/input_0.pb")).tensor
            let a = try #require(fused.run(["input": input])["output"]?.tensor)
            let b = try #require(unfused.run(["input": input])["output"]?.tensor)
            let c = try #require(core.run(["input": input])["output"]?.tensor)
            #expect(try a.digest() == b.digest(), "\(set)")
            #expect(try c.digest() == b.digest(), "\(set)")
        }
    }

    @Test("an Identity that only feeds graph outputs is dropped (also a pass-through of the input); one with readers stays")
    func identityBeforeOutputs() throws {
        var g = Builder()
        let negated = g.op("Neg", ["x"])
        let y = g.op("Identity", [negated])
        let passThrough = g.op("Identity", ["x"])
        let kept = g.op("Identity", [negated])
        let z = g.op("Abs", [kept])
        let model = g.model(outputs: [y, passThrough, z], opset: 17)
        let session = try InferenceSession(model: model)
        #expect(session.plan.steps.filter { $0.node.opType == "Identity" }.count == 1)
        let x = try Self.input()
        let result = try session.run(["x": x])
        let values = try x.scalars(as: Float.self)
        #expect(try #require(result[y]?.tensor).scalars(as: Float.self) == values.map { -$0 })
        #expect(try #require(result[passThrough]?.tensor).scalars(as: Float.self) == values)
        #expect(try #require(result[z]?.tensor).scalars(as: Float.self) == values.map { Swift.abs($0) })
    }

    // MARK: Elementwise chains

    @Test("an elementwise chain (every operation, both operand sides, scalar and full operands) is one step, bit-identical")
    func elementwiseChain() throws {
        var g = Builder()
        var v = g.op("Neg", ["x"])
        v = g.op("Sub", [g.constant(0.25), v])
        v = g.op("Mul", [v, "x"])
        v = g.op("Div", ["x", v])
        v = g.op("Abs", [v])
        v = g.op("Add", [v, g.constant([1.5], shape: [1])])
        v = g.op("Sub", [v, "x"])
        v = g.op("Relu", [v])
        v = g.op("Mul", [g.constant(3), v])
        v = g.op("Div", [v, g.constant(7)])
        v = g.op("Sum", [v, "x"])
        let run = try Self.compare(g.model(outputs: [v], opset: 17), output: v)
        #expect(run.unfusedSteps == 11)
        #expect(run.session.plan.steps.map(\.node.opType) == ["ElementwiseChain"])
        #expect(run.session.plan.fusedNodeCount == 10)
        #expect(run.fused.map(\.bitPattern) == run.unfused.map(\.bitPattern))
        #expect(run.fused.contains { $0 != 0 })
    }

    @Test("a chain whose operand would broadcast the value runs its original steps; an intermediate output or second reader ends a chain")
    func elementwiseChainLimits() throws {
        // [1, 16] operand against [3, 16] values, and a rank-3 single value: the output shape
        // differs from the chain value's, so the fused step runs the unfused steps.
        for (values, shape) in [([Float](repeating: 0.5, count: 16), [1, 16]), ([2], [1, 1, 1])] {
            var g = Builder()
            let y = g.op("Add", [g.op("Neg", ["x"]), g.constant(values, shape: shape)])
            let model = g.model(outputs: [y], opset: 17)
            let session = try InferenceSession(model: model)
            #expect(session.plan.steps.map(\.node.opType) == ["ElementwiseChain"])
            let x = try Self.input()
            let fused = try #require(session.run(["x": x])[y]?.tensor)
            let unfused = try #require(GraphFusion.$isEnabled.withValue(false) { try InferenceSession(model: model) }.run(["x": x])[y]?.tensor)
            #expect(fused.shape == unfused.shape)
            #expect(fused.shape == (shape.count == 3 ? [1, 3, 16] : [3, 16]))
            #expect(try fused.digest() == unfused.digest())
        }
        // Neg's output also a graph output: no chain.
        var exposed = Builder()
        let negated = exposed.op("Neg", ["x"])
        let y = exposed.op("Abs", [negated])
        #expect(try InferenceSession(model: exposed.model(outputs: [y, negated])).plan.fusedNodeCount == 0)
        // Mul(d, d) reads the chain value twice: the chain stops before it.
        var square = Builder()
        let d = square.op("Neg", ["x"])
        let z = square.op("Mul", [d, d])
        #expect(try InferenceSession(model: square.model(outputs: [z])).plan.stepCount == 2)
    }

    @Test("svm_classifier's post-processing chains fuse; labels and scores bit-identical to the unfused graph")
    func svmClassifierChains() throws {
        let directory = ONNXFixtureTests.fixturesDirectory.appendingPathComponent("svm_classifier")
        let model = try ONNXModel.load(contentsOf: directory.appendingPathComponent("model.onnx"))
        let fused = try InferenceSession(model: model)
        let unfused = try GraphFusion.$isEnabled.withValue(false) { try InferenceSession(model: model) }
        #expect(fused.plan.steps.filter { $0.node.opType == "ElementwiseChain" }.count == 6)
        #expect(fused.plan.fusedNodeCount == 11)
        for set in ["test_data_set_0", "test_data_set_1"] {
            let input = try ONNXTestData.readTensor(directory.appendingPathComponent("\(set)/input_0.pb")).tensor
            let name = fused.inputs[0].name
            #expect(try fused.run([name: input]).digest() == unfused.run([name: input]).digest(), "\(set)")
        }
    }

    /// Self-attention over `x` `[1, 4, 8]` written as exporters do, with the given reshape targets.
    static func multiHeadAttention(split: [Int64], merge: [Int64]) -> ONNXModel {
        var g = Builder()
        let shape = g.ints(split)
        let q = g.op("Transpose", [g.op("Reshape", ["x", shape])], ["perm": .ints([0, 2, 1, 3])])
        let k = g.op("Transpose", [g.op("Reshape", ["x", shape])], ["perm": .ints([0, 2, 3, 1])])
        let v = g.op("Transpose", [g.op("Reshape", ["x", shape])], ["perm": .ints([0, 2, 1, 3])])
        let scores = g.op("Div", [g.op("MatMul", [q, k]), g.constant(2)])
        let heads = g.op("MatMul", [g.op("Softmax", [scores], ["axis": .int(-1)]), v])
        let y = g.op("Reshape", [g.op("Transpose", [heads], ["perm": .ints([0, 2, 1, 3])]), g.ints(merge)])
        return g.model(outputs: [y], opset: 17, inputShape: [.value(1), .value(4), .value(8)])
    }

    @Test("multi-head attention reads heads in place, bit-identical to the unfused steps; other reshapes run those steps",
          arguments: [([0, 0, 2, 4], [1, -1, 8], true), ([1, 4, 4, 2], [0, 4, 8], true), ([1, 2, 2, 8], [1, 4, 8], false)] as [([Int64], [Int64], Bool)])
    func multiHeadAttention(split: [Int64], merge: [Int64], headSplit: Bool) throws {
        let model = Self.multiHeadAttention(split: split, merge: merge)
        let values = (0..<32).map { Float(sin(Double($0) * 0.9) * 3) }
        let x = try Tensor(shape: [1, 4, 8], scalars: values)
        let fused = try InferenceSession(model: model)
        let unfused = try GraphFusion.$isEnabled.withValue(false) { try InferenceSession(model: model) }
        #expect(fused.plan.steps.map(\.node.opType) == ["MultiHeadAttention"])
        #expect(fused.plan.fusedNodeCount == 11)
        let output = try #require(model.graph.outputs.first?.name)
        let a = try #require(fused.run(["x": x])[output]?.tensor)
        let b = try #require(unfused.run(["x": x])[output]?.tensor)
        #expect(a.shape == [1, 4, 8])
        #expect(try a.digest() == b.digest())
        // Whether the fast path ran: it never builds the unfused steps' intermediates.
        let fast = try MultiHeadAttentionFusion.headSplitAttention(OperatorContext(
            step: fused.plan.steps[0], inputs: fused.plan.steps[0].inputs.map { slot in
                slot.flatMap { s in fused.plan.constants.first { $0.slot == s }?.value } ?? .tensor(x)
            }, options: .default))
        #expect((fast != nil) == headSplit)
    }
}
