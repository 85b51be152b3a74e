import Foundation
import SwiftProtobuf

/// Reads the `.pb` value files of ONNX's backend-test layout (`test_data_set_N/input_M.pb`):
/// a serialized `TensorProto`, or for non-tensor graph values a `SequenceProto`/`MapProto`/
/// `OptionalProto` (which one follows from the graph's declared type).
public enum ONNXTestData {
    public static func readValue(_ url: URL, type: ONNXType) throws -> ONNXValue? {
        let data = try Data(contentsOf: url)
        let decoder = ONNXProtoDecoder(baseDirectory: url.deletingLastPathComponent())
        switch type {
        case .sequence:
            return try sequence(Onnx_SequenceProto(serializedBytes: data), decoder)
        case .map:
            return try map(Onnx_MapProto(serializedBytes: data), decoder)
        case .optional:
            let proto = try Onnx_OptionalProto(serializedBytes: data)
            if proto.hasTensorValue { return .tensor(try decoder.tensor(proto.tensorValue)) }
            if proto.hasSequenceValue { return try sequence(proto.sequenceValue, decoder) }
            return nil
        default:
            return .tensor(try decoder.tensor(Onnx_TensorProto(serializedBytes: data)))
        }
    }

    /// A tensor `.pb` file (what `aiplat infer --input x.pb` and the fixtures use).
    public static func readTensor(_ url: URL) throws -> (name: String, tensor: Tensor) {
        let proto = try Onnx_TensorProto(serializedBytes: Data(contentsOf: url))
        return (proto.name, try ONNXProtoDecoder(baseDirectory: nil).tensor(proto))
    }

    static func sequence(_ proto: Onnx_SequenceProto, _ decoder: ONNXProtoDecoder) throws -> ONNXValue {
        var items = [ONNXValue]()
        for tensor in proto.tensorValues { items.append(.tensor(try decoder.tensor(tensor))) }
        for nested in proto.sequenceValues { items.append(try sequence(nested, decoder)) }
        for entry in proto.mapValues { items.append(try map(entry, decoder)) }
        return .sequence(items)
    }

    static func map(_ proto: Onnx_MapProto, _ decoder: ONNXProtoDecoder) throws -> ONNXValue {
        let keys: Tensor = proto.keyType == 8
            ? try Tensor(shape: [proto.stringKeys.count], strings: proto.stringKeys.map { String(decoding: $0, as: UTF8.self) })
            : try Tensor(shape: [proto.keys.count], scalars: proto.keys)
        guard case let .tensor(values)? = try proto.values.tensorValues.first.map({ ONNXValue.tensor(try decoder.tensor($0)) }) else {
            throw ONNXError(.unsupported, "map values other than one tensor")
        }
        return .map(keys: keys, values: values)
    }
}
