import Foundation

/// Runs ONNX backend node tests (`<dir>/<test>/model.onnx` + `test_data_set_*`) and sorts each
/// into passed, failed, or unsupported (operator missing, or a dtype the engine does not hold).
public struct ONNXConformance: Sendable {
    public enum Outcome: String, Sendable, Codable {
        case passed, failed
        case unsupportedOperator = "unsupported-operator"
        case unsupportedType = "unsupported-dtype"
    }

    public struct TestResult: Sendable, Codable {
        public let name: String
        public let op: String
        public let domain: String
        public let outcome: Outcome
        public let message: String
    }

    /// Relative and absolute tolerances: the defaults of ONNX's own backend test runner.
    public var rtol = 1e-3
    public var atol = 1e-7
    /// For `_expanded` tests (an operator replaced by its ONNX function body), f16 and bf16
    /// outputs may also differ by this many units in the last place: the body rounds to the low
    /// precision after every one of its ops, while the expected outputs were computed by the
    /// reference implementation of the whole operator. 1e-3 is less than one bf16 ulp.
    public var expandedLowPrecisionULPs = 2.0
    public var options = ExecutionOptions.default

    public init() {}

    /// `index` maps test names to the operator they exercise (`scripts/onnx/gen_node_tests.py`
    /// writes it); tests missing from it are grouped under their first node's type.
    public func run(directory: URL, index: [String: (op: String, domain: String)] = [:], filter: ((String) -> Bool)? = nil) throws -> [TestResult] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasPrefix("test_") && (filter?($0) ?? true) }.sorted()
        return names.map { name in
            let testDirectory = directory.appendingPathComponent(name)
            var op = index[name]?.op ?? "?", domain = index[name]?.domain ?? ""
            do {
                let model = try ONNXModel.load(contentsOf: testDirectory.appendingPathComponent("model.onnx"))
                if index[name] == nil, let first = model.graph.nodes.first { op = first.opType; domain = first.domain }
                let (outcome, message) = try runCase(model: model, directory: testDirectory, expanded: name.hasSuffix("_expanded"))
                return TestResult(name: name, op: op, domain: domain, outcome: outcome, message: message)
            } catch let error as ONNXError {
                let outcome: Outcome = switch error.kind {
                case .unsupported: error.message.contains("element type") ? .unsupportedType : .unsupportedOperator
                default: .failed
                }
                return TestResult(name: name, op: op, domain: domain, outcome: outcome, message: error.message)
            } catch {
                return TestResult(name: name, op: op, domain: domain, outcome: .failed, message: "\(error)")
            }
        }
    }

    func runCase(model: ONNXModel, directory: URL, expanded: Bool = false) throws -> (Outcome, String) {
        for info in model.graph.inputs + model.graph.outputs {
            if case let .tensor(code, nil, _) = info.type {
                return (.unsupportedType, "\(info.name) has element type \(ONNXElementType.name(of: code))")
            }
        }
        let session = try InferenceSession(model: model, options: options)
        let sets = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix("test_data_set_") }.sorted()
        for set in sets {
            let setURL = directory.appendingPathComponent(set)
            var feeds = [String: ONNXValue]()
            for (j, info) in model.graph.inputs.enumerated() {
                let url = setURL.appendingPathComponent("input_\(j).pb")
                guard FileManager.default.fileExists(atPath: url.path) else { continue }
                if let value = try ONNXTestData.readValue(url, type: info.type) { feeds[info.name] = value }
            }
            let required = Set(session.inputs.map(\.name))
            feeds = feeds.filter { required.contains($0.key) }
            let result = try session.run(feeds)
            for (j, info) in model.graph.outputs.enumerated() {
                let url = setURL.appendingPathComponent("output_\(j).pb")
                guard FileManager.default.fileExists(atPath: url.path), let expected = try ONNXTestData.readValue(url, type: info.type) else { continue }
                guard let actual = result[info.name] else { return (.failed, "\(set): output \(info.name) missing") }
                var tolerance = rtol
                if expanded, case let .tensor(tensor) = expected {
                    // relative size of one ulp: 2^-(stored mantissa bits)
                    switch tensor.dtype {
                    case .float16: tolerance = max(rtol, expandedLowPrecisionULPs / 1024)
                    case .bfloat16: tolerance = max(rtol, expandedLowPrecisionULPs / 128)
                    default: break
                    }
                }
                if let mismatch = ValueComparison.mismatch(actual, expected, rtol: tolerance, atol: atol) {
                    return (.failed, "\(set): output \(info.name): \(mismatch)")
                }
            }
        }
        return (.passed, "")
    }

    /// The report kept in `docs/onnx-conformance.md`: per operator, counts and a total.
    public static func markdownReport(_ results: [TestResult], title: String) -> String {
        var byOp = [String: [TestResult]]()
        for result in results { byOp["\(result.domain.isEmpty ? "ai.onnx" : result.domain):\(result.op)", default: []].append(result) }
        var lines = [title, ""]
        func count(_ list: [TestResult], _ outcome: Outcome) -> Int { list.filter { $0.outcome == outcome }.count }
        let passed = count(results, .passed), failed = count(results, .failed)
        let missing = count(results, .unsupportedOperator), dtype = count(results, .unsupportedType)
        lines.append("Total: \(results.count) node tests: \(passed) passed, \(failed) failed, \(missing) unsupported operator, \(dtype) unsupported dtype.")
        let supportedOps = byOp.values.filter { !$0.allSatisfy { $0.outcome == .unsupportedOperator } }.count
        lines.append("Operators with at least one runnable test: \(supportedOps) of \(byOp.count).")
        lines += ["", "| operator | tests | passed | failed | unsupported operator | unsupported dtype |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
        for key in byOp.keys.sorted() {
            let list = byOp[key] ?? []
            lines.append("| \(key) | \(list.count) | \(count(list, .passed)) | \(count(list, .failed)) | \(count(list, .unsupportedOperator)) | \(count(list, .unsupportedType)) |")
        }
        let failures = results.filter { $0.outcome == .failed }
        if !failures.isEmpty {
            lines += ["", "## Failures", ""]
            for failure in failures { lines.append("- `\(failure.name)` (\(failure.op)): \(failure.message.replacingOccurrences(of: "|", with: "/").prefix(300))") }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Compares outputs the way ONNX's runner does: same dtype and shape, floats within
/// `atol + rtol * |expected|` (NaN matches NaN), everything else exactly.
public enum ValueComparison {
    public static func mismatch(_ actual: ONNXValue, _ expected: ONNXValue, rtol: Double, atol: Double) -> String? {
        switch (actual, expected) {
        case let (.tensor(a), .tensor(e)):
            return tensorMismatch(a, e, rtol: rtol, atol: atol)
        case let (.sequence(a), .sequence(e)):
            guard a.count == e.count else { return "sequence of \(a.count), expected \(e.count)" }
            for (x, y) in zip(a, e) { if let m = mismatch(x, y, rtol: rtol, atol: atol) { return m } }
            return nil
        case let (.map(ak, av), .map(ek, ev)):
            return tensorMismatch(ak, ek, rtol: 0, atol: 0) ?? tensorMismatch(av, ev, rtol: rtol, atol: atol)
        default:
            return "got \(actual.typeDescription), expected \(expected.typeDescription)"
        }
    }

    public static func tensorMismatch(_ a: Tensor, _ e: Tensor, rtol: Double, atol: Double) -> String? {
        guard a.dtype == e.dtype else { return "dtype \(a.dtype), expected \(e.dtype)" }
        guard a.shape == e.shape else { return "shape \(a.shape), expected \(e.shape)" }
        do {
            switch (try Numbers(a), try Numbers(e)) {
            case let (.string(x), .string(y)):
                if let i = x.indices.first(where: { x[$0] != y[$0] }) { return "element \(i) is \"\(x[i])\", expected \"\(y[i])\"" }
            case let (.int(x), .int(y)):
                if let i = x.indices.first(where: { x[$0] != y[$0] }) { return "element \(i) is \(x[i]), expected \(y[i])" }
            case let (.bool(x), .bool(y)):
                if let i = x.indices.first(where: { x[$0] != y[$0] }) { return "element \(i) is \(x[i]), expected \(y[i])" }
            case let (x, y):
                let p = x.doubles, q = y.doubles
                for i in p.indices {
                    if p[i].isNaN && q[i].isNaN { continue }
                    if p[i] == q[i] { continue }
                    if abs(p[i] - q[i]) > atol + rtol * abs(q[i]) || p[i].isNaN != q[i].isNaN {
                        return "element \(i) is \(p[i]), expected \(q[i])"
                    }
                }
            }
        } catch {
            return "\(error)"
        }
        return nil
    }
}
