import Foundation
import Testing
@testable import InferenceEngine

/// Hand-built single-node graphs: spec rules that are exact by definition (round half to even,
/// saturation) and malformed models, which must fail with an error instead of crashing.
@Suite struct ONNXMLQuantizationOperatorTests {
    static func session(_ node: ONNXNode, inputs: [ONNXValueInfo], outputs: [String], initializers: [String: Tensor] = [:],
                        opsets: [String: Int] = ["": 21, "ai.onnx.ml": 3]) throws -> InferenceSession {
        let graph = ONNXGraph(name: node.opType, nodes: [node], inputs: inputs,
                              outputs: outputs.map { ONNXValueInfo(name: $0, type: .other("any")) }, initializers: initializers)
        return try InferenceSession(model: ONNXModel(graph: graph, opsets: opsets))
    }

    static func floatInput(_ name: String) -> ONNXValueInfo {
        ONNXValueInfo(name: name, type: .tensor(elementType: 1, dtype: .float32, shape: nil))
    }

    @Test func quantizeLinearRoundsHalfToEvenAndSaturates() throws {
        let node = ONNXNode(name: "q", opType: "QuantizeLinear", inputs: ["x", "s", "z"], outputs: ["y"])
        let s = try Self.session(node, inputs: [Self.floatInput("x")], outputs: ["y"],
                                 initializers: ["s": try Tensor(shape: [], scalars: [Float(1)]), "z": try Tensor(shape: [], scalars: [Int8(0)])])
        let x = try Tensor(shape: [8], scalars: [Float(0.5), 1.5, 2.5, -0.5, -1.5, 300, -300, .nan])
        let y = try #require(try s.run(["x": x])["y"]?.tensor)
        #expect(y.dtype == .int8)
        #expect(try y.scalars(as: Int8.self) == [0, 2, 2, 0, -2, 127, -128, 0])
    }

    @Test func dequantizeLinearIsTheInverseOnTheGrid() throws {
        let node = ONNXNode(name: "d", opType: "DequantizeLinear", inputs: ["x", "s", "z"], outputs: ["y"])
        let s = try Self.session(node, inputs: [ONNXValueInfo(name: "x", type: .tensor(elementType: 2, dtype: .uint8, shape: nil))], outputs: ["y"],
                                 initializers: ["s": try Tensor(shape: [], scalars: [Float(0.25)]), "z": try Tensor(shape: [], scalars: [UInt8(128)])])
        let y = try #require(try s.run(["x": try Tensor(shape: [4], scalars: [UInt8(0), 127, 128, 255])])["y"]?.tensor)
        #expect(try y.scalars(as: Float.self) == [-32, -0.25, 0, 31.75])
    }

    @Test func matMulIntegerRejectsMismatchedInnerDimensions() throws {
        let node = ONNXNode(name: "m", opType: "MatMulInteger", inputs: ["a", "b"], outputs: ["y"])
        let u8 = { (name: String) in ONNXValueInfo(name: name, type: .tensor(elementType: 2, dtype: .uint8, shape: nil)) }
        let s = try Self.session(node, inputs: [u8("a"), u8("b")], outputs: ["y"])
        let a = try Tensor(shape: [2, 3], scalars: [UInt8](repeating: 1, count: 6))
        let b = try Tensor(shape: [4, 2], scalars: [UInt8](repeating: 1, count: 8))
        #expect(throws: ONNXError.self) { try s.run(["a": a, "b": b]) }
    }

    @Test func treeWithACycleIsRejected() throws {
        // node 0 -> node 1 -> node 0: a walk would never reach a leaf
        let node = ONNXNode(name: "t", opType: "TreeEnsembleRegressor", domain: "ai.onnx.ml", inputs: ["X"], outputs: ["Y"], attributes: [
            "nodes_treeids": .ints([0, 0, 0]), "nodes_nodeids": .ints([0, 1, 2]), "nodes_featureids": .ints([0, 0, 0]),
            "nodes_modes": .strings(["BRANCH_LEQ", "BRANCH_LEQ", "LEAF"]), "nodes_values": .floats([0, 0, 0]),
            "nodes_truenodeids": .ints([1, 0, 0]), "nodes_falsenodeids": .ints([2, 2, 0]),
            "target_treeids": .ints([0]), "target_nodeids": .ints([2]), "target_ids": .ints([0]), "target_weights": .floats([1]),
        ])
        // Rejected when the plan is compiled (the tree is prepared once there), before any row runs.
        #expect(throws: ONNXError.self) {
            try Self.session(node, inputs: [Self.floatInput("X")], outputs: ["Y"]).run(["X": try Tensor(shape: [1, 1], scalars: [Float(-1)])])
        }
    }

    @Test func treeNodePointingOutsideItsTreeIsRejected() throws {
        let node = ONNXNode(name: "t", opType: "TreeEnsembleRegressor", domain: "ai.onnx.ml", inputs: ["X"], outputs: ["Y"], attributes: [
            "nodes_treeids": .ints([0, 0]), "nodes_nodeids": .ints([0, 1]), "nodes_featureids": .ints([0, 0]),
            "nodes_modes": .strings(["BRANCH_LEQ", "LEAF"]), "nodes_values": .floats([0, 0]),
            "nodes_truenodeids": .ints([1, 0]), "nodes_falsenodeids": .ints([7, 0]),
            "target_treeids": .ints([0]), "target_nodeids": .ints([1]), "target_ids": .ints([0]), "target_weights": .floats([1]),
        ])
        #expect(throws: ONNXError.self) {
            try Self.session(node, inputs: [Self.floatInput("X")], outputs: ["Y"]).run(["X": try Tensor(shape: [1, 1], scalars: [Float(1)])])
        }
    }

    @Test func arrayFeatureExtractorRejectsOutOfRangeIndices() throws {
        let node = ONNXNode(name: "a", opType: "ArrayFeatureExtractor", domain: "ai.onnx.ml", inputs: ["X", "I"], outputs: ["Y"])
        let s = try Self.session(node, inputs: [Self.floatInput("X"), ONNXValueInfo(name: "I", type: .tensor(elementType: 7, dtype: .int64, shape: nil))], outputs: ["Y"])
        let x = try Tensor(shape: [2, 2], scalars: [Float(1), 2, 3, 4])
        #expect(throws: ONNXError.self) { try s.run(["X": x, "I": try Tensor(shape: [1], scalars: [Int64(2)])]) }
        #expect(throws: ONNXError.self) { try s.run(["X": x, "I": try Tensor(shape: [1], scalars: [Int64(-1)])]) }
    }

    @Test func svmClassifierRejectsCoefficientsThatDoNotMatchTheSupportVectors() throws {
        let node = ONNXNode(name: "s", opType: "SVMClassifier", domain: "ai.onnx.ml", inputs: ["X"], outputs: ["label", "scores"], attributes: [
            "classlabels_ints": .ints([0, 1]), "vectors_per_class": .ints([1, 1]), "support_vectors": .floats([0, 0, 1, 1]),
            "coefficients": .floats([1]), "rho": .floats([0]), "kernel_type": .string("RBF"), "kernel_params": .floats([0.5, 0, 3]),
        ])
        let s = try Self.session(node, inputs: [Self.floatInput("X")], outputs: ["label", "scores"])
        #expect(throws: ONNXError.self) { try s.run(["X": try Tensor(shape: [1, 2], scalars: [Float(0), 1])]) }
    }

    @Test func everyAssignedOperatorIsRegistered() {
        let ml = ["TreeEnsembleClassifier", "TreeEnsembleRegressor", "TreeEnsemble", "LinearClassifier", "LinearRegressor", "SVMClassifier",
                  "SVMRegressor", "Scaler", "Normalizer", "Imputer", "Binarizer", "OneHotEncoder", "LabelEncoder", "ArrayFeatureExtractor",
                  "ZipMap", "CastMap", "FeatureVectorizer", "DictVectorizer"]
        for op in ml { #expect(OperatorRegistry.definition(domain: "ai.onnx.ml", opType: op) != nil, "\(op)") }
        for op in ["QuantizeLinear", "DequantizeLinear", "DynamicQuantizeLinear", "MatMulInteger", "QLinearMatMul", "QLinearConv", "ConvInteger"] {
            #expect(OperatorRegistry.definition(domain: "", opType: op) != nil, "\(op)")
        }
    }
}
