import Testing
@testable import EthereumKit

@Suite struct Keccak256Tests {
    struct Vector: Decodable {
        let input: String
        let hash: String
    }

    @Test(arguments: [
        ("", "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"),
        ("abc", "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"),
        ("The quick brown fox jumps over the lazy dog", "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15"),
    ])
    func hashesKnownStringsToTheOriginalKeccakDigest(input: String, expected: String) {
        #expect(Hex.encode(Keccak256.hash(input), prefix: false) == expected)
        #expect(Hex.encode(Keccak256.hash(Array(input.utf8)), prefix: false) == expected)
    }

    @Test func hashesOneMillionLettersAAcrossManyBlocks() {
        let input = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        let expected = "fadae6b49f129bbb812be8407b7b2894f34aecf6dbd1f9b0f0c7e9853098fc96"
        #expect(Hex.encode(Keccak256.hash(input), prefix: false) == expected)
        // Same input fed in uneven pieces that straddle block boundaries.
        var hasher = Keccak256()
        var position = 0
        var step = 1
        while position < input.count {
            let end = min(position + step, input.count)
            hasher.update(input[position..<end])
            position = end
            step = step * 3 % 1000 + 1
        }
        #expect(Hex.encode(hasher.finalize(), prefix: false) == expected)
    }

    @Test func matchesEthHashOnRandomInputsIncludingRateBoundaries() throws {
        let vectors = try CryptoVectorLoader.load("keccak", as: Vector.self)
        #expect(vectors.count >= 300)
        #expect(Set(vectors.map { $0.input.count / 2 }).isSuperset(of: [0, 135, 136, 137, 271, 272, 273]))
        for vector in vectors {
            let input = try Hex.decode(vector.input)
            #expect(Hex.encode(Keccak256.hash(input), prefix: false) == vector.hash, "length \(input.count)")
        }
    }

    @Test func incrementalUpdatesInAnySplitGiveTheOneShotDigest() throws {
        let vectors = try CryptoVectorLoader.load("keccak", as: Vector.self)
        for vector in vectors.prefix(60) {
            let input = try Hex.decode(vector.input)
            for split in Set([0, 1, input.count / 2, max(0, input.count - 1), input.count]) where split <= input.count {
                var hasher = Keccak256()
                hasher.update(input[..<split])
                hasher.update(Array(input[split...]))
                #expect(Hex.encode(hasher.finalize(), prefix: false) == vector.hash)
            }
        }
    }

    @Test func acceptsNonContiguousCollectionsAndRawBuffers() {
        let bytes = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let expected = Keccak256.hash(bytes)
        #expect(Keccak256.hash(bytes.lazy.map { $0 }) == expected)
        #expect(bytes.withUnsafeBytes { Keccak256.hash($0) } == expected)
        #expect(Keccak256.hash(bytes[...]) == expected)
    }

    @Test func finalizeLeavesTheHasherUsableForMoreInput() {
        var hasher = Keccak256()
        hasher.update("ab")
        let partial = hasher.finalize()
        hasher.update("c")
        #expect(partial == Keccak256.hash("ab"))
        #expect(hasher.finalize() == Keccak256.hash("abc"))
    }
}
