import Foundation
import Synchronization

/// ``BlobStore`` on an S3-compatible object store (AWS S3, MinIO, Ceph; tested against moto):
///
/// ```
/// <prefix>blobs/sha256/<hex>            one object per blob
/// <prefix>tmp/<uuid>                    a blob whose digest was not known in advance, before its copy into place
/// <prefix>uploads/<id>/.upload          marks an upload that exists
/// <prefix>uploads/<id>/<20-digit offset> the bytes of one append, so an upload survives any restart
/// <prefix>uploads/<id>/sha256-state/<20-digit offset> the SHA-256 state after the first offset bytes
/// ```
///
/// A blob is hashed while it streams in and made visible only once its digest matched: a small
/// blob is PUT after the check, a large one goes up as a multipart upload that is completed only
/// after the check (an incomplete multipart upload is invisible) and aborted otherwise. At most
/// one part (``S3Configuration/partSize``) is held in memory.
///
/// An upload's appends are hashed as one stream: each append goes on from the hash state the
/// previous one stored, and stores its own. Committing checks the digest from the last state and
/// then composes the pieces inside S3 (CopyObject for one piece, UploadPartCopy for several), so
/// the bytes are not moved again; where a state is missing (a crash between a piece and its
/// state), S3's part rules do not allow composing (a piece under 5 MiB before the last), or the
/// state's digest does not match, the pieces stream back through the verified write instead, so
/// an upload is never refused on a state's word alone.
public final class S3BlobStore: BlobStore {
    public let configuration: S3Configuration
    let client: S3Client
    /// Uploads a request is appending to or committing right now (in this process).
    private let busyUploads = Mutex<Set<String>>([])

    public init(configuration: S3Configuration) {
        self.configuration = configuration
        self.client = S3Client(configuration: configuration)
    }

    /// Creates the bucket (a no-op when this account already owns it); for tests and first runs.
    public func createBucket() async throws {
        let response = try await client.send("PUT", key: nil)
        guard (200..<300).contains(response.status) || S3XML(response.body).first("Code") == "BucketAlreadyOwnedByYou" else {
            throw BlobStoreError(.io, "cannot create bucket \(configuration.bucket): HTTP \(response.status)")
        }
    }

    private var prefix: String { configuration.keyPrefix }
    private func blobKey(_ digest: BlobDigest) -> String { prefix + "blobs/sha256/" + digest.hex }
    private func uploadPrefix(_ id: String) -> String { prefix + "uploads/" + id + "/" }
    private func markerKey(_ id: String) -> String { uploadPrefix(id) + ".upload" }
    private func hashStateKey(_ id: String, at offset: Int64) -> String {
        uploadPrefix(id) + "sha256-state/" + String(format: "%020lld", offset)
    }

    // MARK: Blobs

    public func size(of digest: BlobDigest) async throws -> Int64? {
        try await objectSize(blobKey(digest))
    }

    private func objectSize(_ key: String) async throws -> Int64? {
        let response = try await client.send("HEAD", key: key)
        if response.status == 404 { return nil }
        guard (200..<300).contains(response.status) else {
            throw BlobStoreError(.io, "S3 HEAD \(key) failed with HTTP \(response.status)")
        }
        return Int64(response.headers["content-length"] ?? "") ?? 0
    }

    public func reader(for digest: BlobDigest, range: Range<Int64>?) async throws -> any BlobReader {
        guard let size = try await size(of: digest) else {
            throw BlobStoreError(.notFound, "blob \(digest) is not in the store")
        }
        let wanted = range ?? 0..<size
        guard wanted.lowerBound >= 0, wanted.upperBound <= size else {
            throw BlobStoreError(
                .rangeNotSatisfiable,
                "range \(wanted.lowerBound)-\(wanted.upperBound - 1) is outside blob \(digest) of \(size) bytes")
        }
        return S3ObjectReader(client: client, key: blobKey(digest), offset: wanted.lowerBound, length: Int64(wanted.count))
    }

    public func write<Chunks: AsyncSequence & Sendable>(
        _ chunks: Chunks, expected: BlobDigest?, maxBytes: Int64
    ) async throws -> BlobInfo where Chunks.Element: ContiguousBytesSequence {
        if let expected {
            return try await upload(chunks, to: blobKey(expected), expected: expected, maxBytes: maxBytes, keepingPartial: false)
        }
        // The key depends on the digest, known only at the end: write aside, then copy into place.
        let temporary = prefix + "tmp/" + UUID().uuidString.lowercased()
        let info = try await upload(chunks, to: temporary, expected: nil, maxBytes: maxBytes, keepingPartial: false)
        do {
            // CopyObject takes up to 5 GB in one call, which covers blobs written without a known digest.
            _ = try await client.expectSuccess(
                "PUT", key: blobKey(info.digest),
                headers: ["x-amz-copy-source": copySource(temporary)])
        } catch {
            _ = try? await client.send("DELETE", key: temporary)
            throw error
        }
        _ = try? await client.send("DELETE", key: temporary)
        return info
    }

    public func delete(_ digest: BlobDigest) async throws -> Bool {
        guard try await size(of: digest) != nil else { return false }
        _ = try await client.expectSuccess("DELETE", key: blobKey(digest))
        return true
    }

    public func digests() async throws -> [BlobDigest] {
        let listed = try await client.list(prefix: prefix + "blobs/sha256/")
        return listed.compactMap { try? BlobDigest(parsing: "sha256:" + $0.key.dropFirst(prefix.count + "blobs/sha256/".count)) }.sorted()
    }

    // MARK: Uploads

    public func createUpload(id: String) async throws {
        try LocalBlobStore.validateUploadID(id)
        _ = try await client.expectSuccess("PUT", key: markerKey(id), body: Data())
    }

    public func uploadSize(id: String) async throws -> Int64? {
        try LocalBlobStore.validateUploadID(id)
        return try await pieces(of: id)?.reduce(0) { $0 + $1.size }
    }

    /// The appended pieces of upload `id` in order, or nil when the upload does not exist.
    private func pieces(of id: String) async throws -> [(key: String, offset: Int64, size: Int64)]? {
        let listed = try await client.list(prefix: uploadPrefix(id))
        guard listed.contains(where: { $0.key == markerKey(id) }) else { return nil }
        return listed.compactMap { object in
            guard let offset = Int64(object.key.dropFirst(uploadPrefix(id).count)) else { return nil }
            return (object.key, offset, object.size)
        }.sorted { $0.offset < $1.offset }
    }

    public func appendUpload<Chunks: AsyncSequence & Sendable>(
        id: String, _ chunks: Chunks, offset: Int64?, maxBytes: Int64
    ) async throws -> Int64 where Chunks.Element: ContiguousBytesSequence {
        try LocalBlobStore.validateUploadID(id)
        try claim(id)
        defer { release(id) }
        guard let pieces = try await pieces(of: id) else {
            throw BlobStoreError(.notFound, "upload \(id) does not exist")
        }
        let start = pieces.reduce(0) { $0 + $1.size }
        if let offset, offset != start {
            throw BlobStoreError(
                .invalidUpload, "upload \(id) holds \(start) bytes; a chunk starting at byte \(offset) does not continue it")
        }
        let key = uploadPrefix(id) + String(format: "%020lld", start)
        // The state the previous append left (none before the first byte); without it this append
        // stores no state either, and the commit re-reads the pieces.
        let running = start == 0 ? SHA256Hasher() : try await hashState(id, at: start)
        do {
            let info = try await upload(
                chunks, to: key, expected: nil, maxBytes: maxBytes - start, keepingPartial: true, continuing: running ?? SHA256Hasher(),
                stored: { hasher in
                    guard running != nil else { return }
                    _ = try? await self.client.expectSuccess(
                        "PUT", key: self.hashStateKey(id, at: hasher.byteCount), body: Data(hasher.exportedState))
                })
            return start + info.size
        } catch let error as BlobStoreError where error.code == .tooLarge {
            throw BlobStoreError(.tooLarge, "upload \(id) would exceed the limit of \(maxBytes) bytes")
        }
    }

    public func commitUpload(id: String, expected: BlobDigest) async throws -> BlobInfo {
        try LocalBlobStore.validateUploadID(id)
        try claim(id)
        defer { release(id) }
        guard let pieces = try await pieces(of: id) else {
            throw BlobStoreError(.notFound, "upload \(id) does not exist")
        }
        var next: Int64 = 0
        for piece in pieces {
            guard piece.offset == next else {
                throw BlobStoreError(.io, "upload \(id) is missing bytes \(next)-\(piece.offset - 1)")
            }
            next += piece.size
        }
        // A store without UploadPartCopy (or any failure composing) takes the streaming path too.
        if let state = try? await hashState(id, at: next), BlobDigest(state.finalize()) == expected,
            (try? await compose(pieces.map { ($0.key, $0.size) }, into: blobKey(expected))) == true
        {
            try await removeUpload(id)
            return BlobInfo(digest: expected, size: next)
        }
        let stream = S3ObjectsStream(client: client, keys: pieces.map(\.key), chunkSize: configuration.partSize)
        do {
            let info = try await upload(stream, to: blobKey(expected), expected: expected, maxBytes: .max, keepingPartial: false)
            try await removeUpload(id)
            return info
        } catch let error as BlobStoreError where error.code == .digestMismatch {
            try? await removeUpload(id)
            throw BlobStoreError(
                .digestMismatch, "upload \(id): \(error.message); its bytes were discarded")
        }
    }

    /// The SHA-256 state an append stored after the first `offset` bytes of upload `id`, if any.
    private func hashState(_ id: String, at offset: Int64) async throws -> SHA256Hasher? {
        let response = try await client.send("GET", key: hashStateKey(id, at: offset))
        guard response.status == 200, let hasher = SHA256Hasher(exportedState: Array(response.body)), hasher.byteCount == offset else {
            return nil
        }
        return hasher
    }

    /// S3's limits on a part of a multipart upload (all but the last at least 5 MiB, each at most
    /// 5 GiB, at most 10,000 parts); CopyObject copies up to 5 GiB.
    static let minimumPartSize: Int64 = 5 << 20
    static let maximumPartSize: Int64 = 5 << 30
    static let maximumPartCount = 10_000

    /// Writes the concatenation of `pieces` to `key` inside S3 (nothing moves through this
    /// process); false where S3's part rules do not allow it (nothing is written then).
    private func compose(_ pieces: [(key: String, size: Int64)], into key: String) async throws -> Bool {
        let parts = pieces.filter { $0.size > 0 }
        guard !parts.isEmpty, parts.count <= Self.maximumPartCount, parts.allSatisfy({ $0.size <= Self.maximumPartSize }),
            parts.dropLast().allSatisfy({ $0.size >= Self.minimumPartSize })
        else { return false }
        if parts.count == 1 {
            let response = try await client.expectSuccess("PUT", key: key, headers: ["x-amz-copy-source": copySource(parts[0].key)])
            // CopyObject can fail with a 200 whose body is an error.
            if let code = S3XML(response.body).first("Code") {
                throw BlobStoreError(.io, "S3 could not copy \(parts[0].key) to \(key): \(code)")
            }
            return true
        }
        var writer = S3MultipartWriter(client: client, key: key)
        do {
            for part in parts { try await writer.copyPart(from: copySource(part.key)) }
            try await writer.finish(last: Data())
        } catch {
            await writer.abort()
            throw error
        }
        return true
    }

    /// `x-amz-copy-source` for an object of this bucket.
    private func copySource(_ key: String) -> String {
        "/" + configuration.bucket + "/" + SigV4Signer.encode(key, keepingSlashes: true)
    }

    public func deleteUpload(id: String) async throws -> Bool {
        try LocalBlobStore.validateUploadID(id)
        guard try await pieces(of: id) != nil else { return false }
        try await removeUpload(id)
        return true
    }

    private func removeUpload(_ id: String) async throws {
        // Pieces first, the marker last: an interrupted removal leaves an upload that still lists.
        let listed = try await client.list(prefix: uploadPrefix(id))
        for object in listed where object.key != markerKey(id) {
            _ = try await client.expectSuccess("DELETE", key: object.key)
        }
        _ = try await client.expectSuccess("DELETE", key: markerKey(id))
    }

    public func uploadIDs() async throws -> [String] {
        let listed = try await client.list(prefix: prefix + "uploads/")
        return listed.compactMap { object -> String? in
            guard object.key.hasSuffix("/.upload") else { return nil }
            let id = String(object.key.dropFirst(prefix.count + "uploads/".count).dropLast("/.upload".count))
            return (try? LocalBlobStore.validateUploadID(id)) != nil ? id : nil
        }.sorted()
    }

    private func claim(_ id: String) throws {
        guard busyUploads.withLock({ $0.insert(id).inserted }) else {
            throw BlobStoreError(.uploadBusy, "upload \(id) is being written by another request")
        }
    }

    private func release(_ id: String) {
        _ = busyUploads.withLock { $0.remove(id) }
    }

    // MARK: Streaming upload

    /// Streams `chunks` into the object `key`, hashing on the way, and makes it visible only
    /// after the digest check (when `expected` is given). `keepingPartial`: when the chunk
    /// sequence itself fails (a client that went away), what arrived is still stored, then the
    /// error rethrown. The hash goes on from `continuing` (an upload's earlier appends), and
    /// `stored` gets the hasher once the object is stored, also before such a rethrow; the
    /// returned size counts this object's bytes only.
    private func upload<Chunks: AsyncSequence & Sendable>(
        _ chunks: Chunks, to key: String, expected: BlobDigest?, maxBytes: Int64, keepingPartial: Bool,
        continuing: SHA256Hasher = SHA256Hasher(), stored: (SHA256Hasher) async -> Void = { _ in }
    ) async throws -> BlobInfo where Chunks.Element: ContiguousBytesSequence {
        var writer = S3MultipartWriter(client: client, key: key)
        var hasher = continuing
        let before = continuing.byteCount
        var buffer = Data()
        let partSize = configuration.partSize
        do {
            var sourceFailure: (any Error)?
            do {
                for try await chunk in chunks {
                    try chunk.withUnsafeBytesOfChunk { bytes in
                        guard hasher.byteCount - before + Int64(bytes.count) <= maxBytes else {
                            throw BlobStoreError(.tooLarge, "blob is larger than the limit of \(maxBytes) bytes")
                        }
                        hasher.update(bytes)
                        buffer.append(contentsOf: bytes)
                    }
                    while buffer.count >= partSize {
                        try await writer.uploadPart(buffer.prefix(partSize))
                        buffer = Data(buffer.dropFirst(partSize))
                    }
                }
            } catch let error where keepingPartial && !(error is BlobStoreError) {
                sourceFailure = error
            }
            let digest = BlobDigest(hasher.finalize())
            if let expected, expected != digest {
                throw BlobStoreError(.digestMismatch, "the uploaded bytes hash to \(digest), not to the expected \(expected)")
            }
            if !(sourceFailure != nil && hasher.byteCount == before) {
                try await writer.finish(last: buffer)
                await stored(hasher)
            }
            if let sourceFailure { throw sourceFailure }
            return BlobInfo(digest: digest, size: hasher.byteCount - before)
        } catch {
            await writer.abort()
            throw error
        }
    }
}

/// One object written either by a single PUT (when it fits one part) or as a multipart upload.
struct S3MultipartWriter {
    let client: S3Client
    let key: String
    private var uploadID: String?
    private var etags: [String] = []
    private var finished = false

    init(client: S3Client, key: String) {
        self.client = client
        self.key = key
    }

    private mutating func startIfNeeded() async throws {
        guard uploadID == nil else { return }
        let created = try await client.expectSuccess("POST", key: key, query: [("uploads", "")])
        guard let id = S3XML(created.body).first("UploadId") else {
            throw BlobStoreError(.io, "S3 did not return an upload id for \(key)")
        }
        uploadID = id
    }

    mutating func uploadPart(_ part: Data) async throws {
        try await startIfNeeded()
        let number = etags.count + 1
        let response = try await client.expectSuccess(
            "PUT", key: key, query: [("partNumber", String(number)), ("uploadId", uploadID ?? "")], body: part)
        etags.append(response.headers["etag"] ?? "")
    }

    /// Copies the object `source` (an `x-amz-copy-source` value) in as the next part, inside S3.
    mutating func copyPart(from source: String) async throws {
        try await startIfNeeded()
        let number = etags.count + 1
        let response = try await client.expectSuccess(
            "PUT", key: key, query: [("partNumber", String(number)), ("uploadId", uploadID ?? "")],
            headers: ["x-amz-copy-source": source])
        guard let etag = S3XML(response.body).first("ETag") else {
            throw BlobStoreError(.io, "S3 did not copy \(source) into part \(number) of \(key)")
        }
        etags.append(etag)
    }

    /// Sends what is left and makes the object visible.
    mutating func finish(last: Data) async throws {
        guard let uploadID else {
            _ = try await client.expectSuccess("PUT", key: key, body: last)
            finished = true
            return
        }
        if !last.isEmpty || etags.isEmpty { try await uploadPart(last) }
        let parts = etags.enumerated().map { "<Part><PartNumber>\($0.offset + 1)</PartNumber><ETag>\($0.element)</ETag></Part>" }
        let body = Data(("<CompleteMultipartUpload>" + parts.joined() + "</CompleteMultipartUpload>").utf8)
        let response = try await client.expectSuccess("POST", key: key, query: [("uploadId", uploadID)], body: body)
        // CompleteMultipartUpload can fail with a 200 whose body is an error.
        if let code = S3XML(response.body).first("Code") {
            throw BlobStoreError(.io, "S3 could not complete the upload of \(key): \(code)")
        }
        finished = true
    }

    /// Abandons a multipart upload that was started and not finished.
    func abort() async {
        guard let uploadID, !finished else { return }
        _ = try? await client.send("DELETE", key: key, query: [("uploadId", uploadID)])
    }
}

/// Reads a range of one object with ranged GETs.
actor S3ObjectReader: BlobReader {
    nonisolated let length: Int64
    private let client: S3Client
    private let key: String
    private var offset: Int64
    private var remaining: Int64

    init(client: S3Client, key: String, offset: Int64, length: Int64) {
        self.client = client
        self.key = key
        self.offset = offset
        self.length = length
        self.remaining = length
    }

    func next(maxBytes: Int) async throws -> [UInt8]? {
        guard remaining > 0 else { return nil }
        let count = min(Int64(max(maxBytes, 1)), remaining)
        let response = try await client.expectSuccess(
            "GET", key: key, headers: ["Range": "bytes=\(offset)-\(offset + count - 1)"])
        guard response.body.count == Int(count) else {
            throw BlobStoreError(.io, "S3 returned \(response.body.count) bytes of \(key) where \(count) were asked for")
        }
        offset += count
        remaining -= count
        return Array(response.body)
    }

    func close() async {
        remaining = 0
    }
}

/// The bytes of several objects in order, as an async sequence of chunks (an upload's pieces on
/// their way into the finished blob).
struct S3ObjectsStream: AsyncSequence, Sendable {
    typealias Element = Data
    let client: S3Client
    let keys: [String]
    let chunkSize: Int

    struct AsyncIterator: AsyncIteratorProtocol {
        let client: S3Client
        var keys: [String]
        let chunkSize: Int
        var reader: S3ObjectReader?

        mutating func next() async throws -> Data? {
            while true {
                if let reader, let chunk = try await reader.next(maxBytes: chunkSize) { return Data(chunk) }
                guard !keys.isEmpty else { return nil }
                let key = keys.removeFirst()
                let head = try await client.expectSuccess("HEAD", key: key)
                reader = S3ObjectReader(client: client, key: key, offset: 0, length: Int64(head.headers["content-length"] ?? "") ?? 0)
            }
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(client: client, keys: keys, chunkSize: chunkSize) }
}
