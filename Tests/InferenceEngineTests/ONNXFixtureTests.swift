import Foundation
import Testing
@testable import InferenceEngine

/// Real models exported by scikit-learn/skl2onnx, built with onnx.helper, and quantized by
/// onnxruntime (scripts/onnx/gen_fixtures.py); expected outputs are onnxruntime's.
@Suite("ONNX fixture models match onnxruntime")
struct ONNXFixtureTests {
    struct Fixture: Decodable {
        let name: String
        let rtol: Double
        let atol: Double
        let exact_outputs: [String]
    }

    static var fixturesDirectory: URL {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures")
    }

    static let names: [String] = {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: fixturesDirectory.path)) ?? []
        return entries.filter { !$0.hasPrefix(".") && !$0.hasSuffix(".md") }.sorted()
    }()

    static func load(_ name: String) throws -> (Fixture, URL) {
        let directory = fixturesDirectory.appendingPathComponent(name)
        let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: directory.appendingPathComponent("fixture.json")))
        return (fixture, directory)
    }

    /// Runs every data set of a fixture and returns a mismatch description, or nil.
    static func check(_ name: String, options: ExecutionOptions) throws -> [String] {
        let (fixture, directory) = try load(name)
        let session = try InferenceSession(contentsOf: directory.appendingPathComponent("model.onnx"), options: options)
        var problems = [String]()
        for set in ["test_data_set_0", "test_data_set_1"] {
            let setURL = directory.appendingPathComponent(set)
            var feeds = [String: ONNXValue]()
            for (j, info) in session.model.graph.inputs.enumerated() {
                let url = setURL.appendingPathComponent("input_\(j).pb")
                if FileManager.default.fileExists(atPath: url.path) { feeds[info.name] = .tensor(try ONNXTestData.readTensor(url).tensor) }
            }
            let result = try session.run(feeds)
            for (j, info) in session.model.graph.outputs.enumerated() {
                let expected = try ONNXTestData.readTensor(setURL.appendingPathComponent("output_\(j).pb")).tensor
                guard let actual = result[info.name] else { problems.append("\(set): no output \(info.name)"); continue }
                let exact = fixture.exact_outputs.contains(info.name)
                if let mismatch = ValueComparison.mismatch(actual, .tensor(expected), rtol: exact ? 0 : fixture.rtol, atol: exact ? 0 : fixture.atol) {
                    problems.append("\(set) \(info.name): \(mismatch)")
                }
            }
        }
        return problems
    }

    @Test("outputs match onnxruntime within the fixture's tolerance (labels exactly)", arguments: names)
    func matchesOnnxRuntime(name: String) throws {
        let problems = try Self.check(name, options: .default)
        #expect(problems.isEmpty, "\(name): \(problems.joined(separator: "; "))")
    }

    @Test("deterministic mode still matches onnxruntime and is bit-identical for 1 and 2 threads", arguments: names)
    func deterministicAcrossThreads(name: String) throws {
        #expect(try Self.check(name, options: ExecutionOptions(deterministic: true, threads: 2)).isEmpty)
        let (_, directory) = try Self.load(name)
        let model = try ONNXModel.load(contentsOf: directory.appendingPathComponent("model.onnx"))
        var feeds = [String: ONNXValue]()
        for (j, info) in model.graph.inputs.enumerated() {
            let url = directory.appendingPathComponent("test_data_set_1/input_\(j).pb")
            if FileManager.default.fileExists(atPath: url.path) { feeds[info.name] = .tensor(try ONNXTestData.readTensor(url).tensor) }
        }
        let one = try InferenceSession(model: model, options: ExecutionOptions(deterministic: true, threads: 1)).run(feeds)
        let two = try InferenceSession(model: model, options: ExecutionOptions(deterministic: true, threads: 2)).run(feeds)
        #expect(try one.digest() == two.digest())
        #expect(try one.digest().count == 64)
    }
}
