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

    /// Hands `body` the open file descriptor and the file offset of the next `count` bytes (at
    /// most `maxBytes`) while the descriptor is guaranteed open, and moves past the bytes `body`
    /// says it took (it may take fewer or none). nil when the reader is not a local file or has
    /// no bytes left. A server maps these bytes instead of copying them (``readNext(into:)``).
    func withNextFileSpan(maxBytes: Int, _ body: (_ fd: Int32, _ offset: Int64, _ count: Int) throws -> Int) rethrows -> Int?
}

extension BlobReader {
    public func readNext(into buffer: UnsafeMutableRawBufferPointer) throws -> Int? { nil }
    public func withNextFileSpan(maxBytes: Int, _ body: (_ fd: Int32, _ offset: Int64, _ count: Int) throws -> Int) rethrows -> Int? { nil }
}
