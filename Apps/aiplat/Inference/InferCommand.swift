import ArgumentParser
import Foundation
import InferenceEngine

/// `aiplat infer MODEL --input FILE`: one run, outputs and their digest.
struct InferCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infer",
        abstract: "Run an ONNX model once and print its outputs and their Keccak-256 digest.",
        discussion: """
        --input takes a .json file ({"NAME": nested array | {"shape", "datatype", "data"}}, or an Open \
        Inference Protocol request {"inputs": [...]}), a .npy file, or an ONNX TensorProto .pb file; \
        repeat it as NAME=FILE for models with several inputs.
        """
    )

    @Argument(help: "Path to the .onnx model.") var model: String
    @Option(name: .long, help: "Input file (.json, .npy, .pb), or NAME=FILE.") var input: [String] = []
    @Flag(help: "Bit-reproducible kernels (generic, no FMA, fixed order).") var deterministic = false
    @Option(help: "Threads for the GEMM kernels.") var threads: Int = 1
    @Flag(help: "Print one JSON object (OIP v2 output shapes) instead of text.") var json = false

    func run() async throws {
        let options = ExecutionOptions(deterministic: deterministic, threads: max(threads, 1))
        let session = try InferenceSession(contentsOf: URL(fileURLWithPath: model), options: options)
        let feeds = try InferenceInputs.read(input, for: session)
        let start = DispatchTime.now().uptimeNanoseconds
        let result = try session.run(feeds)
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        if json {
            let object: [String: Any] = [
                "model_name": URL(fileURLWithPath: model).deletingPathExtension().lastPathComponent,
                "outputs": try result.outputs.map { try OIPTensor.encode(name: $0.name, $0.value) },
                "digest": "0x" + (try result.digest()),
                "deterministic": deterministic,
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        for output in result.outputs {
            let encoded = try OIPTensor.encode(name: output.name, output.value)
            let data = try JSONSerialization.data(withJSONObject: encoded["data"] ?? [], options: [.withoutEscapingSlashes])
            print("\(output.name) \(encoded["datatype"] ?? "") \(encoded["shape"] ?? []): \(String(decoding: data, as: UTF8.self))")
        }
        print("digest 0x\(try result.digest())\(deterministic ? " (deterministic)" : "")")
        FileHandle.standardError.write(Data(String(format: "ran in %.3f ms\n", elapsed).utf8))
    }
}

/// Reads `--input` arguments into feeds for `session`.
enum InferenceInputs {
    static func read(_ arguments: [String], for session: InferenceSession) throws -> [String: ONNXValue] {
        var feeds = [String: ONNXValue]()
        let inputNames = session.inputs.map(\.name)
        for argument in arguments {
            var name: String?
            var path = argument
            if let equals = argument.firstIndex(of: "="), !FileManager.default.fileExists(atPath: argument) {
                name = String(argument[..<equals])
                path = String(argument[argument.index(after: equals)...])
            }
            let url = URL(fileURLWithPath: path)
            guard FileManager.default.fileExists(atPath: path) else { throw ValidationError("input file \(path) does not exist") }
            switch url.pathExtension.lowercased() {
            case "json":
                for (key, value) in try json(url, inputNames: inputNames) { feeds[key] = .tensor(value) }
            case "npy":
                guard let target = name ?? (inputNames.count == 1 ? inputNames[0] : nil) else {
                    throw ValidationError("model has inputs \(inputNames.joined(separator: ", ")); pass --input NAME=\(path)")
                }
                feeds[target] = .tensor(try NPYFile.read(url))
            case "pb":
                let (protoName, tensor) = try ONNXTestData.readTensor(url)
                guard let target = name ?? (protoName.isEmpty ? (inputNames.count == 1 ? inputNames[0] : nil) : protoName) else {
                    throw ValidationError("\(path) names no input; pass --input NAME=\(path)")
                }
                feeds[target] = .tensor(tensor)
            default:
                throw ValidationError("input \(path): expected a .json, .npy or .pb file")
            }
        }
        return feeds
    }

    static func json(_ url: URL, inputNames: [String]) throws -> [String: Tensor] {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) } catch {
            throw ValidationError("input \(url.path) is not valid JSON")
        }
        if let request = object as? [String: Any], let inputs = request["inputs"] as? [Any] {
            var result = [String: Tensor]()
            for (index, input) in inputs.enumerated() {
                let (name, tensor) = try OIPTensor.decode(input, index: index)
                result[name] = tensor
            }
            return result
        }
        guard let map = object as? [String: Any] else { throw ValidationError("input \(url.path) must be a JSON object") }
        var result = [String: Tensor]()
        for (name, value) in map {
            if let described = value as? [String: Any] {
                var entry = described
                entry["name"] = name
                result[name] = try OIPTensor.decode(entry, index: 0).tensor
            } else {
                // A bare nested array: float32, shape from the nesting.
                var shape = [Int]()
                var probe: Any = value
                while let list = probe as? [Any] { shape.append(list.count); guard let first = list.first else { break }; probe = first }
                result[name] = try OIPTensor.decode(["name": name, "shape": shape, "datatype": "FP32", "data": value], index: 0).tensor
            }
        }
        return result
    }
}
