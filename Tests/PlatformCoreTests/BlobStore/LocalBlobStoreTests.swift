import Foundation
import Testing

@testable import PlatformCore

/// Chunks of bytes as an async sequence, the shape request bodies arrive in.
struct ByteChunks: AsyncSequence, Sendable {
    typealias Element = [UInt8]
    let chunks: [[UInt8]]
    /// Thrown after the chunks, as a client that goes away mid-body.
    var failure: (any Error & Sendable)?

    struct AsyncIterator: AsyncIteratorProtocol {
        var remaining: [[UInt8]]
        var failure: (any Error & Sendable)?
        mutating func next() async throws -> [UInt8]? {
            if remaining.isEmpty {
                if let failure {
                    self.failure = nil
                    throw failure
                }
                return nil
            }
            return remaining.removeFirst()
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(remaining: chunks, failure: failure) }
}

struct ClientWentAway: Error {}

func randomBytes(_ count: Int) -> [UInt8] {
    var generator = SystemRandomNumberGenerator()
    return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
}

@Suite struct LocalBlobStoreTests {
    /// Every file under the store's root, relative to it.
    func files(under root: String) -> [String] {
        (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? []).filter {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: root + "/" + $0, isDirectory: &isDirectory)
            return !isDirectory.boolValue
        }.sorted()
    }

    @Test func aBlobIsStoredUnderItsDigestAndReadBackWholeAndInRanges() async throws {
        try await withTemporaryDirectory { directory in
            let store = try LocalBlobStore(root: directory + "/blobs")
            let info = try await store.write(Array("abc".utf8))
            #expect(info.digest.hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
            #expect(info.size == 3)
            #expect(files(under: directory + "/blobs") == ["sha256/ba/ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"])
            #expect(try await store.size(of: info.digest) == 3)
            #expect(try await store.readAll(info.digest) == Array("abc".utf8))
            #expect(try await store.readAll(info.digest, range: 1..<3) == Array("bc".utf8))
            #expect(try await store.readAll(info.digest, range: 3..<3) == [])
            await #expect(throws: BlobStoreError.self) { _ = try await store.readAll(info.digest, range: 2..<4) }
            #expect(try await store.digests() == [info.digest])
            #expect(try await store.delete(info.digest))
            #expect(try await store.delete(info.digest) == false)
            #expect(try await store.size(of: info.digest) == nil)
            await #expect(throws: BlobStoreError.self) { _ = try await store.reader(for: info.digest, range: nil) }
        }
    }

    @Test func aMismatchingBlobLeavesNothingBehind() async throws {
        try await withTemporaryDirectory { directory in
            let store = try LocalBlobStore(root: directory)
            let wrong = BlobDigest.of(Array("something else".utf8))
            await #expect {
                try await store.write(ByteChunks(chunks: [Array("ab".utf8), Array("c".utf8)]), expected: wrong, maxBytes: 100)
            } throws: { ($0 as? BlobStoreError)?.code == .digestMismatch }
            #expect(files(under: directory) == [])
            #expect(try await store.digests() == [])
        }
    }

    @Test func aBlobOverTheLimitIsRefusedAndLeavesNothing() async throws {
        try await withTemporaryDirectory { directory in
            let store = try LocalBlobStore(root: directory)
            await #expect {
                try await store.write(ByteChunks(chunks: [randomBytes(600), randomBytes(600)]), expected: nil, maxBytes: 1000)
            } throws: { ($0 as? BlobStoreError)?.code == .tooLarge }
            #expect(files(under: directory) == [])
        }
    }

    @Test func twoConcurrentWritersOfTheSameBlobBothSucceedWithOneIntactFile() async throws {
        try await withTemporaryDirectory { directory in
            let store = try LocalBlobStore(root: directory)
            let bytes = randomBytes(3 << 20)
            let chunks = stride(from: 0, to: bytes.count, by: 65536).map { Array(bytes[$0..<min($0 + 65536, bytes.count)]) }
            let digest = BlobDigest.of(bytes)
            try await withThrowingTaskGroup(of: BlobInfo.self) { group in
                for _ in 0..<4 {
                    group.addTask { try await store.write(ByteChunks(chunks: chunks), expected: digest, maxBytes: .max) }
                }
                for try await info in group { #expect(info.digest == digest) }
            }
            #expect(files(under: directory).count == 1)
            #expect(try await store.readAll(digest) == bytes)
        }
    }

    @Test func anUploadResumesInANewStoreInstanceAndCommitsOnlyWithTheRightDigest() async throws {
        try await withTemporaryDirectory { directory in
            let bytes = randomBytes(200_000)
            let digest = BlobDigest.of(bytes)
            let first = try LocalBlobStore(root: directory)
            try await first.createUpload(id: "u1")
            // The client goes away after the first chunk.
            await #expect(throws: ClientWentAway.self) {
                try await first.appendUpload(
                    id: "u1", ByteChunks(chunks: [Array(bytes[0..<70_000])], failure: ClientWentAway()), offset: 0,
                    maxBytes: .max)
            }
            // A new instance (a restarted server) has no hash state in memory and rebuilds it.
            let second = try LocalBlobStore(root: directory)
            #expect(try await second.uploadIDs() == ["u1"])
            let size = try #require(try await second.uploadSize(id: "u1"))
            #expect(size == 70_000)
            await #expect {
                try await second.appendUpload(id: "u1", ByteChunks(chunks: [[1]]), offset: 5, maxBytes: .max)
            } throws: { ($0 as? BlobStoreError)?.code == .invalidUpload }
            #expect(
                try await second.appendUpload(id: "u1", ByteChunks(chunks: [Array(bytes[70_000...])]), offset: size, maxBytes: .max)
                    == 200_000)
            let info = try await second.commitUpload(id: "u1", expected: digest)
            #expect(info == BlobInfo(digest: digest, size: 200_000))
            #expect(try await second.readAll(digest) == bytes)
            #expect(try await second.uploadIDs() == [])
        }
    }

    @Test func committingAnUploadUnderTheWrongDigestDiscardsIt() async throws {
        try await withTemporaryDirectory { directory in
            let store = try LocalBlobStore(root: directory)
            try await store.createUpload(id: "u2")
            _ = try await store.appendUpload(id: "u2", ByteChunks(chunks: [Array("abc".utf8)]), offset: nil, maxBytes: .max)
            await #expect {
                try await store.commitUpload(id: "u2", expected: BlobDigest.of(Array("abd".utf8)))
            } throws: { ($0 as? BlobStoreError)?.code == .digestMismatch }
            #expect(files(under: directory) == [])
        }
    }

    @Test(arguments: ["../escape", "a/b", "", "with space", String(repeating: "x", count: 129)])
    func uploadIDsThatAreNotPlainTokensAreRefused(id: String) async throws {
        try await withTemporaryDirectory { directory in
            let store = try LocalBlobStore(root: directory)
            await #expect {
                try await store.createUpload(id: id)
            } throws: { ($0 as? BlobStoreError)?.code == .invalidUpload }
        }
    }

    @Test func anUploadOverTheLimitKeepsOnlyWhatWasThereBefore() async throws {
        try await withTemporaryDirectory { directory in
            let store = try LocalBlobStore(root: directory)
            try await store.createUpload(id: "u3")
            _ = try await store.appendUpload(id: "u3", ByteChunks(chunks: [randomBytes(10)]), offset: nil, maxBytes: 15)
            await #expect {
                try await store.appendUpload(id: "u3", ByteChunks(chunks: [randomBytes(3), randomBytes(3)]), offset: nil, maxBytes: 15)
            } throws: { ($0 as? BlobStoreError)?.code == .tooLarge }
            #expect(try await store.uploadSize(id: "u3") == 10)
        }
    }
}
