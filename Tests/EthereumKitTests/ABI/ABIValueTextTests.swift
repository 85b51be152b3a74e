import BigInt
import Testing
@testable import EthereumKit

/// Command-line value syntax (as `cast abi-encode` takes it) and `cast abi-decode` output.
@Suite struct ABIValueTextTests {
    static func parse(_ text: String, _ type: String) throws(ABIParsingError) -> ABIValue {
        try ABIValue(parsing: text, as: try ABIType(parsing: type))
    }

    @Test func readsNumbersInEveryNotationCastAccepts() throws {
        #expect(try Self.parse("42", "uint256") == 42)
        #expect(try Self.parse("0x2a", "uint8") == 42)
        #expect(try Self.parse("0X2A", "uint8") == 42)
        #expect(try Self.parse("0b101010", "uint8") == 42)
        #expect(try Self.parse("0o52", "uint8") == 42)
        #expect(try Self.parse("-42", "int8") == .int(-42))
        #expect(try Self.parse("+42", "int8") == .int(42))
        #expect(try Self.parse("-128", "int8") == .int(-128))
        #expect(try Self.parse("1 ether", "uint256") == .uint(BigUInt(10).power(18)))
        #expect(try Self.parse("1.5gwei", "uint256") == .uint(1_500_000_000))
        #expect(try Self.parse("4.2e1", "uint256") == 42)
        #expect(try Self.parse("1e18", "uint256") == .uint(BigUInt(10).power(18)))
        #expect(try Self.parse("115792089237316195423570985008687907853269984665640564039457584007913129639935", "uint256")
            == .uint((BigUInt(1) << 256) - 1))
    }

    @Test(arguments: [
        ("256", "uint8", "too large for uint8"), ("128", "int8", "out of range for int8"), ("-129", "int8", "out of range"),
        ("-1", "uint8", "expected a number"), ("12abc", "uint256", "unknown unit"), ("0x", "uint8", "digits after the prefix"),
        ("0.5", "uint256", "fractional value not allowed"), ("0.0000000001 gwei", "uint256", "more than 9 decimals"),
        ("1" + String(repeating: "0", count: 80), "uint256", "too large"), ("yes", "bool", "expected true or false"),
        ("0x1234", "address", "40 hex digits"), ("0x12", "bytes2", "needs 4 hex digits"), ("0x123", "bytes", "odd number"),
        ("[1,2", "uint8[]", "missing ']'"), ("[1,2]", "uint8[3]", "expected 3 elements, got 2"),
        ("(1)", "(uint8,bool)", "expected 2 tuple components, got 1"), ("(1,true,3)", "(uint8,bool)", "more than 2"),
        ("1 2", "uint8", "unexpected"), ("\"abc", "string[]", "expected '['"), ("[\"abc]", "string[]", "unterminated"),
    ])
    func rejectsMalformedValuesNamingTheType(text: String, type: String, reason: String) {
        do {
            let value = try Self.parse(text, type)
            Issue.record("\(text) parsed as \(value)")
        } catch {
            #expect(error.description.contains(reason), "\(error)")
            #expect(error.description.contains("value for "))
        }
    }

    @Test func readsBracketedArraysParenthesizedTuplesAndQuotedStrings() throws {
        let value = try Self.parse("[(1, \"a, b\"), (2,c d ), (3,'x)y')]", "(uint8,string)[]")
        #expect(value == [.tuple([1, "a, b"]), .tuple([2, "c d"]), .tuple([3, "x)y"])])
        #expect(try Self.parse("[]", "uint8[]") == [])
        #expect(try Self.parse("[[1],[2,3]]", "uint8[][]") == [[1], [2, 3]])
        #expect(try Self.parse("(true,hi)", "(bool,string)") == .tuple([true, "hi"]))
        #expect(try Self.parse("hello world", "string") == "hello world")
        #expect(try Self.parse("0x", "bytes") == .bytes([]))
        #expect(try Self.parse("abcd", "bytes2") == .fixedBytes([0xab, 0xcd]))
    }

    @Test func formatsValuesAsCastAbiDecodePrintsThem() throws {
        #expect(ABIValue.uint(0).formatted() == "0")
        #expect(ABIValue.uint(1234).formatted() == "1234")
        #expect(ABIValue.uint(10_000).formatted() == "10000 [1e4]")
        #expect(ABIValue.uint(1_234_567_890).formatted() == "1234567890 [1.234e9]")
        #expect(ABIValue.uint(BigUInt(10).power(18)).formatted() == "1000000000000000000 [1e18]")
        #expect(ABIValue.int(-1_234_567_890).formatted() == "-1234567890 [-1.234e9]")
        #expect(ABIValue.int(-5).formatted() == "-5")
        #expect(ABIValue.string("say \"hi\"\n").formatted() == "\"say \\\"hi\\\"\\n\"")
        #expect(ABIValue.bytes([0xde, 0xad]).formatted() == "0xdead")
        #expect(ABIValue.array([1, 2, .tuple([true, "x"])]).formatted() == "[1, 2, (true, \"x\")]")
        #expect(ABIValue.uint(1_234_567_890).formatted(.raw) == "1234567890")
    }

    @Test func printsAddressesChecksummed() throws {
        let address = try Address(hex: "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed")
        #expect(ABIValue.address(address).formatted() == "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")
    }

    @Test func rawFormattingReadsBack() throws {
        let type = try ABIType(parsing: "(uint256,int8,bool,bytes,string,uint8[])[]")
        let value: ABIValue = [.tuple([.uint(BigUInt(10).power(30)), -7, true, .bytes([1, 2]), "a, (b)", [1, 2]])]
        #expect(try ABIValue(parsing: value.formatted(.raw), as: type) == value)
    }

    @Test func writesJSONAsCastAbiDecodeJsonDoes() {
        let value: ABIValue = [.uint(BigUInt(1) << 64), 5, .int(-3), .tuple([true, "a\"b\n"]), .bytes([0xab])]
        #expect(value.jsonText() == "[\"18446744073709551616\",5,-3,[true,\"a\\\"b\\n\"],\"0xab\"]")
    }
}
