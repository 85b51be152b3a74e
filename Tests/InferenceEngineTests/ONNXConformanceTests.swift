import Foundation
import Testing
@testable import InferenceEngine

/// The ONNX backend node tests (written by scripts/onnx/gen_node_tests.py into
/// .build/onnx-node-tests before `swift test` runs; see the Makefile).
@Suite("ONNX backend node tests")
struct ONNXConformanceTests {
    static var directory: URL {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return URL(fileURLWithPath: ProcessInfo.processInfo.environment["AIPLAT_ONNX_NODE_TESTS"] ?? root.appendingPathComponent(".build/onnx-node-tests").path)
    }

    @Test("every supported operator passes all of its node tests that use supported dtypes")
    func supportedOperatorsPass() throws {
        let indexURL = Self.directory.appendingPathComponent("index.json")
        try #require(FileManager.default.fileExists(atPath: indexURL.path), "run scripts/onnx/gen_node_tests.py \(Self.directory.path) first (make test does)")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: indexURL)) as? [String: Any]
        let tests = try #require(object?["tests"] as? [String: [String: String]])
        var index = [String: (op: String, domain: String)]()
        for (name, entry) in tests { index[name] = (entry["op"] ?? "?", entry["domain"] ?? "") }
        let results = try ONNXConformance().run(directory: Self.directory, index: index)
        #expect(results.count == tests.count)
        let failures = results.filter { result in
            result.outcome == .failed && OperatorRegistry.definition(domain: result.domain, opType: result.op) != nil
        }
        #expect(failures.isEmpty, "\(failures.map { "\($0.name): \($0.message)" }.joined(separator: "\n"))")
        // The engine is meant to cover most of the suite; a collapse of the pass count is a regression.
        #expect(results.filter { $0.outcome == .passed }.count >= 1000)
        if ProcessInfo.processInfo.environment["AIPLAT_REGENERATE_DOCS"] == "1" {
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            let text = ONNXConformance.markdownReport(results, title: "# ONNX conformance (onnx \(object?["onnx_version"] ?? "?") backend node tests)")
            try text.write(to: root.appendingPathComponent("docs/onnx-conformance.md"), atomically: true, encoding: .utf8)
        }
    }
}
