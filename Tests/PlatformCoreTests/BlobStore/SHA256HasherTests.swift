import Foundation
import Testing

@testable import PlatformCore

/// FIPS 180-2 test vectors: the digests are published facts, independent of any library here.
@Suite struct SHA256HasherTests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
    ])
    func publishedVectorsHashToTheirDigests(input: String, hex: String) {
        #expect(SHA256Hasher.hash(Array(input.utf8)).hex == hex)
    }

    @Test func oneMillionAsFedInUnevenChunksMatchTheVector() {
        var hasher = SHA256Hasher()
        var fed = 0
        var size = 1
        while fed < 1_000_000 {
            let count = min(size, 1_000_000 - fed)
            hasher.update([UInt8](repeating: UInt8(ascii: "a"), count: count))
            fed += count
            size = size * 3 + 7
        }
        #expect(hasher.byteCount == 1_000_000)
        #expect(hasher.finalize().hex == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func finalizeLeavesTheStateSoACopyCanContinue() {
        var hasher = SHA256Hasher()
        hasher.update(Array("ab".utf8))
        let saved = hasher
        #expect(hasher.finalize().hex == SHA256Hasher.hash(Array("ab".utf8)).hex)
        var resumed = saved
        resumed.update(Array("c".utf8))
        #expect(resumed.finalize().hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test(arguments: [
        "sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
        "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85",
        "sha512:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "sha256:../../../../etc/passwd",
        "",
    ])
    func malformedDigestsAreRejected(text: String) {
        #expect(throws: BlobStoreError.self) { try BlobDigest(parsing: text) }
    }

    @Test func aDigestRoundTripsThroughItsText() throws {
        let digest = BlobDigest.of(Array("abc".utf8))
        #expect(digest.description == "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(try BlobDigest(parsing: digest.description) == digest)
    }

    /// A state exported after any prefix (inside a block, on a block edge, past several blocks)
    /// and read back goes on to the digest of the whole million-"a" vector.
    @Test(arguments: [0, 1, 55, 63, 64, 65, 1000, 999_999])
    func anExportedStateReadBackContinuesToThePublishedDigest(prefix: Int) throws {
        var first = SHA256Hasher()
        first.update([UInt8](repeating: UInt8(ascii: "a"), count: prefix))
        let state = first.exportedState
        #expect(state.count == 45 + prefix % 64)
        var resumed = try #require(SHA256Hasher(exportedState: state))
        #expect(resumed.byteCount == Int64(prefix))
        resumed.update([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000 - prefix))
        #expect(resumed.finalize().hex == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func somethingElseIsNotAState() {
        var hasher = SHA256Hasher()
        hasher.update(Array("abc".utf8))
        let state = hasher.exportedState
        #expect(SHA256Hasher(exportedState: []) == nil)
        #expect(SHA256Hasher(exportedState: Array("S257".utf8) + state.dropFirst(4)) == nil)
        #expect(SHA256Hasher(exportedState: Array(state.dropLast())) == nil)  // a pending byte short
        var wrongCount = state
        wrongCount[43] = 4  // 4 bytes counted, 3 pending
        #expect(SHA256Hasher(exportedState: wrongCount) == nil)
    }
}
