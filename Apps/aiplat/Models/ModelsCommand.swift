import ArgumentParser
import Foundation
import InferenceEngine

/// `aiplat models ...`: model files (pre-flight checks, ONNX conformance).
struct ModelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "Inspect model files; push, pull and manage models in a registry.",
        subcommands: [
            Check.self, Conformance.self, Bench.self,
            ModelPushCommand.self, ModelPullCommand.self, ModelListCommand.self, ModelShowCommand.self, ModelTagCommand.self,
            ModelRemoveCommand.self, ModelHistoryCommand.self, ModelGCCommand.self, ModelImportCommand.self, ModelLoginCommand.self,
            ModelAnchorCommand.self, ModelVerifyCommand.self,
        ]
    )

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Pre-flight report: operators (domain, opset), unsupported ones with their nodes, parameters, memory, determinism.")

        @Argument(help: "Path to the .onnx model.") var model: String
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let loaded = try ONNXModel.load(contentsOf: URL(fileURLWithPath: model))
            let report = PreflightReport(model: loaded)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            } else {
                print("model      \(model)")
                print("opsets     \(report.opsets.sorted { $0.key < $1.key }.map { "\($0.key.isEmpty ? "ai.onnx" : $0.key) \($0.value)" }.joined(separator: ", "))")
                print("inputs     \(report.inputs.joined(separator: "; "))")
                print("outputs    \(report.outputs.joined(separator: "; "))")
                print("parameters \(report.parameterCount) (\(ByteCountFormatter.string(fromByteCount: Int64(report.parameterBytes), countStyle: .binary)))")
                print("memory     ~\(ByteCountFormatter.string(fromByteCount: Int64(report.estimatedMemoryBytes), countStyle: .binary)) (parameters + peak live activations at batch 1; shapes inferred for \(report.inferredShapes) of \(report.nodeOutputs) values)")
                print("operators  \(report.operators.count)")
                for op in report.operators {
                    print("  \(op.supported ? "ok         " : "UNSUPPORTED") \(op.domain.isEmpty ? "ai.onnx" : op.domain):\(op.opType) opset \(op.opset) x\(op.nodeCount)"
                        + (op.supported ? "" : " (nodes: \(op.nodes.joined(separator: ", ")))"))
                }
                print("deterministic \(report.deterministic ? "yes: --deterministic gives bit-identical outputs" : "no: \(report.determinismNotes.joined(separator: "; "))")")
            }
            if !report.unsupported.isEmpty {
                throw ExitCode(2)
            }
        }
    }

    struct Conformance: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run ONNX backend node tests (scripts/onnx/gen_node_tests.py writes them) and print per-operator results.")

        @Argument(help: "Directory of node tests (with index.json).") var directory: String
        @Option(help: "Write the Markdown report to this file.") var report: String?
        @Option(help: "Only tests whose name contains this text.") var filter: String?
        @Flag(help: "List every failing test.") var verbose = false

        func run() async throws {
            let url = URL(fileURLWithPath: directory)
            var index = [String: (op: String, domain: String)]()
            if let data = try? Data(contentsOf: url.appendingPathComponent("index.json")),
               let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
               let tests = object["tests"] as? [String: [String: String]] {
                for (name, entry) in tests { index[name] = (entry["op"] ?? "?", entry["domain"] ?? "") }
            }
            let filterText = filter
            let results = try ONNXConformance().run(directory: url, index: index, filter: filterText.map { text in { $0.contains(text) } })
            let markdown = ONNXConformance.markdownReport(results, title: "# ONNX conformance")
            if let report {
                try markdown.write(toFile: report, atomically: true, encoding: .utf8)
            }
            var byOp = [String: [ONNXConformance.TestResult]]()
            for result in results { byOp[result.op, default: []].append(result) }
            for op in byOp.keys.sorted() {
                let list = byOp[op] ?? []
                let passed = list.filter { $0.outcome == .passed }.count, failed = list.filter { $0.outcome == .failed }.count
                let unsupported = list.count - passed - failed
                print("\(op): \(passed) passed, \(failed) failed, \(unsupported) unsupported")
                if verbose { for f in list where f.outcome == .failed { print("  FAIL \(f.name): \(f.message.prefix(200))") } }
            }
            let passed = results.filter { $0.outcome == .passed }.count, failed = results.filter { $0.outcome == .failed }.count
            print("total: \(results.count) tests, \(passed) passed, \(failed) failed, \(results.count - passed - failed) unsupported")
        }
    }

    struct Bench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Time repeated runs of a model on given inputs (like onnxruntime_perf_test); prints one JSON line.")

        @Argument(help: "Path to the .onnx model.") var model: String
        @Option(name: .long, help: "Input file (.json, .npy, .pb), or NAME=FILE.") var input: [String] = []
        @Option(help: "Timed runs.") var iters: Int = 200
        @Option(help: "Untimed runs first.") var warmup: Int = 20
        @Option(help: "GEMM threads.") var threads: Int = 1
        @Flag(help: "Bit-reproducible kernels.") var deterministic = false
        @Flag(help: "Also print the time per operator over the timed runs (to stderr, largest first).") var profile = false

        func run() async throws {
            let session = try InferenceSession(
                contentsOf: URL(fileURLWithPath: model), options: ExecutionOptions(deterministic: deterministic, threads: max(threads, 1)))
            let feeds = try InferenceInputs.read(input, for: session)
            for _ in 0..<max(warmup, 0) { _ = try session.run(feeds) }
            var samples = [Double]()
            samples.reserveCapacity(iters)
            let profiler = profile ? StepProfiler() : nil
            try StepProfiler.$current.withValue(profiler) {
                for _ in 0..<max(iters, 1) {
                    let start = DispatchTime.now().uptimeNanoseconds
                    _ = try session.run(feeds)
                    samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
                }
            }
            if let profiler {
                let runs = Double(max(iters, 1))
                let total = profiler.report.reduce(0) { $0 + Double($1.nanoseconds) }
                var table = "operator                        calls/run   us/run   share\n"
                for entry in profiler.report {
                    let name = entry.operatorName.padding(toLength: 30, withPad: " ", startingAt: 0)
                    table += "\(name) \(String(format: "%9.1f %8.2f %6.1f%%", Double(entry.calls) / runs, Double(entry.nanoseconds) / 1e3 / runs, 100 * Double(entry.nanoseconds) / max(total, 1)))\n"
                }
                FileHandle.standardError.write(Data(table.utf8))
            }
            let sorted = samples.sorted()
            let object: [String: Any] = [
                "model": model, "threads": threads, "iters": samples.count, "deterministic": deterministic,
                "ms_p50": sorted[sorted.count / 2], "ms_mean": samples.reduce(0, +) / Double(samples.count), "ms_min": sorted[0],
            ]
            print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self))
        }
    }
}
