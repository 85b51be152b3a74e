/// Reads a blob (or a range of one) in chunks.
public protocol BlobReader: Sendable {
    /// How many bytes this reader yields in all.
    var length: Int64 { get }
    /// The next chunk of at most `maxBytes` bytes, or nil at the end.
    func next(maxBytes: Int) async throws -> [UInt8]?
    /// Releases the reader early (readers also close themselves at the end).
    func close() async
}
