import Foundation
import InferenceEngine
import ModelRegistry

/// The ONNX inspector the `models` verbs hand to `ModelPackInspector`: the engine's own parser and
/// pre-flight report, so a pushed `.onnx` is exactly what `aiplat models check` would accept.
enum ONNXInspectorFactory {
    static let inspector: ONNXInspector = { url, name in
        let model: ONNXModel
        do {
            model = try ONNXModel.load(contentsOf: url)
        } catch {
            // The engine's message may start with the file name, which the error already names.
            let text = "\(error)"
            let prefix = "\(url.lastPathComponent): "
            throw ModelFormatError(file: name, format: .onnx, reason: text.hasPrefix(prefix) ? String(text.dropFirst(prefix.count)) : text)
        }
        let report = PreflightReport(model: model)
        return ONNXInspection(
            parameterCount: report.parameterCount,
            operators: report.operators.map { "\($0.domain.isEmpty ? "ai.onnx" : $0.domain):\($0.opType)" }.sorted(),
            deterministic: report.deterministic)
    }
}
