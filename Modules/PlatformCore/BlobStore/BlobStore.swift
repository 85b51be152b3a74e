/// The blob seam: immutable, content-addressed byte strings keyed by ``BlobDigest``, plus the
/// resumable uploads that produce them. ``LocalBlobStore`` (a directory under the data dir) is the
/// embedded default; an S3-compatible store goes behind the same calls.
///
/// The contract every implementation keeps:
/// - A blob becomes visible only after its bytes were verified against its digest and made
///   durable; a blob whose bytes do not match leaves nothing behind.
/// - Writing a blob that already exists is a cheap success (dedup), never a corruption.
/// - Uploads are addressed by an id the caller chooses (a plain token); their bytes survive a
///   process restart, so an interrupted upload resumes where its bytes end.
/// - Every method is safe to call from many tasks at once; two writers of the same digest both
///   succeed and leave one intact blob.
public protocol BlobStore: Sendable {
    /// The size of the blob in bytes, or nil when there is no such blob.
    func size(of digest: BlobDigest) async throws -> Int64?

    /// A reader over `range` of the blob (the whole blob when nil).
    /// - Throws: ``BlobStoreError`` `.notFound`, or `.rangeNotSatisfiable` when the range is not
    ///   inside the blob.
    func reader(for digest: BlobDigest, range: Range<Int64>?) async throws -> any BlobReader

    /// Stores the bytes of `chunks` as a blob, streaming. When `expected` is given the bytes must
    /// hash to it, else `.digestMismatch` and nothing remains. More than `maxBytes` -> `.tooLarge`.
    /// - Returns: the digest and size of what was stored.
    @discardableResult
    func write<Chunks: AsyncSequence & Sendable>(
        _ chunks: Chunks, expected: BlobDigest?, maxBytes: Int64
    ) async throws -> BlobInfo where Chunks.Element: ContiguousBytesSequence

    /// Deletes the blob; returns false when there was none.
    @discardableResult
    func delete(_ digest: BlobDigest) async throws -> Bool

    /// Every stored blob's digest, sorted.
    func digests() async throws -> [BlobDigest]

    // MARK: Uploads

    /// Creates an empty upload named `id` (letters, digits, `-` and `_`); a no-op when it exists.
    func createUpload(id: String) async throws

    /// How many bytes upload `id` holds, or nil when there is no such upload.
    func uploadSize(id: String) async throws -> Int64?

    /// Appends `chunks` to upload `id`. `offset`, when given, must equal the upload's current size
    /// (`.invalidUpload` otherwise: a client resuming from the wrong place). The upload may grow to
    /// at most `maxBytes` (`.tooLarge`, the appended part discarded).
    /// - Returns: the upload's new size.
    @discardableResult
    func appendUpload<Chunks: AsyncSequence & Sendable>(
        id: String, _ chunks: Chunks, offset: Int64?, maxBytes: Int64
    ) async throws -> Int64 where Chunks.Element: ContiguousBytesSequence

    /// Turns upload `id` into the blob `expected`: verifies the digest, makes it durable and
    /// visible, and removes the upload. On `.digestMismatch` the upload is removed too.
    @discardableResult
    func commitUpload(id: String, expected: BlobDigest) async throws -> BlobInfo

    /// Removes upload `id` and its bytes; returns false when there was none.
    @discardableResult
    func deleteUpload(id: String) async throws -> Bool

    /// The ids of every upload that exists.
    func uploadIDs() async throws -> [String]
}

extension BlobStore {
    /// Whether the blob exists.
    public func exists(_ digest: BlobDigest) async throws -> Bool {
        try await size(of: digest) != nil
    }

    /// The whole blob (or `range` of it) in memory; for small blobs such as manifests and configs.
    public func readAll(_ digest: BlobDigest, range: Range<Int64>? = nil) async throws -> [UInt8] {
        let reader = try await reader(for: digest, range: range)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(reader.length))
        while let chunk = try await reader.next(maxBytes: 1 << 20) { bytes += chunk }
        return bytes
    }

    /// Stores `bytes` as a blob.
    @discardableResult
    public func write(_ bytes: [UInt8], expected: BlobDigest? = nil) async throws -> BlobInfo {
        try await write(SingleChunk(bytes: bytes), expected: expected, maxBytes: Int64.max)
    }
}

/// One chunk as an async sequence, for the in-memory convenience calls.
struct SingleChunk: AsyncSequence, Sendable {
    typealias Element = [UInt8]
    let bytes: [UInt8]
    struct AsyncIterator: AsyncIteratorProtocol {
        var bytes: [UInt8]?
        mutating func next() async -> [UInt8]? {
            defer { bytes = nil }
            return bytes
        }
    }
    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(bytes: bytes) }
}
