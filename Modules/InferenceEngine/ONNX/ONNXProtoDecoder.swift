import Foundation
import SwiftProtobuf

/// Converts protobuf messages into the engine's graph types. Every malformed field becomes an
/// ``ONNXError`` naming the value it belongs to; nothing here traps on file contents.
struct ONNXProtoDecoder {
    /// Directory external data paths are relative to; nil refuses external data.
    let baseDirectory: URL?

    static func normalizedDomain(_ domain: String) -> String { domain == "ai.onnx" ? "" : domain }

    func graph(_ proto: Onnx_GraphProto) throws -> ONNXGraph {
        var initializers = [String: Tensor]()
        for tensorProto in proto.initializer {
            initializers[tensorProto.name] = try tensor(tensorProto)
        }
        for sparse in proto.sparseInitializer {
            initializers[sparse.values.name] = try denseTensor(sparse)
        }
        var infos = [String: ONNXValueInfo]()
        for info in proto.valueInfo { infos[info.name] = valueInfo(info) }
        return ONNXGraph(
            name: proto.name,
            nodes: try proto.node.enumerated().map { index, node in try self.node(node, index: index) },
            inputs: proto.input.map { valueInfo($0) },
            outputs: proto.output.map { valueInfo($0) },
            initializers: initializers,
            valueInfo: infos
        )
    }

    func node(_ proto: Onnx_NodeProto, index: Int) throws -> ONNXNode {
        var attributes = [String: ONNXAttribute]()
        for attribute in proto.attribute {
            attributes[attribute.name] = try self.attribute(attribute, node: proto.name.isEmpty ? "\(proto.opType) #\(index)" : proto.name)
        }
        return ONNXNode(
            name: proto.name, opType: proto.opType, domain: Self.normalizedDomain(proto.domain),
            inputs: proto.input, outputs: proto.output, attributes: attributes
        )
    }

    func attribute(_ proto: Onnx_AttributeProto, node: String) throws -> ONNXAttribute {
        func text(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }
        switch proto.type {
        case .float: return .float(proto.f)
        case .int: return .int(Int(proto.i))
        case .string: return .string(text(proto.s))
        case .tensor: return .tensor(try tensor(proto.t))
        case .graph: return .graph(try graph(proto.g))
        case .floats: return .floats(proto.floats)
        case .ints: return .ints(proto.ints.map { Int($0) })
        case .strings: return .strings(proto.strings.map(text))
        case .tensors: return .tensors(try proto.tensors.map { try tensor($0) })
        case .graphs: return .graphs(try proto.graphs.map { try graph($0) })
        case .sparseTensor: return .tensor(try denseTensor(proto.sparseTensor))
        case .undefined:
            // Old exporters leave `type` unset; infer it from which field is filled.
            if proto.hasF { return .float(proto.f) }
            if proto.hasI { return .int(Int(proto.i)) }
            if proto.hasS { return .string(text(proto.s)) }
            if proto.hasT { return .tensor(try tensor(proto.t)) }
            if !proto.floats.isEmpty { return .floats(proto.floats) }
            if !proto.ints.isEmpty { return .ints(proto.ints.map { Int($0) }) }
            if !proto.strings.isEmpty { return .strings(proto.strings.map(text)) }
            throw ONNXError(.invalidModel, "attribute \(proto.name) of node \(node) has no type")
        default:
            throw ONNXError(.unsupported, "attribute \(proto.name) of node \(node) has unsupported type \(proto.type)")
        }
    }

    func valueInfo(_ proto: Onnx_ValueInfoProto) -> ONNXValueInfo {
        ONNXValueInfo(name: proto.name, type: proto.hasType ? type(proto.type) : .other("unknown"))
    }

    func type(_ proto: Onnx_TypeProto) -> ONNXType {
        switch proto.value {
        case let .tensorType(tensorType)?:
            let code = Int(tensorType.elemType)
            let shape: [ONNXDimension]? = tensorType.hasShape
                ? tensorType.shape.dim.map { dim in
                    switch dim.value {
                    case let .dimValue(size)?: .value(Int(size))
                    case let .dimParam(name)?: .symbol(name)
                    case nil: .unknown
                    }
                }
                : nil
            return .tensor(elementType: code, dtype: ONNXElementType.dtype(for: code), shape: shape)
        case let .sequenceType(sequence)?: return .sequence(type(sequence.elemType))
        case let .mapType(map)?: return .map(keyType: Int(map.keyType), value: type(map.valueType))
        case let .optionalType(optional)?: return .optional(type(optional.elemType))
        case .sparseTensorType?: return .other("sparse_tensor")
        case .opaqueType?: return .other("opaque")
        case nil: return .other("unknown")
        }
    }

    // MARK: Tensors

    func tensor(_ proto: Onnx_TensorProto) throws -> Tensor {
        let code = Int(proto.dataType)
        let label = proto.name.isEmpty ? "tensor" : "tensor \(proto.name)"
        guard let dtype = ONNXElementType.dtype(for: code) else {
            throw ONNXError(.unsupported, "\(label) has element type \(ONNXElementType.name(of: code)), which the engine does not support")
        }
        var shape = [Int]()
        for dim in proto.dims {
            guard dim >= 0, dim <= Int64(Int32.max) else { throw ONNXError(.invalidModel, "\(label) has invalid dimension \(dim)") }
            shape.append(Int(dim))
        }
        let count: Int
        do { count = try Tensor.elementCount(shape, operation: label) } catch {
            throw ONNXError(.invalidModel, "\(label) has too many elements for shape \(shape)")
        }
        if dtype == .string {
            guard proto.stringData.count == count else {
                throw ONNXError(.invalidModel, "\(label) has \(proto.stringData.count) strings for shape \(shape)")
            }
            return try Tensor(shape: shape, strings: proto.stringData.map { String(decoding: $0, as: UTF8.self) })
        }
        let byteCount = count * dtype.byteSize
        if proto.dataLocation == .external {
            return try externalTensor(proto, dtype: dtype, shape: shape, byteCount: byteCount, label: label)
        }
        if proto.hasRawData {
            guard proto.rawData.count == byteCount else {
                throw ONNXError(.invalidModel, "\(label): raw_data has \(proto.rawData.count) bytes, shape \(shape) of \(dtype) needs \(byteCount)")
            }
            let result = try Tensor(zeros: shape, dtype: dtype)
            proto.rawData.withUnsafeBytes { raw in
                if let base = raw.baseAddress, byteCount > 0 { result.storage.bytes.copyMemory(from: base, byteCount: byteCount) }
            }
            return result
        }
        return try typedFieldTensor(proto, dtype: dtype, shape: shape, count: count, label: label)
    }

    private func typedFieldTensor(_ proto: Onnx_TensorProto, dtype: DType, shape: [Int], count: Int, label: String) throws -> Tensor {
        func check(_ available: Int, _ field: String) throws {
            guard available == count else {
                throw ONNXError(.invalidModel, "\(label): \(field) has \(available) values, shape \(shape) needs \(count)")
            }
        }
        let result = try Tensor(zeros: shape, dtype: dtype)
        let out = result.storage.bytes
        switch dtype {
        case .float32:
            try check(proto.floatData.count, "float_data")
            for (i, v) in proto.floatData.enumerated() { out.storeBytes(of: v, toByteOffset: i * 4, as: Float.self) }
        case .float64:
            try check(proto.doubleData.count, "double_data")
            for (i, v) in proto.doubleData.enumerated() { out.storeBytes(of: v, toByteOffset: i * 8, as: Double.self) }
        case .int64:
            try check(proto.int64Data.count, "int64_data")
            for (i, v) in proto.int64Data.enumerated() { out.storeBytes(of: v, toByteOffset: i * 8, as: Int64.self) }
        case .int32:
            try check(proto.int32Data.count, "int32_data")
            for (i, v) in proto.int32Data.enumerated() { out.storeBytes(of: v, toByteOffset: i * 4, as: Int32.self) }
        case .int16, .float16, .bfloat16:
            // 16-bit types travel as int32 values holding the bit pattern
            try check(proto.int32Data.count, "int32_data")
            for (i, v) in proto.int32Data.enumerated() { out.storeBytes(of: UInt16(truncatingIfNeeded: v), toByteOffset: i * 2, as: UInt16.self) }
        case .int8, .uint8, .bool:
            try check(proto.int32Data.count, "int32_data")
            for (i, v) in proto.int32Data.enumerated() { out.storeBytes(of: UInt8(truncatingIfNeeded: v), toByteOffset: i, as: UInt8.self) }
        case .string:
            break
        }
        return result
    }

    private func externalTensor(_ proto: Onnx_TensorProto, dtype: DType, shape: [Int], byteCount: Int, label: String) throws -> Tensor {
        var location = "", offset = 0, length: Int?
        for entry in proto.externalData {
            switch entry.key {
            case "location": location = entry.value
            case "offset": offset = Int(entry.value) ?? -1
            case "length": length = Int(entry.value)
            default: break
            }
        }
        guard let baseDirectory else {
            throw ONNXError(.invalidModel, "\(label) uses external data but the model was not loaded from a file")
        }
        // External data must stay beside the model: no absolute paths, no `..`.
        guard !location.isEmpty, !location.hasPrefix("/"), !location.split(separator: "/").contains("..") else {
            throw ONNXError(.invalidModel, "\(label): external data location \"\(location)\" must be a relative path inside the model's directory")
        }
        guard offset >= 0 else { throw ONNXError(.invalidModel, "\(label): invalid external data offset") }
        if let length, length != byteCount {
            throw ONNXError(.invalidModel, "\(label): external data length \(length) does not match shape \(shape) of \(dtype) (\(byteCount) bytes)")
        }
        let url = baseDirectory.appendingPathComponent(location)
        do {
            let storage = try TensorStorage(mappingFile: url.path, offset: offset, byteCount: byteCount)
            return Tensor(dtype: dtype, shape: shape, strides: Tensor.contiguousStrides(for: shape), offset: 0, storage: storage)
        } catch let error as TensorError {
            throw ONNXError(.invalidModel, "\(label): \(error.message)")
        }
    }

    /// Sparse tensors (COO) become dense: the engine has no sparse kernels, and graph networks'
    /// sparse-dense products run as dense MatMul.
    func denseTensor(_ proto: Onnx_SparseTensorProto) throws -> Tensor {
        let values = try tensor(proto.values)
        let indices = try tensor(proto.indices)
        let shape = proto.dims.map { Int($0) }
        guard indices.dtype == .int64 else { throw ONNXError(.invalidModel, "sparse tensor \(proto.values.name): indices must be int64") }
        let flat = try indices.scalars(as: Int64.self)
        let dense = try Tensor(zeros: shape, dtype: values.dtype)
        let total = shape.reduce(1, *)
        let strides = Tensor.contiguousStrides(for: shape)
        let size = values.dtype.byteSize
        let nnz = values.count
        let linear = indices.rank == 1
        guard flat.count == (linear ? nnz : nnz * shape.count) else {
            throw ONNXError(.invalidModel, "sparse tensor \(proto.values.name): indices do not match \(nnz) values")
        }
        let source = try values.contiguous()
        for i in 0..<nnz {
            var position = 0
            if linear { position = Int(flat[i]) } else {
                for axis in 0..<shape.count { position += Int(flat[i * shape.count + axis]) * strides[axis] }
            }
            guard position >= 0, position < total else { throw ONNXError(.invalidModel, "sparse tensor \(proto.values.name): index out of range") }
            memcpy(dense.storage.bytes + position * size, source.storage.bytes + i * size, size)
        }
        return dense
    }
}
