import BigInt
import Testing
@testable import EthereumKit

/// Examples from the Solidity ABI specification, plus the encoder's checks on values.
@Suite struct ABIEncoderTests {
    @Test func encodesTheSpecificationsStaticExample() throws {
        // baz(uint32 x, bool y) with 69, true
        let data = try ABI.encode([69, true], as: [.uint(32), .bool])
        #expect(Hex.encode(data) == "0x"
            + "0000000000000000000000000000000000000000000000000000000000000045"
            + "0000000000000000000000000000000000000000000000000000000000000001")
    }

    @Test func encodesTheSpecificationsDynamicExample() throws {
        // sam(bytes,bool,uint256[]) with "dave", true, [1, 2, 3]
        let data = try ABI.encode([.bytes(Array("dave".utf8)), true, [1, 2, 3]], as: [.bytes, .bool, .array(.uint256)])
        #expect(Hex.encode(data) == "0x"
            + "0000000000000000000000000000000000000000000000000000000000000060"
            + "0000000000000000000000000000000000000000000000000000000000000001"
            + "00000000000000000000000000000000000000000000000000000000000000a0"
            + "0000000000000000000000000000000000000000000000000000000000000004"
            + "6461766500000000000000000000000000000000000000000000000000000000"
            + "0000000000000000000000000000000000000000000000000000000000000003"
            + "0000000000000000000000000000000000000000000000000000000000000001"
            + "0000000000000000000000000000000000000000000000000000000000000002"
            + "0000000000000000000000000000000000000000000000000000000000000003")
        #expect(try ABI.decode([.bytes, .bool, .array(.uint256)], from: data)
            == [.bytes(Array("dave".utf8)), true, [1, 2, 3]])
    }

    @Test func encodesTheSpecificationsNestedDynamicArrayExample() throws {
        // g(uint256[][],string[]) with [[1, 2], [3]], ["one", "two", "three"]
        let data = try ABI.encode([[[1, 2], [3]], ["one", "two", "three"]],
                                  as: [.array(.array(.uint256)), .array(.string)])
        let words = [
            "0000000000000000000000000000000000000000000000000000000000000040",
            "0000000000000000000000000000000000000000000000000000000000000140",
            "0000000000000000000000000000000000000000000000000000000000000002",
            "0000000000000000000000000000000000000000000000000000000000000040",
            "00000000000000000000000000000000000000000000000000000000000000a0",
            "0000000000000000000000000000000000000000000000000000000000000002",
            "0000000000000000000000000000000000000000000000000000000000000001",
            "0000000000000000000000000000000000000000000000000000000000000002",
            "0000000000000000000000000000000000000000000000000000000000000001",
            "0000000000000000000000000000000000000000000000000000000000000003",
            "0000000000000000000000000000000000000000000000000000000000000003",
            "0000000000000000000000000000000000000000000000000000000000000060",
            "00000000000000000000000000000000000000000000000000000000000000a0",
            "00000000000000000000000000000000000000000000000000000000000000e0",
            "0000000000000000000000000000000000000000000000000000000000000003",
            "6f6e650000000000000000000000000000000000000000000000000000000000",
            "0000000000000000000000000000000000000000000000000000000000000003",
            "74776f0000000000000000000000000000000000000000000000000000000000",
            "0000000000000000000000000000000000000000000000000000000000000005",
            "7468726565000000000000000000000000000000000000000000000000000000",
        ]
        #expect(Hex.encode(data) == "0x" + words.joined())
    }

    @Test func encodesSignedIntegersAsSignExtendedTwosComplement() throws {
        #expect(Hex.encode(try ABI.encode(-1, as: .int(8))) == "0x" + String(repeating: "f", count: 64))
        #expect(Hex.encode(try ABI.encode(.int(-128), as: .int(8))) == "0x" + String(repeating: "f", count: 62) + "80")
        let minimum = -(BigInt(1) << 255)
        #expect(Hex.encode(try ABI.encode(.int(minimum), as: .int256)) == "0x8" + String(repeating: "0", count: 63))
        #expect(try ABI.decode(.int256, from: try ABI.encode(.int(minimum), as: .int256)) == .int(minimum))
        let maximum = (BigUInt(1) << 256) - 1
        #expect(try ABI.decode(.uint256, from: try ABI.encode(.uint(maximum), as: .uint256)) == .uint(maximum))
    }

    @Test func acceptsNaturalCoercionsAndDecodesToTheCanonicalCase() throws {
        let data = try ABI.encode([.int(5), .uint(7), .bytes([1, 2]), .tuple([1, 2])],
                                  as: [.uint(8), .int(16), .fixedBytes(4), .fixedArray(.uint256, 2)])
        let decoded = try ABI.decode([.uint(8), .int(16), .fixedBytes(4), .fixedArray(.uint256, 2)], from: data)
        #expect(decoded == [.uint(5), .int(7), .fixedBytes([1, 2, 0, 0]), .array([1, 2])])
    }

    @Test func namesTheOffendingValueWhenItDoesNotFitItsType() {
        func message(_ values: [ABIValue], _ types: [ABIType]) -> String {
            do {
                _ = try ABI.encode(values, as: types)
                return "no error"
            } catch {
                return error.description
            }
        }
        #expect(message([300], [.uint(8)]) == "cannot ABI-encode argument 1 as uint8: value 300 does not fit in 8 bits")
        #expect(message([1, -1], [.uint256, .uint(8)]).contains("argument 2 as uint8: negative value -1"))
        #expect(message([128], [.int(8)]).contains("does not fit in 8 bits (signed)"))
        #expect(message([.int(-129)], [.int(8)]).contains("value -129 does not fit"))
        #expect(message(["x"], [.uint256]).contains("expected a value of type uint256, got string"))
        #expect(message([1], [.uint256, .bool]) == "cannot ABI-encode as (uint256,bool): expected 2 values, got 1")
        #expect(message([[1, 2]], [.fixedArray(.uint256, 3)]).contains("expected 3 elements, got 2"))
        #expect(message([.bytes([UInt8](repeating: 0, count: 5))], [.fixedBytes(4)]).contains("5 bytes do not fit in 4"))
        #expect(message([true, [.tuple([1, "a"]), .tuple([2, 3])]], [.bool, .array(.tuple([.uint256, .string]))])
            .contains("argument 2[1].1 as string"))
        #expect(message([1], [.bool]).contains("argument 1 as bool"))
        #expect(message([[1, 300]], [.array(.uint(8))]) == "cannot ABI-encode argument 1[1] as uint8: value 300 does not fit in 8 bits")
        #expect(message([[1, .int(-1)]], [.array(.uint256)]).contains("argument 1[1] as uint256: negative value -1"))
        #expect(message([[1, "x"]], [.array(.uint256)]).contains("argument 1[1] as uint256: expected a value of type uint256, got string"))
    }

    @Test func encodesSignedValuesInUnsignedArraysLikeUnsignedOnes() throws {
        let coerced = try ABI.encode([[.int(3), .uint(4), .int(0)]], as: [.array(.uint(16))])
        #expect(coerced == (try ABI.encode([[3, 4, 0]], as: [.array(.uint(16))])))
        #expect(try ABI.decode([.array(.uint(16))], from: coerced) == [[3, 4, 0]])
    }

    @Test func buildsValuesFromHex() throws {
        let address = try ABIValue.address(hex: "0x00000000000000000000000000000000000000Aa")
        #expect(address.addressValue?.bytes.last == 0xaa)
        #expect(try ABIValue.bytes(hex: "0xdead") == .bytes([0xde, 0xad]))
        #expect(throws: AddressError.self) { try ABIValue.address(hex: "0x1234") }
        #expect(throws: Hex.DecodingError.self) { try ABIValue.bytes(hex: "0xabc") }
    }

    @Test func encodesAnEmptyArgumentList() throws {
        #expect(try ABI.encode([], as: []) == [])
        #expect(try ABI.decode([], from: [UInt8]()) == [])
    }
}
