import PlatformCore

extension Tensor {
    /// SHA-256 (hex) of the tensor's canonical encoding: `"aiplat.tensor.v1"`, the dtype name,
    /// rank and dims as little-endian UInt64, then the elements in row-major order as
    /// little-endian bytes (strings: UInt64 UTF-8 length + bytes). Views and copies of the same
    /// values have the same digest; any change of dtype, shape or a single bit changes it.
    ///
    /// The issue asks for keccak-256; that lives in EthereumKit (L1, not a dependency of this
    /// module) and OpenSSL 3.0 lacks it, so SHA-256 until keccak moves to a shared low module.
    public func digest() throws -> String {
        var encoding = [UInt8]("aiplat.tensor.v1".utf8)
        encoding += [UInt8](dtype.rawValue.utf8)
        func append(_ value: Int) { withUnsafeBytes(of: UInt64(value).littleEndian) { encoding += $0 } }
        append(rank)
        shape.forEach(append)
        if dtype == .string {
            for string in try strings() {
                let bytes = [UInt8](string.utf8)
                append(bytes.count)
                encoding += bytes
            }
        } else {
            let flat = try contiguous()
            // x86-64 and arm64 are little-endian: the buffer is already the canonical byte order
            encoding += UnsafeRawBufferPointer(start: flat.storage.bytes + flat.offset * dtype.byteSize, count: count * dtype.byteSize)
        }
        return SHA256Hasher.hash(encoding).hex
    }
}
