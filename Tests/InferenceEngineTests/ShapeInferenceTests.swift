import Foundation
import Testing
@testable import InferenceEngine

/// ShapeInference against onnx's own shape inference (`onnx.shape_inference.infer_shapes` with
/// data propagation), recorded by scripts/onnx/gen_fixture_shapes.py.
@Suite("Static shape inference matches onnx's")
struct ShapeInferenceTests {
    struct Reference: Decodable {
        let dtype: Int
        let dims: [Dim]
        enum Dim: Decodable, Equatable {
            case value(Int), symbol(String), unknown
            init(from decoder: Decoder) throws {
                let container = try decoder.singleValueContainer()
                if container.decodeNil() { self = .unknown }
                else if let value = try? container.decode(Int.self) { self = .value(value) }
                else { self = .symbol(try container.decode(String.self)) }
            }
        }
    }

    static let reference: [String: [String: Reference]] = {
        guard let url = Bundle.module.url(forResource: "onnx_fixture_shapes", withExtension: "json", subdirectory: "Vectors"),
              let data = try? Data(contentsOf: url) else { return [:] }
        return (try? JSONDecoder().decode([String: [String: Reference]].self, from: data)) ?? [:]
    }()

    /// Networks built with onnx.helper: every value onnx derives, we derive too.
    static let networks: Set<String> = ["mlp", "small_cnn", "transformer_encoder", "gcn", "quantized_mlp", "bert_block"]

    @Test("every derived shape agrees with onnx, and the networks' shapes are all derived", arguments: ONNXFixtureTests.names)
    func agreesWithOnnx(fixture: String) throws {
        let expected = try #require(Self.reference[fixture], "no reference shapes for \(fixture)")
        let model = try ONNXModel.load(contentsOf: ONNXFixtureTests.fixturesDirectory.appendingPathComponent("\(fixture)/model.onnx"))
        let shapes = ShapeInference(model: model)
        var derived = 0
        for (name, reference) in expected.sorted(by: { $0.key < $1.key }) {
            guard let ours = shapes[name] else {
                #expect(!Self.networks.contains(fixture), "\(fixture): no shape for \(name), onnx has \(reference.dims)")
                continue
            }
            derived += 1
            #expect(ours.dims.count == reference.dims.count, "\(fixture): \(name) has rank \(ours.dims.count), onnx says \(reference.dims.count)")
            for (dim, theirs) in zip(ours.dims, reference.dims) {
                switch theirs {
                case let .value(v): #expect(dim == .value(v), "\(fixture): \(name) is \(ours.dims), onnx says \(reference.dims)")
                case let .symbol(s): #expect(dim == .symbol(s), "\(fixture): \(name) is \(ours.dims), onnx says \(reference.dims)")
                case .unknown: break
                }
            }
            if let dtype = ours.dtype { #expect(dtype == ONNXElementType.dtype(for: reference.dtype), "\(fixture): \(name) dtype") }
        }
        if Self.networks.contains(fixture) { #expect(derived == expected.count) }
    }

    @Test("Reshape targets built from Shape -> Gather -> Unsqueeze -> Concat keep the symbolic batch")
    func symbolicReshape() throws {
        let model = try ONNXModel.load(contentsOf: ONNXFixtureTests.fixturesDirectory.appendingPathComponent("transformer_encoder/model.onnx"))
        let shapes = ShapeInference(model: model)
        let reshapes = model.graph.nodes.filter { $0.opType == "Reshape" }
        #expect(!reshapes.isEmpty)
        for node in reshapes {
            let dims = try #require(shapes[node.outputs[0]]?.dims)
            #expect(dims.first == .symbol("N"), "\(node.outputs[0]) is \(dims)")
        }
        // The memory estimate walks the same shapes: peak live activations at batch 1.
        let report = PreflightReport(model: model)
        #expect(report.inferredShapes == report.nodeOutputs)
        #expect(report.peakActivationBytes > 0 && report.peakActivationBytes < 64 << 10)
    }
}
