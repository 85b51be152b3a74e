import Foundation
import Testing
@testable import EthereumKit

@Suite struct AddressTests {
    struct Vector: Decodable {
        let lower: String
        let checksummed: String
        let wrongChecksum: String?
    }

    @Test func checksumsMatchEthUtilsAndParseBackInEveryCase() throws {
        let vectors = try CryptoVectorLoader.load("checksums", as: Vector.self)
        #expect(vectors.count >= 300)
        for vector in vectors {
            let address = try Address(hex: vector.lower)
            #expect(address.checksummed == vector.checksummed)
            #expect(address.description == vector.checksummed)
            #expect(address.hex == vector.lower)
            #expect(try Address(hex: vector.checksummed, strict: true) == address)
            #expect(try Address(hex: vector.lower.uppercased().replacingOccurrences(of: "0X", with: "0x"), strict: true) == address)
            #expect(Address.isValidChecksum(vector.checksummed))
        }
    }

    @Test func strictModeRejectsAMixedCaseStringWithAWrongChecksum() throws {
        let vectors = try CryptoVectorLoader.load("checksums", as: Vector.self)
        let wrong = vectors.compactMap(\.wrongChecksum)
        #expect(wrong.count > 200)
        for string in wrong {
            #expect(throws: AddressError.self) { try Address(hex: string, strict: true) }
            #expect(!Address.isValidChecksum(string))
            // The lenient default still reads the bytes.
            #expect(try Address(hex: string).hex == string.lowercased())
        }
    }

    @Test(arguments: [
        ("0x12", "expected 20 bytes (40 hex digits), got 1 byte"),
        ("", "expected 20 bytes (40 hex digits), got 0 bytes"),
        ("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe", "got 39 hex digits"),
        ("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeDD", "got 41 hex digits"),
        ("0xzaAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "non-hex character"),
    ])
    func malformedHexIsRejectedWithAMessageNamingInputAndProblem(input: String, expectedReason: String) {
        do {
            _ = try Address(hex: input)
            Issue.record("accepted \(input)")
        } catch {
            #expect(error.description.contains("invalid address \"\(input)\""))
            #expect(error.description.contains(expectedReason), "\(error.description)")
        }
    }

    @Test func bytesInitialiserRequiresExactlyTwentyBytes() throws {
        #expect(throws: AddressError.self) { try Address(bytes: [UInt8](repeating: 1, count: 19)) }
        #expect(throws: AddressError.self) { try Address(bytes: [UInt8](repeating: 1, count: 21)) }
        let address = try Address(bytes: (1...20).map { UInt8($0) })
        #expect(address.hex == "0x0102030405060708090a0b0c0d0e0f1011121314")
        #expect(Address.zero.hex == "0x" + String(repeating: "0", count: 40))
    }

    @Test func codableUsesALowercaseHexStringAndReportsBadInput() throws {
        let address = try Address(hex: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")
        let json = try JSONEncoder().encode([address])
        #expect(String(decoding: json, as: UTF8.self) == "[\"0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed\"]")
        #expect(try JSONDecoder().decode([Address].self, from: json) == [address])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Address].self, from: Data("[\"0x12\"]".utf8)) }
    }
}
