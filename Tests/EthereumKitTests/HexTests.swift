import Testing
@testable import EthereumKit

@Suite struct HexTests {
    @Test func roundTripsBytesAsLowercasePrefixedHex() throws {
        let bytes: [UInt8] = [0x00, 0xab, 0xCD, 0xff]
        #expect(Hex.encode(bytes) == "0x00abcdff")
        #expect(try Hex.decode("0x00ABcdff") == bytes)
        #expect(try Hex.decode("00abcdff") == bytes)
    }

    @Test func rejectsOddLengthAndNonHexCharacters() {
        #expect(throws: Hex.DecodingError.self) { try Hex.decode("0xabc") }
        #expect(throws: Hex.DecodingError.self) { try Hex.decode("0xzz") }
        #expect(try! Hex.decode("0xabc", allowOdd: true) == [0x0a, 0xbc])
    }
}
