import PlatformCore

extension Tensor {
    /// Keccak-256 (hex, no `0x`) of the tensor's canonical encoding: `"aiplat.tensor.v1"`, the
    /// dtype name, rank and dims as little-endian UInt64, then the elements in row-major order as
    /// little-endian bytes (strings: UInt64 UTF-8 length + bytes). Views and copies of the same
    /// values have the same digest; any change of dtype, shape or a single bit changes it.
    /// Keccak-256 rather than SHA-256 so a contract can recompute it (`keccak256(...)` in the EVM).
    public func digest() throws -> String {
        var hasher = Keccak256()
        try appendCanonicalEncoding(to: &hasher)
        return HexEncoding.lowercase(hasher.finalize())
    }

    func appendCanonicalEncoding(to hasher: inout Keccak256) throws {
        hasher.update([UInt8]("aiplat.tensor.v1".utf8))
        hasher.update([UInt8](dtype.rawValue.utf8))
        func append(_ value: Int) { withUnsafeBytes(of: UInt64(value).littleEndian) { hasher.update($0) } }
        append(rank)
        shape.forEach(append)
        if dtype == .string {
            for string in try strings() {
                let bytes = [UInt8](string.utf8)
                append(bytes.count)
                hasher.update(bytes)
            }
        } else {
            let flat = try contiguous()
            // x86-64 and arm64 are little-endian: the buffer is already the canonical byte order
            hasher.update(UnsafeRawBufferPointer(start: flat.storage.bytes + flat.offset * dtype.byteSize, count: count * dtype.byteSize))
        }
    }
}
