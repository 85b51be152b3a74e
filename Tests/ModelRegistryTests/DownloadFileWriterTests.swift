import Foundation
import NIOCore
import Testing
@testable import ModelRegistry

/// The pull's file writer: O_DIRECT batches with a padded, truncated tail; buffered writes where
/// the resume offset is unaligned or the file system has no O_DIRECT.
@Suite struct DownloadFileWriterTests {
    static func bytes(_ count: Int, seed: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761 &+ seed) >> 7) }
    }

    /// Writes `data` in uneven pieces from `offset` on, after `prefix` bytes already in the file.
    static func write(_ data: [UInt8], in directory: URL, prefix: [UInt8] = [], offset: Int64 = 0) async throws -> [UInt8] {
        let path = directory.appendingPathComponent("partial-\(UUID().uuidString)").path
        FileManager.default.createFile(atPath: path, contents: Data(prefix + Self.bytes(9000, seed: 99)))  // a torn tail to drop
        var writer = try DownloadFileWriter(path: path, offset: offset)
        var at = 0, piece = 1
        while at < data.count {
            let take = min(piece, data.count - at)
            try await writer.append(ByteBuffer(bytes: data[at..<(at + take)]))
            at += take
            piece = piece * 3 + 7
        }
        try await writer.finish()
        #expect(writer.written == offset + Int64(data.count))
        return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    @Test(arguments: [0, 1, 4095, 4096, 4097, (4 << 20) - 1, 4 << 20, (4 << 20) + 12_345, (9 << 20) + 3])
    func aFreshDownloadLandsByteForByte(count: Int) async throws {
        let directory = FileManager.default.temporaryDirectory
        let data = Self.bytes(count, seed: count)
        #expect(try await Self.write(data, in: directory) == data)
    }

    @Test(arguments: [Int64(4096), Int64(8192 + 5), Int64(12_345)])
    func aResumedDownloadKeepsTheHeldPrefixAndDropsTheTornTail(offset: Int64) async throws {
        let prefix = Self.bytes(Int(offset), seed: 1)
        let data = Self.bytes((4 << 20) + 777, seed: 2)
        let file = try await Self.write(data, in: FileManager.default.temporaryDirectory, prefix: prefix, offset: offset)
        #expect(file == prefix + data)
    }

    /// tmpfs: no O_DIRECT before Linux 6.6 (buffered writes), accepted since.
    @Test func aDownloadToTmpfsLandsByteForByte() async throws {
        let shm = URL(fileURLWithPath: "/dev/shm")
        guard FileManager.default.isWritableFile(atPath: shm.path) else { return }
        let data = Self.bytes((4 << 20) + 4097, seed: 3)
        #expect(try await Self.write(data, in: shm) == data)
    }

    @Test func anUnwritableDirectoryIsOneClearError() throws {
        #expect(throws: DownloadFileWriterError.self) {
            _ = try DownloadFileWriter(path: "/proc/no-such-dir/partial", offset: 0)
        }
    }
}
