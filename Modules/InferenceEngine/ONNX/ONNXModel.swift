import Foundation
import SwiftProtobuf

/// A loaded `.onnx` model: the main graph in the engine's form plus the opsets it imports.
public struct ONNXModel: Sendable {
    public var graph: ONNXGraph
    /// Operator set version per domain (`""` is `ai.onnx`).
    public var opsets: [String: Int]
    public var irVersion: Int
    public var producer: String
    /// Names of model-local functions (`FunctionProto`); the engine does not inline them yet, so a
    /// node that calls one is reported as unsupported.
    public var localFunctions: [String]

    public init(graph: ONNXGraph, opsets: [String: Int], irVersion: Int = 8, producer: String = "", localFunctions: [String] = []) {
        self.graph = graph
        self.opsets = opsets
        self.irVersion = irVersion
        self.producer = producer
        self.localFunctions = localFunctions
    }

    /// Reads a model file; external data files are resolved next to it and memory-mapped.
    public static func load(contentsOf url: URL) throws -> ONNXModel {
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw ONNXError(.invalidModel, "cannot read model \(url.path): \((error as NSError).localizedDescription)")
        }
        do {
            return try ONNXModel(serializedData: data, baseDirectory: url.deletingLastPathComponent())
        } catch let error as ONNXError {
            throw ONNXError(error.kind, "\(url.lastPathComponent): \(error.message)")
        }
    }

    /// Parses a serialized `ModelProto`. `baseDirectory` is where external data files live.
    public init(serializedData data: Data, baseDirectory: URL? = nil) throws {
        guard !data.isEmpty else { throw ONNXError(.invalidModel, "model file is empty") }
        let proto: Onnx_ModelProto
        do {
            proto = try Onnx_ModelProto(serializedBytes: data)
        } catch {
            throw ONNXError(.invalidModel, "not a valid ONNX model (protobuf decoding failed: \(error))")
        }
        guard proto.hasGraph, proto.irVersion > 0 else {
            throw ONNXError(.invalidModel, "not a valid ONNX model (no graph or ir_version; truncated or not an .onnx file)")
        }
        var opsets = [String: Int]()
        for entry in proto.opsetImport {
            opsets[ONNXProtoDecoder.normalizedDomain(entry.domain)] = Int(entry.version)
        }
        if opsets[""] == nil, proto.irVersion < 3 { opsets[""] = 1 }
        let decoder = ONNXProtoDecoder(baseDirectory: baseDirectory)
        self.init(
            graph: try decoder.graph(proto.graph),
            opsets: opsets,
            irVersion: Int(proto.irVersion),
            producer: [proto.producerName, proto.producerVersion].filter { !$0.isEmpty }.joined(separator: " "),
            localFunctions: proto.functions.map { $0.domain.isEmpty ? $0.name : "\($0.domain).\($0.name)" }
        )
    }

    /// Number of scalar parameters held in initializers (and constant nodes).
    public var parameterCount: Int {
        graph.initializers.values.reduce(0) { $0 + $1.count }
            + graph.nodes.reduce(0) { total, node in
                guard node.opType == "Constant", case let .tensor(value)? = node.attributes["value"] else { return total }
                return total + value.count
            }
    }

    /// Bytes held by initializers.
    public var parameterBytes: Int {
        graph.initializers.values.reduce(0) { $0 + $1.count * max($1.dtype.byteSize, 1) }
    }
}
