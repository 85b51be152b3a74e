import Foundation
import Testing

/// `aiplat infer` and `aiplat models check` as a user runs them, checked against onnxruntime and
/// onnx (run through the repo's Python environment in the same test).
@Suite struct InferCLITests {
    static let fixtures = AIPlatCLI.repositoryRoot.appendingPathComponent("Tests/InferenceEngineTests/Fixtures")
    static let python = AIPlatCLI.repositoryRoot.appendingPathComponent(".venv/bin/python")

    /// Runs a Python snippet with the repo's venv and returns its stdout.
    static func python(_ code: String, arguments: [String] = []) throws -> String {
        let process = Process()
        process.executableURL = python
        process.arguments = ["-c", code] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return String(decoding: data, as: UTF8.self)
    }

    @Test func inferOnANpyInputMatchesOnnxRuntimeAndIsReproducible() async throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let model = Self.fixtures.appendingPathComponent("small_cnn/model.onnx").path
        let npy = directory.appendingPathComponent("x.npy").path
        // numpy writes the input, onnxruntime computes the reference.
        let reference = try Self.python("""
        import sys, json, numpy as np, onnxruntime as ort
        x = np.random.default_rng(7).standard_normal((3, 1, 16, 16)).astype(np.float32)
        np.save(sys.argv[2], x)
        s = ort.InferenceSession(sys.argv[1], providers=["CPUExecutionProvider"])
        outs = s.run(None, {s.get_inputs()[0].name: x})
        print(json.dumps({o.name: v.ravel().tolist() for o, v in zip(s.get_outputs(), outs)}))
        """, arguments: [model, npy])
        let expected = try #require(try JSONSerialization.jsonObject(with: Data(reference.utf8)) as? [String: [Double]])

        var digests = Set<String>()
        for threads in ["1", "2"] {
            let result = try await AIPlatCLI.run(["infer", model, "--input", npy, "--json", "--deterministic", "--threads", threads])
            #expect(result.status == 0, "\(result)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            let outputs = try #require(object["outputs"] as? [[String: Any]])
            for output in outputs {
                let name = try #require(output["name"] as? String)
                let want = try #require(expected[name])
                let got = try #require(output["data"] as? [Double])
                #expect(got.count == want.count)
                for (a, e) in zip(got, want) { #expect(abs(a - e) <= 1e-5 + 1e-4 * abs(e), "\(name)") }
            }
            digests.insert(try #require(object["digest"] as? String))
        }
        #expect(digests.count == 1)
        #expect(digests.first?.count == 66)
    }

    @Test func modelsCheckListsOperatorsAndFlagsUnsupportedNodes() async throws {
        let result = try await AIPlatCLI.run(["models", "check", Self.fixtures.appendingPathComponent("transformer_encoder/model.onnx").path, "--json"])
        #expect(result.status == 0, "\(result)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let operators = try #require(report["operators"] as? [[String: Any]])
        // onnx counts the same operator types in the graph.
        let reference = try Self.python("""
        import sys, onnx, collections
        m = onnx.load(sys.argv[1])
        print(" ".join(sorted(set(n.op_type for n in m.graph.node))))
        print(sum(int(__import__("numpy").prod(t.dims)) for t in m.graph.initializer))
        """, arguments: [Self.fixtures.appendingPathComponent("transformer_encoder/model.onnx").path]).split(separator: "\n")
        #expect(operators.compactMap { $0["opType"] as? String }.sorted().joined(separator: " ") == String(reference[0]))
        #expect(report["parameterCount"] as? Int == Int(reference[1]))
        #expect(report["deterministic"] as? Bool == true)

        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let unsupported = directory.appendingPathComponent("custom.onnx").path
        _ = try Self.python("""
        import sys, onnx
        from onnx import helper, TensorProto
        n1 = helper.make_node("Relu", ["x"], ["y"], name="relu")
        n2 = helper.make_node("FancyOp", ["y"], ["z"], name="fancy", domain="com.example")
        g = helper.make_graph([n1, n2], "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2])], [helper.make_tensor_value_info("z", TensorProto.FLOAT, [2])])
        m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("com.example", 1)])
        onnx.save(m, sys.argv[1])
        """, arguments: [unsupported])
        let check = try await AIPlatCLI.run(["models", "check", unsupported])
        #expect(check.status == 2)
        #expect(check.stdout.contains("UNSUPPORTED com.example:FancyOp opset 1 x1 (nodes: fancy)"))
        #expect(check.stdout.contains("deterministic no"))

        let infer = try await AIPlatCLI.run(["infer", unsupported])
        #expect(infer.status == 1)
        #expect(infer.errorLines.count == 1)
        #expect(infer.stderr.hasPrefix("error: unsupported operators: com.example:FancyOp (opset 1) used by fancy"))
    }

    @Test func corruptModelsAndBadInputsAreOneErrorLine() async throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let model = Self.fixtures.appendingPathComponent("mlp/model.onnx")
        let truncated = directory.appendingPathComponent("truncated.onnx")
        try Data(try Data(contentsOf: model).prefix(300)).write(to: truncated)
        let result = try await AIPlatCLI.run(["infer", truncated.path])
        #expect(result.status == 1)
        #expect(result.errorLines.count == 1)
        #expect(result.stderr.contains("truncated.onnx: not a valid ONNX model"))

        let badInput = directory.appendingPathComponent("in.json")
        try Data(#"{"input": [[1, 2, 3]]}"#.utf8).write(to: badInput)
        let shape = try await AIPlatCLI.run(["infer", model.path, "--input", badInput.path])
        #expect(shape.status == 1)
        #expect(shape.errorLines == ["error: input \"input\" has shape [1, 3], expected [N,16]"])
    }
}
