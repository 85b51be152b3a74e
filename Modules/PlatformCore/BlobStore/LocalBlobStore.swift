import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// ``BlobStore`` on a local directory (the embedded default, `<data_dir>/blobs`):
///
/// ```
/// <root>/sha256/ab/abcdef...   one file per blob, named by its hex digest, sharded by its first byte
/// <root>/sha256/ab/.tmp-<id>   a blob being written: renamed into place only once verified and fsynced
/// <root>/uploads/<id>          the bytes of a resumable upload
/// ```
///
/// Blobs are hashed while they stream in (one pass over the bytes), fsynced, then renamed
/// atomically, so a reader never sees a partial or wrong blob and a crash leaves at most a
/// `.tmp-` file (removed by ``removeStaleTemporaryFiles()``).
///
/// An upload's hash state is kept in memory between appends, so finishing an upload does not
/// read it again; after a restart the state is rebuilt once from the upload's bytes.
public final class LocalBlobStore: BlobStore {
    /// The root directory.
    public let root: String
    /// Bytes per `write(2)`/`pread(2)` when copying.
    private static let ioChunk = 1 << 20

    /// Hash state of uploads between appends, valid while the upload's size equals `size`.
    private let uploadProgress = Mutex<[String: UploadProgress]>([:])
    /// Uploads a request is appending to or committing right now.
    private let busyUploads = Mutex<Set<String>>([])

    private struct UploadProgress: Sendable {
        var hasher: SHA256Hasher
        var size: Int64
    }

    /// Uses (and creates, mode 0700) `root`.
    /// - Throws: ``BlobStoreError`` `.io` when the directories cannot be created.
    public init(root: String) throws {
        self.root = root
        for directory in [root, blobsDirectory, uploadsDirectory] {
            try Self.makeDirectory(directory)
        }
    }

    private var blobsDirectory: String { root + "/sha256" }
    private var uploadsDirectory: String { root + "/uploads" }

    private func shardDirectory(_ digest: BlobDigest) -> String {
        blobsDirectory + "/" + digest.hex.prefix(2)
    }

    /// The file holding the blob `digest` (whether or not it exists).
    public func path(of digest: BlobDigest) -> String {
        shardDirectory(digest) + "/" + digest.hex
    }

    private func uploadPath(_ id: String) throws -> String {
        try Self.validateUploadID(id)
        return uploadsDirectory + "/" + id
    }

    // MARK: Blobs

    public func size(of digest: BlobDigest) async throws -> Int64? {
        var info = stat()
        guard stat(path(of: digest), &info) == 0 else {
            if errno == ENOENT { return nil }
            throw Self.ioError("cannot stat blob \(digest)")
        }
        return Int64(info.st_size)
    }

    public func reader(for digest: BlobDigest, range: Range<Int64>?) async throws -> any BlobReader {
        let fd = open(path(of: digest), O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { throw BlobStoreError(.notFound, "blob \(digest) is not in the store") }
            throw Self.ioError("cannot open blob \(digest)")
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            close(fd)
            throw Self.ioError("cannot stat blob \(digest)")
        }
        let size = Int64(info.st_size)
        let wanted = range ?? 0..<size
        guard wanted.lowerBound >= 0, wanted.upperBound <= size, wanted.lowerBound <= wanted.upperBound else {
            close(fd)
            throw BlobStoreError(
                .rangeNotSatisfiable,
                "range \(wanted.lowerBound)-\(wanted.upperBound - 1) is outside blob \(digest) of \(size) bytes")
        }
        return LocalBlobReader(fd: fd, offset: wanted.lowerBound, length: Int64(wanted.count))
    }

    public func write<Chunks: AsyncSequence & Sendable>(
        _ chunks: Chunks, expected: BlobDigest?, maxBytes: Int64
    ) async throws -> BlobInfo where Chunks.Element: ContiguousBytesSequence {
        let temporary = blobsDirectory + "/.tmp-" + UUID().uuidString
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Self.ioError("cannot create \(temporary)") }
        var hasher = SHA256Hasher()
        var writeback = EarlyWriteback(start: 0)
        do {
            for try await chunk in chunks {
                try chunk.withUnsafeBytesOfChunk { bytes in
                    guard hasher.byteCount + Int64(bytes.count) <= maxBytes else {
                        throw BlobStoreError(.tooLarge, "blob is larger than the limit of \(maxBytes) bytes")
                    }
                    try Self.writeAll(fd, bytes, path: temporary)
                    hasher.update(bytes)
                    writeback.wrote(fd, upTo: hasher.byteCount)
                }
            }
            let digest = BlobDigest(hasher.finalize())
            if let expected, expected != digest {
                throw BlobStoreError(
                    .digestMismatch, "the uploaded bytes hash to \(digest), not to the expected \(expected)")
            }
            try await BlockingIO.run { try Self.sync(fd, path: temporary) }
            close(fd)
            try publish(temporary, as: digest)
            return BlobInfo(digest: digest, size: hasher.byteCount)
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
    }

    /// Renames a verified, synced file into the blob's place (or drops it when the blob already exists).
    private func publish(_ file: String, as digest: BlobDigest) throws {
        let shard = shardDirectory(digest)
        try Self.makeDirectory(shard)
        // rename(2) replaces atomically; an existing blob has the same bytes, so either way one
        // intact file remains, and concurrent writers of one digest both succeed.
        guard rename(file, path(of: digest)) == 0 else {
            let error = Self.ioError("cannot move \(file) to \(path(of: digest))")
            unlink(file)
            throw error
        }
        Self.syncDirectory(shard)
    }

    public func delete(_ digest: BlobDigest) async throws -> Bool {
        guard unlink(path(of: digest)) == 0 else {
            if errno == ENOENT { return false }
            throw Self.ioError("cannot delete blob \(digest)")
        }
        return true
    }

    public func digests() async throws -> [BlobDigest] {
        let fileManager = FileManager.default
        var result: [BlobDigest] = []
        for shard in (try? fileManager.contentsOfDirectory(atPath: blobsDirectory)) ?? [] where shard.count == 2 {
            for name in (try? fileManager.contentsOfDirectory(atPath: blobsDirectory + "/" + shard)) ?? [] {
                if let digest = try? BlobDigest(parsing: "sha256:" + name), digest.hex.hasPrefix(shard) {
                    result.append(digest)
                }
            }
        }
        return result.sorted()
    }

    /// Removes `.tmp-` files older than `age` left by writes a crash interrupted.
    /// - Returns: how many were removed.
    @discardableResult
    public func removeStaleTemporaryFiles(olderThan age: TimeInterval = 3600) -> Int {
        let fileManager = FileManager.default
        var directories = [blobsDirectory]
        for shard in (try? fileManager.contentsOfDirectory(atPath: blobsDirectory)) ?? [] where shard.count == 2 {
            directories.append(blobsDirectory + "/" + shard)
        }
        var removed = 0
        let cutoff = Date().addingTimeInterval(-age)
        for directory in directories {
            for name in (try? fileManager.contentsOfDirectory(atPath: directory)) ?? [] where name.hasPrefix(".tmp-") {
                let file = directory + "/" + name
                let modified = (try? fileManager.attributesOfItem(atPath: file))?[.modificationDate] as? Date
                if let modified, modified < cutoff, unlink(file) == 0 { removed += 1 }
            }
        }
        return removed
    }

    // MARK: Uploads

    public func createUpload(id: String) async throws {
        let file = try uploadPath(id)
        let fd = open(file, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Self.ioError("cannot create upload \(id)") }
        close(fd)
    }

    public func uploadSize(id: String) async throws -> Int64? {
        let file = try uploadPath(id)
        var info = stat()
        guard stat(file, &info) == 0 else {
            if errno == ENOENT { return nil }
            throw Self.ioError("cannot stat upload \(id)")
        }
        return Int64(info.st_size)
    }

    public func appendUpload<Chunks: AsyncSequence & Sendable>(
        id: String, _ chunks: Chunks, offset: Int64?, maxBytes: Int64
    ) async throws -> Int64 where Chunks.Element: ContiguousBytesSequence {
        let file = try uploadPath(id)
        try claim(id)
        defer { release(id) }
        let fd = open(file, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { throw BlobStoreError(.notFound, "upload \(id) does not exist") }
            throw Self.ioError("cannot open upload \(id)")
        }
        defer { close(fd) }
        let start = try Self.fileSize(fd, path: file)
        if let offset, offset != start {
            throw BlobStoreError(
                .invalidUpload, "upload \(id) holds \(start) bytes; a chunk starting at byte \(offset) does not continue it")
        }
        var state = try await progress(of: id, fd: fd, size: start)
        // Dropped while bytes are being appended: if this request dies half-way the state is rebuilt.
        _ = uploadProgress.withLock { $0.removeValue(forKey: id) }
        guard lseek(fd, 0, SEEK_END) >= 0 else { throw Self.ioError("cannot seek upload \(id)") }
        var writeback = EarlyWriteback(start: start)
        do {
            for try await chunk in chunks {
                try chunk.withUnsafeBytesOfChunk { bytes in
                    guard state.size + Int64(bytes.count) <= maxBytes else {
                        throw BlobStoreError(.tooLarge, "upload \(id) would exceed the limit of \(maxBytes) bytes")
                    }
                    try Self.writeAll(fd, bytes, path: file)
                    state.hasher.update(bytes)
                    state.size += Int64(bytes.count)
                    writeback.wrote(fd, upTo: state.size)
                }
            }
        } catch let error as BlobStoreError where error.code == .tooLarge {
            // The oversized chunk is refused whole: back to where it started.
            _ = ftruncate(fd, off_t(start))
            throw error
        } catch {
            // A client that went away keeps what arrived; it can ask for the size and resume.
            uploadProgress.withLock { $0[id] = state }
            throw error
        }
        uploadProgress.withLock { $0[id] = state }
        return state.size
    }

    public func commitUpload(id: String, expected: BlobDigest) async throws -> BlobInfo {
        let file = try uploadPath(id)
        try claim(id)
        defer { release(id) }
        let fd = open(file, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { throw BlobStoreError(.notFound, "upload \(id) does not exist") }
            throw Self.ioError("cannot open upload \(id)")
        }
        defer { close(fd) }
        let size = try Self.fileSize(fd, path: file)
        let state = try await progress(of: id, fd: fd, size: size)
        _ = uploadProgress.withLock { $0.removeValue(forKey: id) }
        let digest = BlobDigest(state.hasher.finalize())
        guard digest == expected else {
            unlink(file)
            throw BlobStoreError(
                .digestMismatch, "upload \(id) hashes to \(digest), not to the expected \(expected); its bytes were discarded")
        }
        try await BlockingIO.run { try Self.sync(fd, path: file) }
        try publish(file, as: digest)
        return BlobInfo(digest: digest, size: size)
    }

    public func deleteUpload(id: String) async throws -> Bool {
        let file = try uploadPath(id)
        _ = uploadProgress.withLock { $0.removeValue(forKey: id) }
        guard unlink(file) == 0 else {
            if errno == ENOENT { return false }
            throw Self.ioError("cannot delete upload \(id)")
        }
        return true
    }

    public func uploadIDs() async throws -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: uploadsDirectory)) ?? []
        return names.filter { (try? Self.validateUploadID($0)) != nil }.sorted()
    }

    /// The hash state of an upload of `size` bytes: the cached one, or rebuilt by reading the file.
    private func progress(of id: String, fd: Int32, size: Int64) async throws -> UploadProgress {
        if let cached = uploadProgress.withLock({ $0[id] }), cached.size == size { return cached }
        return try await BlockingIO.run { try Self.rehash(id: id, fd: fd, size: size) }
    }

    private static func rehash(id: String, fd: Int32, size: Int64) throws -> UploadProgress {
        var hasher = SHA256Hasher()
        var buffer = [UInt8](repeating: 0, count: Self.ioChunk)
        var offset: Int64 = 0
        while offset < size {
            let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(offset)) }
            guard count > 0 else { throw ioError("cannot read upload \(id)") }
            buffer.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            offset += Int64(count)
        }
        return UploadProgress(hasher: hasher, size: size)
    }

    private func claim(_ id: String) throws {
        let claimed = busyUploads.withLock { $0.insert(id).inserted }
        guard claimed else {
            throw BlobStoreError(.uploadBusy, "upload \(id) is being written by another request")
        }
    }

    private func release(_ id: String) {
        _ = busyUploads.withLock { $0.remove(id) }
    }

    // MARK: File helpers

    /// Upload ids become file names: only letters, digits, `-` and `_`, 1 to 128 of them.
    static func validateUploadID(_ id: String) throws {
        let valid = !id.isEmpty && id.utf8.count <= 128 && id.utf8.allSatisfy {
            (0x30...0x39).contains($0) || (0x41...0x5a).contains($0) || (0x61...0x7a).contains($0) || $0 == 0x2d || $0 == 0x5f
        }
        guard valid else {
            throw BlobStoreError(.invalidUpload, "invalid upload id \"\(id.prefix(80))\": expected letters, digits, - and _")
        }
    }

    private static func makeDirectory(_ path: String) throws {
        if mkdir(path, 0o700) != 0 && errno != EEXIST {
            throw ioError("cannot create directory \(path)")
        }
    }

    private static func fileSize(_ fd: Int32, path: String) throws -> Int64 {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ioError("cannot stat \(path)") }
        return Int64(info.st_size)
    }

    private static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
        guard var base = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            let written = Glibc.write(fd, base, remaining)
            if written < 0 {
                if errno == EINTR { continue }
                throw ioError("cannot write \(path)")
            }
            remaining -= written
            base += written
        }
    }

    private static func sync(_ fd: Int32, path: String) throws {
        guard fsync(fd) == 0 else { throw ioError("cannot fsync \(path)") }
    }

    /// Makes a rename durable; best effort (some file systems refuse fsync on directories).
    private static func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    static func ioError(_ what: String) -> BlobStoreError {
        BlobStoreError(.io, "\(what): \(String(cString: strerror(errno)))")
    }
}

/// Starts the kernel's writeback of what a blob or upload has written so far, every 8 MiB
/// (`sync_file_range(SYNC_FILE_RANGE_WRITE)`, which does not wait): the disk writes while the
/// network still delivers, and the fsync before a blob becomes visible has little left to do.
struct EarlyWriteback {
    static let step: Int64 = 8 << 20
    private var flushed: Int64

    init(start: Int64) { flushed = start }

    mutating func wrote(_ fd: Int32, upTo end: Int64) {
        guard end - flushed >= Self.step else { return }
        _ = LinuxFileCalls.syncFileRange?(fd, flushed, end - flushed, LinuxFileCalls.syncFileRangeWrite)
        flushed = end
    }
}

/// Reads one open blob file with `pread`, so concurrent readers never share a file position.
final class LocalBlobReader: BlobReader {
    let length: Int64
    private let state: Mutex<State>

    private struct State {
        var fd: Int32
        var offset: Int64
        var remaining: Int64
    }

    init(fd: Int32, offset: Int64, length: Int64) {
        self.length = length
        self.state = Mutex(State(fd: fd, offset: offset, remaining: length))
    }

    func next(maxBytes: Int) async throws -> [UInt8]? {
        try state.withLock { state in
            guard state.remaining > 0, state.fd >= 0 else {
                if state.fd >= 0 {
                    Glibc.close(state.fd)
                    state.fd = -1
                }
                return nil
            }
            let count = Int(min(Int64(max(maxBytes, 1)), state.remaining))
            // No zero-fill: pread writes the bytes that are kept.
            var read = 0
            let buffer = [UInt8](unsafeUninitializedCapacity: count) { pointer, initialized in
                read = pread(state.fd, pointer.baseAddress, count, off_t(state.offset))
                initialized = max(read, 0)
            }
            guard read > 0 else {
                throw LocalBlobStore.ioError("blob ended early or could not be read")
            }
            state.offset += Int64(read)
            state.remaining -= Int64(read)
            return buffer
        }
    }

    func close() async {
        state.withLock { state in
            if state.fd >= 0 {
                Glibc.close(state.fd)
                state.fd = -1
            }
        }
    }

    func withNextFileSpan(maxBytes: Int, _ body: (Int32, Int64, Int) throws -> Int) rethrows -> Int? {
        try state.withLock { state in
            guard state.remaining > 0, state.fd >= 0, maxBytes > 0 else { return nil }
            let count = Int(min(Int64(maxBytes), state.remaining))
            let taken = min(max(try body(state.fd, state.offset, count), 0), count)
            state.offset += Int64(taken)
            state.remaining -= Int64(taken)
            return taken
        }
    }

    func readNext(into buffer: UnsafeMutableRawBufferPointer) throws -> Int? {
        try state.withLock { state in
            guard state.remaining > 0, state.fd >= 0, buffer.count > 0 else { return 0 }
            let count = Int(min(Int64(buffer.count), state.remaining))
            let read = pread(state.fd, buffer.baseAddress, count, off_t(state.offset))
            guard read > 0 else {
                throw LocalBlobStore.ioError("blob ended early or could not be read")
            }
            state.offset += Int64(read)
            state.remaining -= Int64(read)
            return read
        }
    }

    deinit {
        state.withLock { state in
            if state.fd >= 0 { Glibc.close(state.fd) }
        }
    }
}
