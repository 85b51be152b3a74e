import Foundation
import Testing

@testable import PlatformCore

/// The BlobStore contract (see the protocol's documentation), checked on every implementation.
/// Serialized: the S3 cases each start a moto_server (a Python process), too heavy side by side.
@Suite(.serialized) struct BlobStoreConformanceTests {
    static let fixtures = BlobStoreFixture.allCases

    @Test(arguments: fixtures)
    func aBlobIsStoredUnderItsDigestAndReadBackWholeAndInRanges(_ fixture: BlobStoreFixture) async throws {
        try await fixture.withStore { store, _ in
            let info = try await store.write(Array("abc".utf8))
            // FIPS 180-2 vector for "abc".
            #expect(info.digest.hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
            #expect(info.size == 3)
            #expect(try await store.size(of: info.digest) == 3)
            #expect(try await store.readAll(info.digest) == Array("abc".utf8))
            #expect(try await store.readAll(info.digest, range: 1..<3) == Array("bc".utf8))
            #expect(try await store.readAll(info.digest, range: 3..<3) == [])
            await #expect { _ = try await store.readAll(info.digest, range: 2..<4) } throws: {
                ($0 as? BlobStoreError)?.code == .rangeNotSatisfiable
            }
            #expect(try await store.digests() == [info.digest])
            #expect(try await store.delete(info.digest))
            #expect(try await store.delete(info.digest) == false)
            #expect(try await store.size(of: info.digest) == nil)
            await #expect { _ = try await store.reader(for: info.digest, range: nil) } throws: {
                ($0 as? BlobStoreError)?.code == .notFound
            }
        }
    }

    @Test(arguments: fixtures)
    func aMismatchingBlobIsRejectedAndLeavesNothingBehind(_ fixture: BlobStoreFixture) async throws {
        try await fixture.withStore { store, _ in
            let wrong = BlobDigest.of(Array("something else".utf8))
            await #expect {
                try await store.write(ByteChunks(chunks: [Array("ab".utf8), Array("c".utf8)]), expected: wrong, maxBytes: 100)
            } throws: { ($0 as? BlobStoreError)?.code == .digestMismatch }
            let found41 = try await store.digests()
            #expect(found41 == [])
            let found42 = try await store.exists(BlobDigest.of(Array("abc".utf8)))
            #expect(found42 == false)
        }
    }

    @Test(arguments: fixtures)
    func aBlobOverTheLimitIsRefusedAndLeavesNothing(_ fixture: BlobStoreFixture) async throws {
        try await fixture.withStore { store, _ in
            await #expect {
                try await store.write(ByteChunks(chunks: [randomBytes(600), randomBytes(600)]), expected: nil, maxBytes: 1000)
            } throws: { ($0 as? BlobStoreError)?.code == .tooLarge }
            let found52 = try await store.digests()
            #expect(found52 == [])
        }
    }

    @Test(arguments: fixtures)
    func concurrentWritersOfTheSameBlobAllSucceedWithOneIntactBlob(_ fixture: BlobStoreFixture) async throws {
        try await fixture.withStore { store, _ in
            let bytes = randomBytes(3 << 20)
            let chunks = stride(from: 0, to: bytes.count, by: 65536).map { Array(bytes[$0..<min($0 + 65536, bytes.count)]) }
            let digest = BlobDigest.of(bytes)
            try await withThrowingTaskGroup(of: BlobInfo.self) { group in
                for _ in 0..<4 {
                    group.addTask { try await store.write(ByteChunks(chunks: chunks), expected: digest, maxBytes: .max) }
                }
                for try await info in group { #expect(info.digest == digest) }
            }
            #expect(try await store.digests() == [digest])
            #expect(try await store.readAll(digest) == bytes)
        }
    }

    @Test(arguments: fixtures)
    func anInterruptedUploadResumesInANewInstanceAndCommitsOnlyWithTheRightDigest(_ fixture: BlobStoreFixture) async throws {
        try await fixture.withStore { first, reopen in
            let bytes = randomBytes(200_000)
            let digest = BlobDigest.of(bytes)
            try await first.createUpload(id: "u1")
            // The client goes away after the first chunk.
            await #expect(throws: ClientWentAway.self) {
                try await first.appendUpload(
                    id: "u1", ByteChunks(chunks: [Array(bytes[0..<70_000])], failure: ClientWentAway()), offset: 0, maxBytes: .max)
            }
            // A new instance (a restarted server) has no hash state in memory and rebuilds it.
            let second = try reopen()
            #expect(try await second.uploadIDs() == ["u1"])
            let size = try #require(try await second.uploadSize(id: "u1"))
            #expect(size == 70_000)
            await #expect {
                try await second.appendUpload(id: "u1", ByteChunks(chunks: [[1]]), offset: 5, maxBytes: .max)
            } throws: { ($0 as? BlobStoreError)?.code == .invalidUpload }
            #expect(
                try await second.appendUpload(id: "u1", ByteChunks(chunks: [Array(bytes[70_000...])]), offset: size, maxBytes: .max)
                    == 200_000)
            #expect(try await second.commitUpload(id: "u1", expected: digest) == BlobInfo(digest: digest, size: 200_000))
            #expect(try await second.readAll(digest) == bytes)
            #expect(try await second.uploadIDs() == [])
        }
    }

    @Test(arguments: fixtures)
    func committingAnUploadUnderTheWrongDigestDiscardsIt(_ fixture: BlobStoreFixture) async throws {
        try await fixture.withStore { store, _ in
            try await store.createUpload(id: "u2")
            _ = try await store.appendUpload(id: "u2", ByteChunks(chunks: [Array("abc".utf8)]), offset: nil, maxBytes: .max)
            await #expect {
                try await store.commitUpload(id: "u2", expected: BlobDigest.of(Array("abd".utf8)))
            } throws: { ($0 as? BlobStoreError)?.code == .digestMismatch }
            #expect(try await store.digests() == [])
            #expect(try await store.uploadIDs() == [])
        }
    }

    @Test(arguments: fixtures)
    func anUploadOverTheLimitKeepsOnlyWhatWasThereBefore(_ fixture: BlobStoreFixture) async throws {
        try await fixture.withStore { store, _ in
            try await store.createUpload(id: "u3")
            _ = try await store.appendUpload(id: "u3", ByteChunks(chunks: [randomBytes(10)]), offset: nil, maxBytes: 15)
            await #expect {
                try await store.appendUpload(id: "u3", ByteChunks(chunks: [randomBytes(3), randomBytes(3)]), offset: nil, maxBytes: 15)
            } throws: { ($0 as? BlobStoreError)?.code == .tooLarge }
            #expect(try await store.uploadSize(id: "u3") == 10)
            #expect(try await store.deleteUpload(id: "u3"))
            #expect(try await store.uploadSize(id: "u3") == nil)
        }
    }

    @Test(arguments: fixtures)
    func uploadIDsThatAreNotPlainTokensAreRefused(_ fixture: BlobStoreFixture) async throws {
        try await fixture.withStore { store, _ in
            for id in ["../escape", "a/b", "", "with space", String(repeating: "x", count: 129)] {
                await #expect {
                    try await store.createUpload(id: id)
                } throws: { ($0 as? BlobStoreError)?.code == .invalidUpload }
            }
        }
    }
}
