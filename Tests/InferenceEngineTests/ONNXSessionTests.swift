import Foundation
import Testing
@testable import InferenceEngine

@Suite("ONNX sessions: input checks, bad files, unsupported operators, plans")
struct ONNXSessionTests {
    static func mlp() throws -> URL {
        ONNXFixtureTests.fixturesDirectory.appendingPathComponent("mlp/model.onnx")
    }

    @Test("a missing, unknown, mistyped or misshapen input is rejected naming the input and what was expected")
    func inputChecks() throws {
        let session = try InferenceSession(contentsOf: Self.mlp())
        let input = try #require(session.inputs.first)
        #expect(throws: ONNXError.self) { try session.run([String: Tensor]()) }
        do {
            _ = try session.run([String: Tensor]())
        } catch let error as ONNXError {
            #expect(error.kind == .invalidInput)
            #expect(error.message.contains("missing input \"\(input.name)\""))
        }
        do {
            _ = try session.run([input.name: try Tensor(shape: [1, 16], scalars: [Int64](repeating: 1, count: 16))])
            Issue.record("int64 input accepted")
        } catch let error as ONNXError {
            #expect(error.message.contains("has datatype INT64, expected FP32"))
        }
        do {
            _ = try session.run([input.name: try Tensor(zeros: [1, 15])])
            Issue.record("wrong shape accepted")
        } catch let error as ONNXError {
            #expect(error.message.contains("has shape [1, 15], expected"))
        }
        do {
            _ = try session.run([input.name: try Tensor(zeros: [1, 16]), "bogus": try Tensor(zeros: [1])])
            Issue.record("unknown input accepted")
        } catch let error as ONNXError {
            #expect(error.message.contains("unknown input \"bogus\""))
        }
    }

    @Test("a corrupt or truncated model file is one clear invalidModel error")
    func corruptModel() throws {
        let bytes = try Data(contentsOf: Self.mlp())
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("aiplat-onnx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let truncated = directory.appendingPathComponent("truncated.onnx")
        try bytes.prefix(bytes.count / 2).write(to: truncated)
        let garbage = directory.appendingPathComponent("garbage.onnx")
        try Data("this is not a model".utf8).write(to: garbage)
        let empty = directory.appendingPathComponent("empty.onnx")
        try Data().write(to: empty)
        for url in [truncated, garbage, empty] {
            do {
                _ = try InferenceSession(contentsOf: url)
                Issue.record("\(url.lastPathComponent) loaded")
            } catch let error as ONNXError {
                #expect(error.kind == .invalidModel, "\(url.lastPathComponent): \(error)")
                #expect(!error.message.contains("\n"))
            }
        }
    }

    @Test("an unsupported operator fails planning with the pre-flight list of nodes")
    func unsupportedOperator() throws {
        let graph = ONNXGraph(
            name: "g",
            nodes: [
                ONNXNode(name: "first", opType: "NoSuchOp", inputs: ["x"], outputs: ["y"]),
                ONNXNode(name: "second", opType: "NoSuchOp", inputs: ["y"], outputs: ["z"]),
                ONNXNode(name: "fine", opType: "Relu", inputs: ["z"], outputs: ["w"]),
            ],
            inputs: [ONNXValueInfo(name: "x", type: .tensor(elementType: 1, dtype: .float32, shape: [.value(2)]))],
            outputs: [ONNXValueInfo(name: "w", type: .tensor(elementType: 1, dtype: .float32, shape: nil))],
            initializers: [:]
        )
        let model = ONNXModel(graph: graph, opsets: ["": 17])
        let report = PreflightReport(model: model)
        #expect(report.unsupported.map(\.opType) == ["NoSuchOp"])
        #expect(report.unsupported.first?.nodes == ["first", "second"])
        #expect(!report.deterministic)
        do {
            _ = try InferenceSession(model: model)
            Issue.record("unsupported graph compiled")
        } catch let error as ONNXError {
            #expect(error.kind == .unsupported)
            #expect(error.message.contains("ai.onnx:NoSuchOp (opset 17) used by first, second"))
        }
    }

    @Test("constant subgraphs fold at plan time and MatMul+Add+Relu fuses, with unchanged results")
    func foldingAndFusion() throws {
        let weights = try Tensor(shape: [3, 2], scalars: [Float](arrayLiteral: 1, -2, 3, -4, 5, -6))
        let graph = ONNXGraph(
            name: "g",
            nodes: [
                ONNXNode(name: "c", opType: "Constant", inputs: [], outputs: ["bias0"], attributes: ["value": .tensor(try Tensor(shape: [2], scalars: [Float](arrayLiteral: 0.5, 1)))]),
                ONNXNode(name: "double", opType: "Add", inputs: ["bias0", "bias0"], outputs: ["bias"]),
                ONNXNode(name: "mm", opType: "MatMul", inputs: ["x", "w"], outputs: ["p"]),
                ONNXNode(name: "add", opType: "Add", inputs: ["p", "bias"], outputs: ["s"]),
                ONNXNode(name: "relu", opType: "Relu", inputs: ["s"], outputs: ["y"]),
            ],
            inputs: [ONNXValueInfo(name: "x", type: .tensor(elementType: 1, dtype: .float32, shape: [.symbol("N"), .value(3)]))],
            outputs: [ONNXValueInfo(name: "y", type: .tensor(elementType: 1, dtype: .float32, shape: nil))],
            initializers: ["w": weights]
        )
        let session = try InferenceSession(model: ONNXModel(graph: graph, opsets: ["": 17]))
        #expect(session.plan.foldedNodeCount == 2)
        #expect(session.plan.fusedNodeCount == 2)
        #expect(session.plan.stepCount == 1)
        let x = try Tensor(shape: [2, 3], scalars: [Float](arrayLiteral: 1, 1, 1, 0, 1, -1))
        let y = try #require(session.run(["x": x])["y"]?.tensor)
        // numpy: np.maximum(x @ w + [1, 2], 0)
        #expect(try y.scalars(as: Float.self) == [10, 0, 0, 4])
    }

    @Test("Conv -> BatchNormalization -> Relu and Conv -> Relu each become one Conv (the fixture test checks the outputs)")
    func convBatchNormFusion() throws {
        let session = try InferenceSession(contentsOf: ONNXFixtureTests.fixturesDirectory.appendingPathComponent("small_cnn/model.onnx"))
        let model = session.model
        #expect(model.graph.nodes.contains { $0.opType == "BatchNormalization" })
        #expect(model.graph.nodes.count == 10)
        // BatchNormalization and both Relus are absorbed: Conv, MaxPool, Conv, GlobalAveragePool,
        // Flatten, Gemm, ArgMax remain.
        #expect(session.plan.fusedNodeCount == 3)
        #expect(session.plan.stepCount == 7)
    }

    @Test("dynamically quantized Linear layers fuse into one step each, bit-identical to the unfused graph")
    func quantizedMatMulFusion() throws {
        let directory = ONNXFixtureTests.fixturesDirectory.appendingPathComponent("quantized_mlp")
        let model = try ONNXModel.load(contentsOf: directory.appendingPathComponent("model.onnx"))
        let fused = try InferenceSession(model: model)
        // Three layers of DynamicQuantizeLinear, Mul, MatMulInteger, Cast, Mul, Add (+ Relu on two):
        // 20 nodes become 3; Softmax and ArgMax remain.
        #expect(model.graph.nodes.count == 22)
        #expect(fused.plan.fusedNodeCount == 17)
        #expect(fused.plan.stepCount == 5)
        // The same graph with every MatMulInteger output also a graph output cannot fuse.
        var unfusedModel = model
        for node in model.graph.nodes where node.opType == "MatMulInteger" {
            unfusedModel.graph.outputs.append(ONNXValueInfo(name: node.outputs[0], type: .tensor(elementType: 6, dtype: .int32, shape: nil)))
        }
        let unfused = try InferenceSession(model: unfusedModel)
        #expect(!unfused.plan.steps.contains { $0.node.opType == "DynamicQuantizedMatMul" })
        for set in ["test_data_set_0", "test_data_set_1"] {
            let input = try ONNXTestData.readTensor(directory.appendingPathComponent("\(set)/input_0.pb")).tensor
            let name = fused.inputs[0].name
            let a = try fused.run([name: input]), b = try unfused.run([name: input])
            for output in a.outputs {
                let x = try #require(output.value.tensor), y = try #require(b[output.name]?.tensor)
                #expect(try x.digest() == y.digest(), "\(output.name) differs in \(set)")
            }
        }
    }

    @Test("the memory plan reuses buffers: a warm plan takes every buffer of a run from its pool")
    func bufferReuse() throws {
        // A transformer encoder: many intermediates of the same size, so buffers recur in one run.
        let directory = ONNXFixtureTests.fixturesDirectory.appendingPathComponent("transformer_encoder")
        let session = try InferenceSession(contentsOf: directory.appendingPathComponent("model.onnx"))
        let input = try ONNXTestData.readTensor(directory.appendingPathComponent("test_data_set_1/input_0.pb")).tensor
        let name = session.inputs[0].name
        let first = try session.run([name: input])
        let cold = session.plan.buffers.statistics
        #expect(cold.allocated > 0)
        // Within the first run, intermediates released after their last reader were reused.
        #expect(cold.reused > 0)
        var outputs = [first]
        for _ in 0..<3 { outputs.append(try session.run([name: input])) }
        let warm = session.plan.buffers.statistics
        // Results still held by the caller keep their buffers; everything else came from the pool.
        #expect(warm.allocated - cold.allocated <= 3 * session.outputs.count)
        #expect(warm.reused > cold.reused)
        for output in outputs.dropFirst() { #expect(try output.digest() == first.digest()) }
    }

    @Test("shape arithmetic runs once per input shape: a new batch size recomputes it, a repeated one reuses it")
    func shapeMemo() throws {
        let directory = ONNXFixtureTests.fixturesDirectory.appendingPathComponent("bert_block")
        let session = try InferenceSession(contentsOf: directory.appendingPathComponent("model.onnx"))
        let plan = session.plan
        // The reshape targets: Shape(input) -> Gather(batch) -> Unsqueeze -> two Concats.
        let derived = plan.steps.indices.filter { plan.shapeMemo.derived[$0] }.map { plan.steps[$0].node.opType }
        #expect(derived.sorted() == ["Concat", "Concat", "Gather", "Shape", "Unsqueeze"])
        let input = try ONNXTestData.readTensor(directory.appendingPathComponent("test_data_set_0/input_0.pb")).tensor
        let name = session.inputs[0].name, output = session.outputs[0].name
        let rows = try input.scalars(as: Float.self)
        let batch = input.shape[0]
        let tripled = try Tensor(shape: [3 * batch] + input.shape.dropFirst(), scalars: rows + rows.map { $0 * 0.5 } + rows)
        let single = try #require(session.run([name: input])[output]?.tensor)
        let three = try #require(session.run([name: tripled])[output]?.tensor)
        #expect(three.shape == [3 * batch] + single.shape.dropFirst())
        let reference = try InferenceSession(contentsOf: directory.appendingPathComponent("model.onnx"))
        #expect(try three.digest() == #require(reference.run([name: tripled])[output]?.tensor).digest())
        let again = try #require(session.run([name: input])[output]?.tensor)
        #expect(again.shape == single.shape)
        #expect(try again.digest() == single.digest())
        #expect(try Array(three.scalars(as: Float.self).prefix(single.count)) == single.scalars(as: Float.self))
    }

    @Test("external data is memory-mapped from beside the model and paths outside it are refused")
    func externalData() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("aiplat-ext-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var bytes = Data(count: 64)
        for value in [Float](arrayLiteral: 1, 2, 3, 4) { withUnsafeBytes(of: value) { bytes.append(contentsOf: $0) } }
        try bytes.write(to: directory.appendingPathComponent("weights.bin"))
        var proto = Onnx_TensorProto()
        proto.name = "w"
        proto.dataType = 1
        proto.dims = [2, 2]
        proto.dataLocation = .external
        proto.externalData = [("location", "weights.bin"), ("offset", "64"), ("length", "16")].map { key, value in
            var entry = Onnx_StringStringEntryProto()
            entry.key = key
            entry.value = value
            return entry
        }
        let decoder = ONNXProtoDecoder(baseDirectory: directory)
        let tensor = try decoder.tensor(proto)
        #expect(tensor.storage.isMemoryMapped)
        #expect(try tensor.scalars(as: Float.self) == [1, 2, 3, 4])
        proto.externalData[0].value = "../etc/passwd"
        #expect(throws: ONNXError.self) { try decoder.tensor(proto) }
        proto.externalData[0].value = "weights.bin"
        proto.externalData[2].value = "12"
        #expect(throws: ONNXError.self) { try decoder.tensor(proto) }
    }

    @Test("the .npy reader and writer round-trip and agree with numpy's header layout")
    func npyRoundTrip() throws {
        let tensor = try Tensor(shape: [2, 3], scalars: [Int64](arrayLiteral: 1, -2, 3, 4, 5, 1 << 40))
        let data = try NPYFile.encode(tensor)
        #expect(data.count % 64 == 0 || (data.count - 48) % 64 == 0)
        #expect(String(decoding: data[10..<70], as: UTF8.self).hasPrefix("{'descr': '<i8', 'fortran_order': False, 'shape': (2, 3), }"))
        let back = try NPYFile.decode(data)
        #expect(back.shape == [2, 3])
        #expect(try back.scalars(as: Int64.self) == tensor.scalars(as: Int64.self))
        #expect(throws: ONNXError.self) { try NPYFile.decode(data.prefix(data.count - 8)) }
    }
}
