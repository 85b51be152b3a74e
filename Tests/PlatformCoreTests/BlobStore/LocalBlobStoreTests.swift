import Foundation
import Testing

@testable import PlatformCore

/// What only the local directory store promises: its on-disk layout, and no file left behind by a
/// refused write. The shared contract is in BlobStoreConformanceTests.
@Suite struct LocalBlobStoreTests {
    /// Every file under `root`, relative to it.
    func files(under root: String) -> [String] {
        (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? []).filter {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: root + "/" + $0, isDirectory: &isDirectory)
            return !isDirectory.boolValue
        }.sorted()
    }

    @Test func blobsLiveInShardedFilesNamedByTheirDigest() async throws {
        try await withTemporaryDirectory { directory in
            let store = try LocalBlobStore(root: directory)
            let info = try await store.write(Array("abc".utf8))
            let name = "sha256/ba/ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
            #expect(files(under: directory) == [name])
            #expect(store.path(of: info.digest) == directory + "/" + name)
            #expect(try String(contentsOfFile: directory + "/" + name, encoding: .utf8) == "abc")
        }
    }

    @Test func refusedWritesAndUploadsLeaveNoFileBehind() async throws {
        try await withTemporaryDirectory { directory in
            let store = try LocalBlobStore(root: directory)
            await #expect(throws: BlobStoreError.self) {
                try await store.write(ByteChunks(chunks: [Array("abc".utf8)]), expected: BlobDigest.of([0]), maxBytes: 100)
            }
            await #expect(throws: BlobStoreError.self) {
                try await store.write(ByteChunks(chunks: [randomBytes(200)]), expected: nil, maxBytes: 100)
            }
            try await store.createUpload(id: "u")
            _ = try await store.appendUpload(id: "u", ByteChunks(chunks: [randomBytes(50)]), offset: 0, maxBytes: .max)
            await #expect(throws: BlobStoreError.self) { try await store.commitUpload(id: "u", expected: BlobDigest.of([0])) }
            #expect(files(under: directory) == [])
        }
    }

    @Test func staleTemporaryFilesFromACrashAreRemoved() async throws {
        try await withTemporaryDirectory { directory in
            let store = try LocalBlobStore(root: directory)
            let stale = directory + "/sha256/.tmp-crashed"
            try Data([1, 2, 3]).write(to: URL(fileURLWithPath: stale))
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-7200)], ofItemAtPath: stale)
            let fresh = directory + "/sha256/.tmp-writing"
            try Data([1]).write(to: URL(fileURLWithPath: fresh))
            #expect(store.removeStaleTemporaryFiles(olderThan: 3600) == 1)
            #expect(files(under: directory) == ["sha256/.tmp-writing"])
        }
    }
}
