import Foundation
import Synchronization
import Testing

@testable import PlatformCore

/// What only the S3 store does: multipart uploads for blobs over one part, completed only after
/// the digest matched and aborted otherwise, and its key layout under the prefix. The shared
/// contract runs in BlobStoreConformanceTests.
/// Serialized: each test runs its own moto_server (a Python process), too heavy to run side by side.
@Suite(.serialized) struct S3BlobStoreTests {
    /// Runs `body` with a fresh bucket on a fresh moto_server.
    func withS3(_ body: (S3BlobStore, S3Client) async throws -> Void) async throws {
        let moto = try await MotoServer.start()
        defer { moto.stop() }
        let configuration = BlobStoreFixture.s3Configuration(endpoint: moto.endpoint)
        let store = S3BlobStore(configuration: configuration)
        try await store.createBucket()
        try await body(store, S3Client(configuration: configuration))
    }

    /// Multipart uploads started and neither completed nor aborted.
    func pendingMultipartUploads(_ client: S3Client) async throws -> [String] {
        let response = try await client.expectSuccess("GET", key: nil, query: [("uploads", "")])
        return S3XML(response.body).all("Key", inside: "Upload")
    }

    @Test func aMultipartBlobBecomesVisibleOnlyAfterItsDigestMatched() async throws {
        try await withS3 { store, client in
            let bytes = randomBytes(12 << 20)  // three parts of 5 MiB, 5 MiB and 2 MiB
            let digest = BlobDigest.of(bytes)
            let chunks = stride(from: 0, to: bytes.count, by: 1 << 20).map { Array(bytes[$0..<min($0 + (1 << 20), bytes.count)]) }
            await #expect {
                try await store.write(ByteChunks(chunks: chunks), expected: BlobDigest.of([1]), maxBytes: .max)
            } throws: { ($0 as? BlobStoreError)?.code == .digestMismatch }
            let found1 = try await store.digests()
            #expect(found1 == [])
            let found2 = try await pendingMultipartUploads(client)
            #expect(found2 == [])

            let info = try await store.write(ByteChunks(chunks: chunks), expected: digest, maxBytes: .max)
            #expect(info == BlobInfo(digest: digest, size: Int64(bytes.count)))
            let found3 = try await store.readAll(digest)
            #expect(found3 == bytes)
            let found4 = try await store.readAll(digest, range: 5_242_870..<5_242_890)
            #expect(found4 == Array(bytes[5_242_870..<5_242_890]))
            let found5 = try await client.list(prefix: "registry/").map(\.key)
            #expect(found5 == ["registry/blobs/sha256/\(digest.hex)"])
        }
    }

    @Test func aBlobOfUnknownDigestIsCopiedIntoPlaceAndItsTemporaryObjectRemoved() async throws {
        try await withS3 { store, client in
            let bytes = randomBytes(6 << 20)
            let info = try await store.write(ByteChunks(chunks: [bytes]), expected: nil, maxBytes: .max)
            #expect(info.digest == BlobDigest.of(bytes))
            let found6 = try await store.readAll(info.digest)
            #expect(found6 == bytes)
            let found7 = try await client.list(prefix: "registry/").map(\.key)
            #expect(found7 == ["registry/blobs/sha256/\(info.digest.hex)"])
        }
    }

    @Test func anUploadLargerThanAPartIsAssembledFromItsAppends() async throws {
        try await withS3 { store, client in
            let bytes = randomBytes(11 << 20)
            try await store.createUpload(id: "big")
            var offset = 0
            for size in [7 << 20, 1, (4 << 20) - 1] {
                let end = offset + size
                let size = try await store.appendUpload(
                    id: "big", ByteChunks(chunks: [Array(bytes[offset..<end])]), offset: Int64(offset), maxBytes: .max)
                #expect(size == Int64(end))
                offset = end
            }
            let digest = BlobDigest.of(bytes)
            let found8 = try await store.commitUpload(id: "big", expected: digest).size
            #expect(found8 == Int64(bytes.count))
            let found9 = try await store.readAll(digest)
            #expect(found9 == bytes)
            let found10 = try await store.uploadIDs()
            #expect(found10 == [])
            #expect(try await client.list(prefix: "registry/uploads/").isEmpty)
            let found11 = try await pendingMultipartUploads(client)
            #expect(found11 == [])
        }
    }

    /// Appends `sizes` bytes of `bytes` in turn to upload `id`.
    func append(_ bytes: [UInt8], sizes: [Int], to id: String, in store: S3BlobStore) async throws {
        try await store.createUpload(id: id)
        var offset = 0
        for size in sizes {
            let end = offset + size
            _ = try await store.appendUpload(id: id, ByteChunks(chunks: [Array(bytes[offset..<end])]), offset: Int64(offset), maxBytes: .max)
            offset = end
        }
    }

    /// Body bytes the store's own client sends and receives while `body` runs.
    func payloadMoved(by store: S3BlobStore, _ body: () async throws -> Void) async throws -> Int64 {
        let before = store.client.payloadBytes.withLock { $0.sent + $0.received }
        try await body()
        return store.client.payloadBytes.withLock { $0.sent + $0.received } - before
    }

    /// Appends of at least 5 MiB (S3's smallest part) are composed inside S3 at commit, checked
    /// against the hash state the appends stored: no blob byte moves through the store again.
    @Test func anUploadOfLargeAppendsIsComposedInsideS3WithoutMovingItsBytesAgain() async throws {
        try await withS3 { store, client in
            for sizes in [[(5 << 20) + 3, (6 << 20) - 3, 1234], [(7 << 20) + 1]] {
                let bytes = randomBytes(sizes.reduce(0, +))
                let digest = BlobDigest.of(bytes)
                try await append(bytes, sizes: sizes, to: "composed", in: store)
                var info: BlobInfo?
                let moved = try await payloadMoved(by: store) { info = try await store.commitUpload(id: "composed", expected: digest) }
                #expect(info == BlobInfo(digest: digest, size: Int64(bytes.count)))
                #expect(moved < 64 << 10, "commit moved \(moved) bytes for \(sizes)")
                let found = try await store.readAll(digest)
                #expect(found == bytes)
                #expect(try await client.list(prefix: "registry/uploads/").isEmpty)
                let pending = try await pendingMultipartUploads(client)
                #expect(pending == [])
                #expect(try await store.delete(digest))
            }
        }
    }

    /// Without the last hash state (a crash between a piece and its state), or when the state's
    /// digest is not the expected one, the pieces stream back through the verified write: the
    /// blob is committed, or refused only after its bytes were re-read.
    @Test func anUploadWithoutItsHashStateIsVerifiedByReadingItsPiecesBack() async throws {
        try await withS3 { store, client in
            let sizes = [(5 << 20) + 1, 3 << 20]
            let bytes = randomBytes(sizes.reduce(0, +))
            let digest = BlobDigest.of(bytes)
            try await append(bytes, sizes: sizes, to: "stateless", in: store)
            let states = try await client.list(prefix: "registry/uploads/stateless/sha256-state/").map(\.key)
            #expect(states.count == 2)
            for key in states { _ = try await client.expectSuccess("DELETE", key: key) }
            let moved = try await payloadMoved(by: store) {
                let info = try await store.commitUpload(id: "stateless", expected: digest)
                #expect(info == BlobInfo(digest: digest, size: Int64(bytes.count)))
            }
            #expect(moved >= 2 * Int64(bytes.count))  // read back and written again
            let found = try await store.readAll(digest)
            #expect(found == bytes)

            try await append(bytes, sizes: sizes, to: "wrong", in: store)
            let wrongMoved = try await payloadMoved(by: store) {
                await #expect {
                    try await store.commitUpload(id: "wrong", expected: BlobDigest.of([1, 2, 3]))
                } throws: { ($0 as? BlobStoreError)?.code == .digestMismatch }
            }
            #expect(wrongMoved >= Int64(bytes.count))
            #expect(try await client.list(prefix: "registry/uploads/").isEmpty)
        }
    }

    @Test func virtualHostedRequestsReachTheSameBucketAndKeysAsPathStyleOnes() async throws {
        let moto = try await MotoServer.start()
        defer { moto.stop() }
        let virtualHosted = BlobStoreFixture.virtualHostedConfiguration(moto)
        #expect(!virtualHosted.pathStyle)
        var pathStyle = virtualHosted
        pathStyle.endpoint = moto.endpoint
        pathStyle.pathStyle = true
        let store = S3BlobStore(configuration: virtualHosted)
        try await store.createBucket()
        let bytes = randomBytes(6 << 20)  // a multipart write: two parts
        let info = try await store.write(ByteChunks(chunks: [bytes]), expected: BlobDigest.of(bytes), maxBytes: .max)
        try await store.createUpload(id: "vh")
        _ = try await store.appendUpload(id: "vh", ByteChunks(chunks: [[1, 2, 3]]), offset: 0, maxBytes: .max)

        // Seen path-style: the bucket the Host header named, the keys under the prefix.
        let client = S3Client(configuration: pathStyle)
        let keys = try await client.list(prefix: "registry/").map(\.key)
        #expect(keys.contains("registry/blobs/sha256/\(info.digest.hex)"), "\(keys)")
        #expect(keys.contains("registry/uploads/vh/.upload"), "\(keys)")
        let other = S3BlobStore(configuration: pathStyle)
        #expect(try await other.readAll(info.digest) == bytes)
        #expect(try await other.uploadSize(id: "vh") == 3)
    }
}
