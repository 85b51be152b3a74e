import Foundation
import PlatformCore

/// A model ready to run: loaded once, compiled into an ``ExecutionPlan``, and shared by any number
/// of concurrent callers (`run` has no shared mutable state).
public struct InferenceSession: Sendable {
    public let model: ONNXModel
    public let plan: ExecutionPlan
    public let options: ExecutionOptions

    public init(model: ONNXModel, options: ExecutionOptions = .default) throws {
        self.model = model
        self.options = options
        plan = try ExecutionPlan(model: model, options: options)
    }

    public init(contentsOf url: URL, options: ExecutionOptions = .default) throws {
        try self.init(model: ONNXModel.load(contentsOf: url), options: options)
    }

    /// Inputs a caller must feed.
    public var inputs: [ONNXValueInfo] { model.graph.requiredInputs }
    public var outputs: [ONNXValueInfo] { model.graph.outputs }

    /// Runs the model. Inputs are checked against the graph's declared dtypes and static
    /// dimensions first; a mismatch throws `.invalidInput` naming the input and what it expected.
    public func run(_ feeds: [String: ONNXValue]) throws -> InferenceResult {
        var bySlot = [(slot: Int, value: ONNXValue)]()
        bySlot.reserveCapacity(plan.inputSlots.count)
        for (info, slot) in plan.inputSlots {
            guard let value = feeds[info.name] else { break }
            bySlot.append((slot, value))
        }
        // Every input found and nothing else fed (the usual case) needs no name checks.
        if bySlot.count != plan.inputSlots.count || feeds.count != bySlot.count {
            let known = Set(plan.inputSlots.map(\.info.name))
            for name in feeds.keys.sorted() where !known.contains(name) {
                throw ONNXError(.invalidInput, "unknown input \"\(name)\"; the model's inputs are \(plan.inputSlots.map(\.info.name).joined(separator: ", "))")
            }
            for (info, _) in plan.inputSlots where feeds[info.name] == nil {
                throw ONNXError(.invalidInput, "missing input \"\(info.name)\" (expected \(info.type))")
            }
        }
        for (index, input) in plan.inputSlots.enumerated() { try Self.check(bySlot[index].value, against: input.info) }
        let values = try plan.run(feeds: bySlot, options: options)
        var outputs = [InferenceResult.Output]()
        for (index, entry) in plan.outputSlots.enumerated() {
            guard let value = values[index] else { throw ONNXError(.executionFailed, "output \(entry.name) was not produced") }
            outputs.append(.init(name: entry.name, value: value))
        }
        return InferenceResult(outputs: outputs)
    }

    /// Convenience for tensor-only models.
    public func run(_ feeds: [String: Tensor]) throws -> InferenceResult {
        try run(feeds.mapValues { ONNXValue.tensor($0) })
    }

    static func check(_ value: ONNXValue, against info: ONNXValueInfo) throws {
        switch (info.type, value) {
        case let (.tensor(code, dtype, shape), .tensor(tensor)):
            guard let dtype else {
                throw ONNXError(.unsupported, "input \"\(info.name)\" has element type \(ONNXElementType.name(of: code)), which the engine does not support")
            }
            guard tensor.dtype == dtype else {
                throw ONNXError(.invalidInput, "input \"\(info.name)\" has datatype \(ONNXElementType.oipName(for: tensor.dtype)), expected \(ONNXElementType.oipName(for: dtype)) (\(info.type))")
            }
            guard let shape else { return }
            let matches = shape.count == tensor.rank && zip(shape, tensor.shape).allSatisfy { dim, size in
                if case let .value(expected) = dim { return expected == size }
                return true
            }
            guard matches else {
                throw ONNXError(.invalidInput, "input \"\(info.name)\" has shape \(tensor.shape), expected [\(shape.map(\.description).joined(separator: ","))]")
            }
        case (.tensor, _):
            throw ONNXError(.invalidInput, "input \"\(info.name)\" must be a tensor (\(info.type)), got \(value.typeDescription)")
        default:
            return
        }
    }
}

/// Outputs of one run with the Keccak-256 digest that commits to all of them.
public struct InferenceResult: Sendable {
    public struct Output: Sendable {
        public let name: String
        public let value: ONNXValue
    }

    public let outputs: [Output]

    public init(outputs: [Output]) {
        self.outputs = outputs
    }

    /// Keccak-256 (hex) over `"aiplat.outputs.v1"`, the output count, and for each output in graph
    /// order its UTF-8 name (length-prefixed) and canonical tensor encoding (see ``Tensor/digest()``).
    /// Non-tensor outputs (ONNX-ML maps and sequences) are encoded element by element. Computed on
    /// request: hashing the outputs costs as much as running a small model.
    public func digest() throws -> String {
        var hasher = Keccak256()
        hasher.update([UInt8]("aiplat.outputs.v1".utf8))
        func append(_ value: Int) { withUnsafeBytes(of: UInt64(value).littleEndian) { hasher.update($0) } }
        func encode(_ value: ONNXValue) throws {
            switch value {
            case let .tensor(tensor):
                try tensor.appendCanonicalEncoding(to: &hasher)
            case let .sequence(items):
                hasher.update([UInt8]("seq".utf8))
                append(items.count)
                for item in items { try encode(item) }
            case let .map(keys, values):
                hasher.update([UInt8]("map".utf8))
                try keys.appendCanonicalEncoding(to: &hasher)
                try values.appendCanonicalEncoding(to: &hasher)
            }
        }
        append(outputs.count)
        for output in outputs {
            let name = [UInt8](output.name.utf8)
            append(name.count)
            hasher.update(name)
            try encode(output.value)
        }
        return HexEncoding.lowercase(hasher.finalize())
    }

    public subscript(name: String) -> ONNXValue? { outputs.first { $0.name == name }?.value }
}
