/// Reads a blob (or a range of one) in chunks.
public protocol BlobReader: Sendable {
    /// How many bytes this reader yields in all.
    var length: Int64 { get }
    /// The next chunk of at most `maxBytes` bytes, or nil at the end.
    func next(maxBytes: Int) async throws -> [UInt8]?
    /// Releases the reader early (readers also close themselves at the end).
    func close() async

    /// Reads the next bytes straight into `buffer` when this reader can without waiting (a local
    /// file: one `pread` into the caller's buffer, no intermediate array); returns how many (0 at
    /// the end), or nil when the reader cannot, and the caller uses ``next(maxBytes:)``.
    func readNext(into buffer: UnsafeMutableRawBufferPointer) throws -> Int?
}

extension BlobReader {
    public func readNext(into buffer: UnsafeMutableRawBufferPointer) throws -> Int? { nil }
}
