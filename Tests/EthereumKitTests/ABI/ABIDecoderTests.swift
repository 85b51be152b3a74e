import BigInt
import Testing
@testable import EthereumKit

/// Strict decoding: malformed and hostile data gives a typed error naming the offset and type, never a crash.
@Suite struct ABIDecoderTests {
    static func word(_ value: UInt64) -> [UInt8] {
        [UInt8](repeating: 0, count: 24) + withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }

    static func decodingError(_ types: [ABIType], _ data: [UInt8]) -> ABIDecodingError? {
        do {
            _ = try ABI.decode(types, from: data)
            return nil
        } catch {
            return error
        }
    }

    @Test func rejectsTruncatedDataWithTheOffsetWhereItEnds() throws {
        let data = try ABI.encode([1, 2], as: [.uint256, .uint256])
        let error = try #require(Self.decodingError([.uint256, .uint256], Array(data.prefix(40))))
        #expect(error.kind == .insufficientData)
        #expect(error.description.contains("offset"))
        for cut in 0..<data.count {
            #expect(Self.decodingError([.uint256, .uint256], Array(data.prefix(cut))) != nil)
        }
    }

    @Test func rejectsEveryTruncationOfANestedDynamicEncoding() throws {
        let types = try [ABIType(parsing: "(string,uint8[])[]"), ABIType(parsing: "bytes")]
        let data = try ABI.encode([[.tuple(["hello", [1, 2]]), .tuple(["", []])], .bytes([1, 2, 3])], as: types)
        for cut in 0..<data.count {
            #expect(Self.decodingError(types, Array(data.prefix(cut))) != nil, "cut at \(cut)")
        }
        #expect(Self.decodingError(types, data) == nil)
    }

    @Test func rejectsOffsetsPointingPastTheEndOrIntoTheHead() {
        let beyond = Self.word(0x1000) + Self.word(0)
        let error = Self.decodingError([.string], beyond)
        #expect(error?.kind == .invalidOffset)
        #expect(error?.offset == 0)
        #expect(error?.type == "string")

        let intoHead = Self.word(0) + Self.word(0)
        #expect(Self.decodingError([.string], intoHead)?.kind == .invalidOffset)

        let huge = [UInt8](repeating: 0xff, count: 32) + Self.word(0)
        #expect(Self.decodingError([.bytes], huge)?.kind == .invalidOffset)
    }

    @Test func rejectsHostileLengthsWithoutAllocatingThem() {
        // An array claiming 2^40 elements, and one claiming 2^255.
        let large = Self.word(32) + Self.word(1 << 40) + Self.word(1)
        #expect(Self.decodingError([.array(.uint256)], large)?.kind == .invalidLength)
        var maximal = Self.word(32) + [UInt8](repeating: 0, count: 32)
        maximal[32] = 0x80
        #expect(Self.decodingError([.array(.uint256)], maximal)?.kind == .invalidLength)
        // A length that fits the data count but not the bytes after it.
        let tooLong = Self.word(32) + Self.word(3) + Self.word(1)
        #expect(Self.decodingError([.array(.uint256)], tooLong)?.kind == .insufficientData)
        let stringTooLong = Self.word(32) + Self.word(40) + Self.word(0)
        #expect(Self.decodingError([.string], stringTooLong)?.kind == .insufficientData)
    }

    @Test func capsElementsProducedByAliasedOffsets() {
        // uint256[][]: 1000 inner offsets all pointing at one 1000-element array. 64 KB of data
        // would otherwise decode into a million values.
        let count: UInt64 = 1000
        var data = Self.word(32) + Self.word(count)
        for _ in 0..<count { data += Self.word(32 * count) }
        data += Self.word(count)
        for index in 0..<count { data += Self.word(index) }
        let error = Self.decodingError([.array(.array(.uint256))], data)
        #expect(error?.kind == .tooManyElements)

        // string[] whose offsets all alias one 16 KB string.
        var strings = Self.word(32) + Self.word(count)
        for _ in 0..<count { strings += Self.word(32 * count) }
        strings += Self.word(16_384) + [UInt8](repeating: 0x61, count: 16_384)
        #expect(Self.decodingError([.array(.string)], strings)?.kind == .tooManyElements)
    }

    @Test func rejectsDirtyHighBitsInSmallIntegersAddressesAndBools() {
        var uint8 = Self.word(0x1ff)
        #expect(Self.decodingError([.uint(8)], uint8)?.kind == .dirtyHighBits)
        uint8 = Self.word(0xff)
        #expect(Self.decodingError([.uint(8)], uint8) == nil)

        var address = Self.word(1)
        address[11] = 1
        let addressError = Self.decodingError([.address], address)
        #expect(addressError?.kind == .dirtyHighBits)
        #expect(addressError?.type == "address")

        #expect(Self.decodingError([.bool], Self.word(2))?.kind == .invalidBool)
        #expect(Self.decodingError([.bool], Self.word(0x100))?.kind == .dirtyHighBits)

        // int8 -1 must be sign-extended; 0xff with zero high bytes is dirty.
        #expect(Self.decodingError([.int(8)], Self.word(0xff))?.kind == .dirtyHighBits)
        var negative = [UInt8](repeating: 0xff, count: 32)
        #expect(Self.decodingError([.int(8)], negative) == nil)
        negative[31] = 0x7f
        #expect(Self.decodingError([.int(8)], negative)?.kind == .dirtyHighBits)
    }

    @Test func rejectsNonZeroPaddingAfterBytesAndStrings() {
        var fixed = [UInt8](repeating: 0, count: 32)
        fixed[0] = 0xaa
        fixed[5] = 1
        #expect(Self.decodingError([.fixedBytes(4)], fixed)?.kind == .nonZeroPadding)

        var string = Self.word(32) + Self.word(2) + [0x68, 0x69] + [UInt8](repeating: 0, count: 30)
        #expect(Self.decodingError([.string], string) == nil)
        string[string.count - 1] = 1
        let error = Self.decodingError([.string], string)
        #expect(error?.kind == .nonZeroPadding)
        #expect(error?.offset == 95)
    }

    @Test func rejectsStringsThatAreNotUTF8() {
        let data = Self.word(32) + Self.word(2) + [0xc3, 0x28] + [UInt8](repeating: 0, count: 30)
        #expect(Self.decodingError([.string], data)?.kind == .invalidUTF8)
        #expect(Self.decodingError([.bytes], data) == nil)
    }

    @Test func ignoresTrailingBytesAsSolidityDoes() throws {
        let data = try ABI.encode([7], as: [.uint256]) + [1, 2, 3]
        #expect(try ABI.decode([.uint256], from: data) == [7])
    }

    @Test func describesErrorsOnOneLineNamingOffsetAndType() {
        let error = Self.decodingError([.uint256, .uint(8)], Self.word(1) + Self.word(0x1ff))
        #expect(error?.description.hasPrefix("invalid ABI data at offset 32 (uint8): ") == true)
        #expect(error?.description.contains("\n") == false)
    }

    @Test func decodesFromSlicesAndEmptyInput() throws {
        let data = [0xde, 0xad] + (try ABI.encode(["hi"], as: [.string]))
        #expect(try ABI.decode([.string], from: data[2...]) == ["hi"])
        #expect(Self.decodingError([.uint256], [])?.kind == .insufficientData)
        #expect(try ABI.decode([.tuple([])], from: [UInt8]()) == [.tuple([])])
    }

    @Test func survivesRandomGarbageForManyTypes() throws {
        var generator = SystemRandomNumberGenerator()
        let types = try ["(uint256,string[],bytes)[]", "string", "uint8[][2]", "(bool,(address,bytes32[])[])", "bytes[3]"]
            .map { try ABIType(parsing: $0) }
        for _ in 0..<500 {
            let count = Int.random(in: 0..<400, using: &generator)
            var data = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            // Small words make plausible offsets and lengths.
            for index in stride(from: 0, to: data.count, by: 32) where Bool.random(using: &generator) {
                for byte in index..<min(index + 31, data.count) { data[byte] = 0 }
            }
            for type in types {
                _ = try? ABI.decode([type], from: data)
            }
        }
    }
}
