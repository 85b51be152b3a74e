import Dispatch
import Foundation
import NIOCore
import PlatformCore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Takes a downloaded blob's bytes on the event loop that receives them, and hashes and writes
/// them to the partial file (from `offset` on) off that loop.
///
/// The event loop only copies each received piece into a 4 MiB batch. A full batch goes to two
/// serial queues at once: one feeds it to the SHA-256 (in order, so the digest covers the bytes as
/// sent) and one writes it to the file. A batch buffer comes back when both are done with it; when
/// all ``batchCount`` are out, `append` returns a future that completes only once one is back, and
/// the HTTP client stops reading the socket until then. Receiving, hashing and writing thus run on
/// three threads: a pull costs the longest of the three instead of their sum, and the loop never
/// hops to another thread per piece (64 KiB reads; a hop each cost a pull ~half its time).
///
/// Where the file system allows it (and the resume offset is block-aligned) the batches go out with
/// `O_DIRECT`: on the machines this project runs on, allocating new page-cache pages is what bounds
/// a buffered write (a first write of 1 GiB runs at 0.2-0.6 GB/s, a rewrite of cached pages at
/// 3 GB/s, `O_DIRECT` at 0.8-1.3 GB/s); a cache entry is read back only when it is pulled again,
/// so keeping it in the page cache buys nothing. The last partial block is written padded and the
/// file truncated to its real length. File systems without `O_DIRECT` (tmpfs) get buffered `pwrite(2)`.
final class BlobDownloadSink: Sendable {
    static let batchSize = 4 << 20
    /// Batches in flight: one filling, the others queued for hashing and writing.
    static let batchCount = 4
    /// `O_DIRECT` needs buffer, offset and length aligned to the logical block size; 4096 covers
    /// every block device in use (512 and 4096 byte sectors).
    static let alignment = 4096

    let path: String
    private let file: File
    private let filling: Filling
    private let hasher: Mutex<SHA256Hasher>
    private let state = Mutex(State())
    private let hashQueue = DispatchQueue(label: "aiplat.download.hash")
    private let writeQueue = DispatchQueue(label: "aiplat.download.write")
    private let progress: @Sendable (Int64) -> Void

    private struct State {
        var free: [AlignedBuffer] = []
        var allocated = 0
        /// Batches handed to the queues and not yet back.
        var outstanding = 0
        /// Bytes on disk, counted from offset 0 (batches are written in order).
        var written: Int64 = 0
        var failure: DownloadWriteError?
        /// The event loop `append` is called on (set by the first call).
        var eventLoop: (any EventLoop)?
        /// The event loop waiting for a free batch.
        var waiter: EventLoopPromise<Void>?
        /// `finish` waiting for the last batch.
        var drained: CheckedContinuation<Void, Never>?
    }

    /// The batch being filled.
    // @unchecked Sendable: touched only on the event loop `append` is called on (the HTTP client
    // calls a delegate on its task's loop only); `finish` does its part on that loop too.
    private final class Filling: @unchecked Sendable {
        var buffer: AlignedBuffer?
        var count = 0
        /// Set by `finish`: a later `append` (one that was waiting for a batch) adds nothing.
        var closed = false
        /// File offset where `buffer` goes.
        var offset: Int64

        init(offset: Int64) { self.offset = offset }
    }

    /// Opens (creating) `path`, drops whatever lies past `offset` and positions at `offset`;
    /// `hasher` has already been fed the `offset` bytes held. `progress` gets the bytes on disk
    /// (from offset 0) after each batch, on the writing queue.
    init(
        path: String, offset: Int64, hasher: SHA256Hasher = SHA256Hasher(), progress: @escaping @Sendable (Int64) -> Void = { _ in }
    ) throws(DownloadWriteError) {
        self.path = path
        var fd: Int32 = -1
        var direct = false
        if offset % Int64(Self.alignment) == 0, let oDirect = LinuxFileCalls.openDirect {
            fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | oDirect, 0o644)
            direct = fd >= 0
        }
        if fd < 0 { fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644) }
        guard fd >= 0 else { throw DownloadWriteError(operation: "open", path: path, errno: errno) }
        let file = File(fd: fd, path: path, direct: direct)
        guard ftruncate(fd, off_t(offset)) == 0 else {
            throw DownloadWriteError(operation: "truncate", path: path, errno: errno)
        }
        self.file = file
        self.filling = Filling(offset: offset)
        self.hasher = Mutex(hasher)
        self.progress = progress
        state.withLock { $0.written = offset }
    }

    /// Bytes on disk, counted from offset 0 (what a resume may keep).
    var written: Int64 { state.withLock { $0.written } }

    /// Copies `bytes` into batches; the future completes when the next piece may come (at once
    /// unless every batch is out), and fails once a write has failed. Called on `eventLoop`.
    func append(_ bytes: ByteBuffer, on eventLoop: any EventLoop) -> EventLoopFuture<Void> {
        guard !filling.closed else { return eventLoop.makeFailedFuture(ChannelError.alreadyClosed) }
        if filling.buffer == nil { state.withLock { if $0.eventLoop == nil { $0.eventLoop = eventLoop } } }
        var rest = bytes
        while rest.readableBytes > 0 {
            guard let buffer = filling.buffer ?? takeBuffer() else {
                if let failure = state.withLock({ $0.failure }) { return eventLoop.makeFailedFuture(failure) }
                let promise = eventLoop.makePromise(of: Void.self)
                let wait = state.withLock { state in
                    guard state.free.isEmpty, state.failure == nil else { return false }
                    state.waiter = promise
                    return true
                }
                if !wait { promise.succeed() }
                let remaining = rest
                return promise.futureResult.flatMap { self.append(remaining, on: eventLoop) }
            }
            filling.buffer = buffer
            let take = min(rest.readableBytes, Self.batchSize - filling.count)
            let target = buffer.pointer + filling.count
            rest.withUnsafeReadableBytes { target.copyMemory(from: $0.baseAddress!, byteCount: take) }
            rest.moveReaderIndex(forwardBy: take)
            filling.count += take
            if filling.count == Self.batchSize { submit() }
        }
        if let failure = state.withLock({ $0.failure }) { return eventLoop.makeFailedFuture(failure) }
        return eventLoop.makeSucceededVoidFuture()
    }

    /// Sends what is buffered and waits until every batch is hashed and written; the file is then
    /// exactly ``written`` bytes. Returns the digest of everything from offset 0 (what the hasher
    /// was given at `init` plus every byte appended). Also the way to stop after a failed transfer
    /// (even with an `append` still waiting for a batch): what arrived is kept for a resume.
    @discardableResult
    func finish() async throws(DownloadWriteError) -> SHA256Digest {
        if let eventLoop = state.withLock({ $0.eventLoop }) {
            try? await eventLoop.submit { self.endAppending() }.get()
        } else {
            endAppending()  // nothing was ever appended, so no loop touches the batch
        }
        await withCheckedContinuation { continuation in
            let done = state.withLock { state in
                guard state.outstanding > 0 else { return true }
                state.drained = continuation
                return false
            }
            if done { continuation.resume() }
        }
        if let failure = state.withLock({ $0.failure }) { throw failure }
        return hasher.withLock { $0.finalize() }
    }

    /// Submits the batch being filled and ends appending; a waiting `append` fails.
    private func endAppending() {
        filling.closed = true
        submit()
        let waiter = state.withLock { state in
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.fail(ChannelError.alreadyClosed)
    }

    /// A free batch buffer, allocating up to ``batchCount``; nil when all are out (or memory is).
    private func takeBuffer() -> AlignedBuffer? {
        let (buffer, allocate) = state.withLock { state -> (AlignedBuffer?, Bool) in
            if let buffer = state.free.popLast() { return (buffer, false) }
            guard state.allocated < Self.batchCount else { return (nil, false) }
            state.allocated += 1
            return (nil, true)
        }
        if let buffer { return buffer }
        guard allocate else { return nil }
        if let fresh = AlignedBuffer(count: Self.batchSize) { return fresh }
        state.withLock {
            $0.allocated -= 1
            if $0.allocated == 0, $0.failure == nil { $0.failure = DownloadWriteError(operation: "allocate a buffer for", path: path, errno: ENOMEM) }
        }
        return nil
    }

    /// Hands the filled batch to the hashing and the writing queue.
    private func submit() {
        guard let buffer = filling.buffer, filling.count > 0 else { return }
        let (count, offset) = (filling.count, filling.offset)
        filling.buffer = nil
        filling.count = 0
        filling.offset += Int64(count)
        buffer.holders.store(2, ordering: .releasing)
        state.withLock { $0.outstanding += 1 }
        hashQueue.async {
            self.hasher.withLock { $0.update(UnsafeRawBufferPointer(start: buffer.pointer, count: count)) }
            self.release(buffer)
        }
        writeQueue.async {
            // After a failed write nothing more is written: the file stays a prefix of the blob.
            if self.state.withLock({ $0.failure == nil }) {
                do throws(DownloadWriteError) {
                    try self.file.write(buffer, count: count, at: offset)
                    let written = offset + Int64(count)
                    self.state.withLock { $0.written = written }
                    self.progress(written)
                } catch {
                    self.state.withLock { $0.failure = $0.failure ?? error }
                }
            }
            self.release(buffer)
        }
    }

    /// One queue is done with `buffer`; the second one returns it to the free list.
    private func release(_ buffer: AlignedBuffer) {
        guard buffer.holders.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 else { return }
        let (waiter, drained) = state.withLock { state in
            state.free.append(buffer)
            state.outstanding -= 1
            let waiter = state.waiter
            state.waiter = nil
            var drained: CheckedContinuation<Void, Never>?
            if state.outstanding == 0 { (drained, state.drained) = (state.drained, nil) }
            return (waiter, drained)
        }
        waiter?.succeed()
        drained?.resume()
    }

    /// One open descriptor; closed when the last write that uses it is done.
    final class File: Sendable {
        let fd: Int32
        let path: String
        private let direct: Mutex<Bool>

        init(fd: Int32, path: String, direct: Bool) {
            self.fd = fd
            self.path = path
            self.direct = Mutex(direct)
        }

        deinit { close(fd) }

        /// Writes `count` bytes of `buffer` at `offset`; with O_DIRECT the last block goes padded
        /// with zeros (past `count`, where the hashing queue does not read) and the file is
        /// truncated back to `offset + count`.
        func write(_ buffer: AlignedBuffer, count: Int, at offset: Int64) throws(DownloadWriteError) {
            if direct.withLock({ $0 }) {
                let padded = (count + BlobDownloadSink.alignment - 1) / BlobDownloadSink.alignment * BlobDownloadSink.alignment
                (buffer.pointer + count).initializeMemory(as: UInt8.self, repeating: 0, count: padded - count)
                do throws(DownloadWriteError) {
                    try writeAll(buffer, count: padded, at: offset)
                    if padded != count, ftruncate(fd, off_t(offset + Int64(count))) != 0 {
                        throw DownloadWriteError(operation: "truncate", path: path, errno: errno)
                    }
                    return
                } catch {
                    // The file system refused O_DIRECT after open (some FUSE and network mounts): go on buffered.
                    guard error.errno == EINVAL, fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~(LinuxFileCalls.openDirect ?? 0)) == 0 else { throw error }
                    direct.withLock { $0 = false }
                }
            }
            try writeAll(buffer, count: count, at: offset)
        }

        private func writeAll(_ buffer: AlignedBuffer, count: Int, at offset: Int64) throws(DownloadWriteError) {
            var done = 0
            while done < count {
                let n = pwrite(fd, buffer.pointer + done, count - done, off_t(offset + Int64(done)))
                if n < 0 {
                    if errno == EINTR { continue }
                    throw DownloadWriteError(operation: "write", path: path, errno: errno)
                }
                done += n
            }
        }
    }

    /// A 4096-aligned heap block (one alignment unit longer, room for the padded tail), freed with
    /// its last reference.
    // @unchecked Sendable: a batch is written by the event loop only while it is neither queued nor
    // free; once submitted, the hashing and the writing queue only read it (the write's zero padding
    // lies past the bytes hashed), and it is filled again only after both have released it
    // (`holders`, acquire/release ordering).
    final class AlignedBuffer: @unchecked Sendable {
        let pointer: UnsafeMutableRawPointer
        /// Queues still using the batch.
        let holders = Atomic<Int>(0)

        init?(count: Int) {
            var memory: UnsafeMutableRawPointer?
            guard posix_memalign(&memory, BlobDownloadSink.alignment, count + BlobDownloadSink.alignment) == 0, let memory else { return nil }
            pointer = memory
        }

        deinit { free(pointer) }
    }
}

/// A failed system call while writing a download.
struct DownloadWriteError: Error, CustomStringConvertible, Sendable {
    let operation: String
    let path: String
    let errno: Int32

    var description: String { "cannot \(operation) \(path): \(String(cString: strerror(errno)))" }
}
