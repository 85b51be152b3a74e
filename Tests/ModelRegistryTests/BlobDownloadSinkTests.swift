import Foundation
import NIOCore
import NIOPosix
import PlatformCore
import Synchronization
import Testing
@testable import ModelRegistry

/// The pull's sink: bytes copied into batches on an event loop, hashed and written on two queues;
/// O_DIRECT batches with a padded, truncated tail; buffered writes where the resume offset is
/// unaligned or the file system has no O_DIRECT; a piece larger than all batches together waits
/// for batches to come back.
@Suite struct BlobDownloadSinkTests {
    static func bytes(_ count: Int, seed: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761 &+ seed) >> 7) }
    }

    /// Appends `data` in pieces (uneven ones growing from 1 byte, or `piece` bytes each) on an event
    /// loop from `offset` on, after `prefix` bytes already in the file; returns the file and checks
    /// the digest covers prefix and data.
    static func write(
        _ data: [UInt8], in directory: URL, prefix: [UInt8] = [], offset: Int64 = 0, piece fixedPiece: Int? = nil
    ) async throws -> [UInt8] {
        let path = directory.appendingPathComponent("partial-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = FileManager.default.createFile(atPath: path, contents: Data(prefix + Self.bytes(9000, seed: 99)))  // a torn tail to drop
        var held = SHA256Hasher()
        held.update(prefix[..<Int(offset)])
        let reported = ReportedBytes()
        let sink = try BlobDownloadSink(path: path, offset: offset, hasher: held, progress: { reported.set($0) })
        let eventLoop = MultiThreadedEventLoopGroup.singleton.next()
        var at = 0, piece = fixedPiece ?? 1
        while at < data.count {
            let take = min(piece, data.count - at)
            let bytes = ByteBuffer(bytes: data[at..<(at + take)])
            try await eventLoop.flatSubmit { sink.append(bytes, on: eventLoop) }.get()
            at += take
            if fixedPiece == nil { piece = piece * 3 + 7 }
        }
        let digest = try await sink.finish()
        #expect(sink.written == offset + Int64(data.count))
        #expect(BlobDigest(digest) == BlobDigest.of(Array(prefix[..<Int(offset)]) + data))
        if !data.isEmpty { #expect(reported.value == sink.written) }
        return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    final class ReportedBytes: Sendable {
        private let bytes = Mutex<Int64>(0)
        func set(_ value: Int64) { bytes.withLock { $0 = Swift.max($0, value) } }
        var value: Int64 { bytes.withLock { $0 } }
    }

    @Test(arguments: [0, 1, 4095, 4096, 4097, (4 << 20) - 1, 4 << 20, (4 << 20) + 12_345, (9 << 20) + 3])
    func aFreshDownloadLandsByteForByte(count: Int) async throws {
        let data = Self.bytes(count, seed: count)
        #expect(try await Self.write(data, in: FileManager.default.temporaryDirectory) == data)
    }

    @Test(arguments: [Int64(4096), Int64(8192 + 5), Int64(12_345)])
    func aResumedDownloadKeepsTheHeldPrefixAndDropsTheTornTail(offset: Int64) async throws {
        let prefix = Self.bytes(Int(offset), seed: 1)
        let data = Self.bytes((4 << 20) + 777, seed: 2)
        let file = try await Self.write(data, in: FileManager.default.temporaryDirectory, prefix: prefix, offset: offset)
        #expect(file == prefix + data)
    }

    /// One piece larger than every batch together (4 x 4 MiB): the append waits for batches to be
    /// hashed and written, then goes on with the rest of the same piece.
    @Test func aPieceLargerThanAllBatchesWaitsForThemAndLandsInOrder() async throws {
        let data = Self.bytes((BlobDownloadSink.batchCount + 2) * BlobDownloadSink.batchSize + 4321, seed: 5)
        #expect(try await Self.write(data, in: FileManager.default.temporaryDirectory, piece: data.count) == data)
    }

    /// `finish` while an `append` waits for a batch (what a transfer that breaks off mid-body
    /// does): the waiting append ends, and file and digest hold the same prefix of the bytes.
    @Test func finishingWhileAnAppendWaitsKeepsAConsistentPrefix() async throws {
        var data = [UInt8](repeating: 0, count: 64 << 20)
        data.withUnsafeMutableBytes { raw in
            for i in 0..<(raw.count / 8) { raw.storeBytes(of: UInt64(i) &* 0x9E37_79B9_7F4A_7C15, toByteOffset: i * 8, as: UInt64.self) }
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("partial-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let sink = try BlobDownloadSink(path: path, offset: 0)
        let eventLoop = MultiThreadedEventLoopGroup.singleton.next()
        let bytes = ByteBuffer(bytes: data)
        let appended = eventLoop.flatSubmit { sink.append(bytes, on: eventLoop) }
        let digest = try await sink.finish()
        let completed = (try? await appended.get()) != nil
        let written = Int(sink.written)
        #expect(completed ? written == data.count : written % BlobDownloadSink.batchSize == 0 && written < data.count)
        #expect(BlobDigest(digest) == BlobDigest.of(Array(data[..<written])))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(data[..<written]))
    }

    /// tmpfs: no O_DIRECT before Linux 6.6 (buffered writes), accepted since.
    @Test func aDownloadToTmpfsLandsByteForByte() async throws {
        let shm = URL(fileURLWithPath: "/dev/shm")
        guard FileManager.default.isWritableFile(atPath: shm.path) else { return }
        let data = Self.bytes((4 << 20) + 4097, seed: 3)
        #expect(try await Self.write(data, in: shm) == data)
    }

    @Test func anUnwritableDirectoryIsOneClearError() throws {
        #expect(throws: DownloadWriteError.self) {
            _ = try BlobDownloadSink(path: "/proc/no-such-dir/partial", offset: 0)
        }
    }

    /// A write that fails fails the next append or the finish with the reason, and nothing past
    /// it is written. The failure: a write just below ext4's 16 TiB file size limit (EFBIG; the
    /// test is skipped where the temporary directory's file system takes such a write).
    @Test func aFailedWriteFailsTheTransferWithTheReason() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("partial-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let offset: Int64 = (16 << 40) - 4096
        let probe = open(path, O_WRONLY | O_CREAT, 0o644)
        let refused = probe >= 0 && pwrite(probe, "x", 1, off_t(offset)) < 0
        if probe >= 0 { close(probe) }
        guard refused, let sink = try? BlobDownloadSink(path: path, offset: offset) else { return }
        let eventLoop = MultiThreadedEventLoopGroup.singleton.next()
        let piece = ByteBuffer(bytes: Self.bytes(BlobDownloadSink.batchSize, seed: 7))
        var failure: (any Error)?
        do {
            for _ in 0..<(BlobDownloadSink.batchCount * 3) {
                try await eventLoop.flatSubmit { sink.append(piece, on: eventLoop) }.get()
            }
            try await sink.finish()
        } catch {
            failure = error
        }
        let error = try #require(failure as? DownloadWriteError)
        #expect(error.description.hasPrefix("cannot write \(path): "))
        #expect(sink.written == offset)
    }
}
