import Foundation

/// NumPy `.npy` files (format 1.0-3.0, little-endian, C order): what `np.save` writes.
public enum NPYFile {
    public static func read(_ url: URL) throws -> Tensor {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ONNXError(.invalidInput, "cannot read \(url.path)")
        }
        return try decode(data, name: url.lastPathComponent)
    }

    public static func decode(_ data: Data, name: String = "npy") throws -> Tensor {
        let bytes = [UInt8](data)
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1...5]) == Array("NUMPY".utf8) else {
            throw ONNXError(.invalidInput, "\(name) is not a .npy file (bad magic)")
        }
        let major = bytes[6]
        let headerLength: Int, start: Int
        if major == 1 {
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8; start = 10
        } else {
            guard bytes.count >= 12 else { throw ONNXError(.invalidInput, "\(name): truncated header") }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24; start = 12
        }
        guard bytes.count >= start + headerLength else { throw ONNXError(.invalidInput, "\(name): truncated header") }
        let header = String(decoding: bytes[start..<(start + headerLength)], as: UTF8.self)
        func field(_ key: String) -> String? {
            guard let range = header.range(of: "'\(key)':") else { return nil }
            return String(header[range.upperBound...]).trimmingCharacters(in: .whitespaces)
        }
        guard let descrText = field("descr"), let descr = descrText.split(separator: "'").first.map(String.init) else {
            throw ONNXError(.invalidInput, "\(name): header has no descr")
        }
        if field("fortran_order")?.hasPrefix("True") == true { throw ONNXError(.invalidInput, "\(name): Fortran-order arrays are not supported") }
        guard let shapeText = field("shape"), let open = shapeText.firstIndex(of: "("), let close = shapeText.firstIndex(of: ")") else {
            throw ONNXError(.invalidInput, "\(name): header has no shape")
        }
        let shape = shapeText[shapeText.index(after: open)..<close].split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let dtypes: [String: DType] = [
            "<f4": .float32, "<f8": .float64, "<f2": .float16, "|i1": .int8, "|u1": .uint8, "<i2": .int16,
            "<i4": .int32, "<i8": .int64, "|b1": .bool,
        ]
        guard let dtype = dtypes[descr] else { throw ONNXError(.invalidInput, "\(name): dtype \(descr) is not supported") }
        let count = shape.reduce(1, *)
        let body = start + headerLength
        guard bytes.count - body >= count * dtype.byteSize else {
            throw ONNXError(.invalidInput, "\(name): data is truncated (\(bytes.count - body) bytes for shape \(shape) of \(dtype))")
        }
        let tensor = try Tensor(zeros: shape, dtype: dtype)
        bytes.withUnsafeBytes { raw in
            if count > 0 { tensor.storage.bytes.copyMemory(from: raw.baseAddress! + body, byteCount: count * dtype.byteSize) }
        }
        return tensor
    }

    /// `np.save`-compatible bytes (format 1.0).
    public static func encode(_ tensor: Tensor) throws -> Data {
        let descr: [DType: String] = [
            .float32: "<f4", .float64: "<f8", .float16: "<f2", .int8: "|i1", .uint8: "|u1", .int16: "<i2",
            .int32: "<i4", .int64: "<i8", .bool: "|b1",
        ]
        guard let code = descr[tensor.dtype] else { throw ONNXError(.invalidInput, "cannot write \(tensor.dtype) to .npy") }
        let shape = tensor.shape.count == 1 ? "(\(tensor.shape[0]),)" : "(\(tensor.shape.map(String.init).joined(separator: ", ")))"
        var header = "{'descr': '\(code)', 'fortran_order': False, 'shape': \(shape), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)])
        data.append(contentsOf: Array(header.utf8))
        let flat = try tensor.contiguous()
        data.append(Data(bytes: flat.storage.bytes + flat.offset * tensor.dtype.byteSize, count: tensor.count * tensor.dtype.byteSize))
        return data
    }
}
