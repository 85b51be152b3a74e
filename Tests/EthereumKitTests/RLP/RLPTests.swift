import BigInt
import Foundation
import Testing
@testable import EthereumKit

@Suite struct RLPTests {
    /// An RLP item as the generator writes it: "0x.." for bytes, an array for a list.
    struct JSONItem: Decodable {
        let item: RLPItem

        init(from decoder: any Decoder) throws {
            if let hex = try? decoder.singleValueContainer().decode(String.self) {
                item = .bytes(try Hex.decode(hex))
            } else {
                item = .list(try decoder.singleValueContainer().decode([JSONItem].self).map(\.item))
            }
        }
    }

    struct ValidCase: Decodable {
        let item: JSONItem
        let encoded: String
    }

    struct IntegerCase: Decodable {
        let value: String
        let encoded: String
    }

    struct InvalidCase: Decodable {
        let kind: String
        let encoded: String
    }

    struct Document: Decodable {
        let valid: [ValidCase]
        let integers: [IntegerCase]
        let invalid: [InvalidCase]
        let mutated: [ValidCase]
    }

    static func document() throws -> Document {
        let url = try #require(Bundle.module.url(forResource: "rlp", withExtension: "json", subdirectory: "Vectors"))
        return try JSONDecoder().decode(Document.self, from: Data(contentsOf: url))
    }

    @Test func encodesRandomNestedItemsExactlyAsPyrlpAndDecodesThemBack() throws {
        let document = try Self.document()
        #expect(document.valid.count >= 300)
        for vector in document.valid {
            let encoded = try Hex.decode(vector.encoded)
            #expect(vector.item.item.encoded == encoded)
            #expect(vector.item.item.encodedLength == encoded.count)
            #expect(try RLP.decode(encoded) == vector.item.item)
        }
    }

    @Test func encodesIntegersInMinimalBigEndianForm() throws {
        let document = try Self.document()
        for vector in document.integers {
            let value = try #require(BigUInt(vector.value))
            let encoded = try Hex.decode(vector.encoded)
            #expect(RLPItem(value).encoded == encoded, "\(value)")
            #expect(try RLP.decode(encoded).bigUInt(field: "value") == value)
            if value.bitWidth <= 64 {
                #expect(RLPItem(UInt64(value)).encoded == encoded)
                #expect(try RLP.decode(encoded).uint64(field: "value") == UInt64(value))
            }
        }
    }

    @Test func rejectsEverythingPyrlpRejectsWithATypedError() throws {
        let document = try Self.document()
        #expect(document.invalid.count >= 300)
        for vector in document.invalid {
            let bytes = try Hex.decode(vector.encoded)
            #expect(throws: RLPError.self, "\(vector.kind): \(vector.encoded.prefix(40))") { try RLP.decode(bytes) }
        }
    }

    @Test func acceptsMutationsThatPyrlpAcceptsWithTheSameValue() throws {
        let document = try Self.document()
        for vector in document.mutated {
            #expect(try RLP.decode(Hex.decode(vector.encoded)) == vector.item.item)
        }
    }

    @Test(arguments: [
        ([0x81, 0x05], RLPError.nonCanonicalSingleByte(offset: 0)),
        ([0xb8, 0x02, 0x61, 0x62], RLPError.nonCanonicalLength(offset: 0)),
        ([0xc3, 0xb9, 0x00, 0x40], RLPError.leadingZeroInLength(offset: 1)),
        ([0xc2, 0xb9, 0x00, 0x40], RLPError.truncated(offset: 1, needed: 3, available: 2)),
        ([0x01, 0x02, 0x03], RLPError.trailingBytes(offset: 1, count: 2)),
        ([0xc3, 0x01, 0x85, 0x61], RLPError.truncated(offset: 2, needed: 6, available: 2)),
        ([0x85, 0x61], RLPError.truncated(offset: 0, needed: 6, available: 2)),
        ([], RLPError.emptyInput),
    ] as [([UInt8], RLPError)])
    func errorsNameTheOffsetOfTheOffendingItem(bytes: [UInt8], expected: RLPError) {
        #expect(throws: expected) { try RLP.decode(bytes) }
        #expect(expected.description.hasPrefix("invalid RLP"))
    }

    @Test func deeplyNestedHostileInputIsRejectedWithoutExhaustingTheStack() {
        let depth = 100_000
        var bytes = [UInt8]()
        // Each level is a long-form list header wrapping everything after it.
        var payload = 0
        var headers = [[UInt8]]()
        for _ in 0..<depth {
            let header: [UInt8] = payload < 56 ? [0xc0 + UInt8(payload)] : {
                let length = withUnsafeBytes(of: UInt32(payload).bigEndian) { Array($0.drop { $0 == 0 }) }
                return [0xf7 + UInt8(length.count)] + length
            }()
            headers.append(header)
            payload += header.count
        }
        for header in headers.reversed() { bytes += header }
        do {
            _ = try RLP.decode(bytes)
            Issue.record("decoded \(depth) nested lists")
        } catch {
            guard case .tooDeep = error else {
                Issue.record("expected tooDeep, got \(error)")
                return
            }
        }
    }

    @Test func integerAccessorsRejectLeadingZerosAndOversizedValues() {
        #expect(throws: RLPError.nonCanonicalInteger(field: "nonce")) { try RLPItem.bytes([0, 1]).uint64(field: "nonce") }
        #expect(throws: RLPError.integerTooLarge(field: "nonce", maxBytes: 8)) {
            try RLPItem.bytes([UInt8](repeating: 1, count: 9)).uint64(field: "nonce")
        }
        #expect(throws: RLPError.expectedBytes(field: "x")) { try RLPItem.list([]).bigUInt(field: "x") }
        #expect(RLPItem(UInt64(0)) == .bytes([]))
        #expect(RLPItem(BigUInt(0)) == .bytes([]))
    }
}
