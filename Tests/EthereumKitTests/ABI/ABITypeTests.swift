import Testing
@testable import EthereumKit

@Suite struct ABITypeTests {
    @Test(arguments: [
        ("uint256", "uint256"), ("uint", "uint256"), ("int", "int256"), ("int8", "int8"), ("address", "address"),
        ("bool", "bool"), ("bytes", "bytes"), ("bytes32", "bytes32"), ("byte", "bytes1"), ("string", "string"),
        ("uint8[]", "uint8[]"), ("uint8[3]", "uint8[3]"), ("uint8[2][]", "uint8[2][]"),
        ("(address,uint256)", "(address,uint256)"), ("(address,uint256)[2]", "(address,uint256)[2]"),
        ("tuple(uint, bool)[]", "(uint256,bool)[]"), ("( uint256 , (bool,string)[] )", "(uint256,(bool,string)[])"),
        ("()", "()"), ("(uint256 amount, address to)", "(uint256,address)"),
    ])
    func parsesTypeStringsIntoTheirCanonicalForm(input: String, canonical: String) throws {
        let type = try ABIType(parsing: input)
        #expect(type.description == canonical)
        #expect(try ABIType(parsing: canonical) == type)
    }

    @Test func keepsTupleComponentNamesWithoutMakingThemPartOfTheType() throws {
        let named = try ABIType(parsing: "(uint256 amount, address to)")
        #expect(named.componentNames == ["amount", "to"])
        #expect(named == .tuple([.uint256, .address]))
        #expect(named.hashValue == ABIType.tuple([.uint256, .address]).hashValue)
        #expect(named.withoutNames.componentNames == nil)
    }

    @Test func knowsWhichTypesAreDynamicAndHowBigTheirHeadIs() throws {
        let cases: [(String, Bool, Int)] = [
            ("uint8", false, 32), ("bytes", true, 32), ("string", true, 32), ("uint256[]", true, 32),
            ("uint256[3]", false, 96), ("string[2]", true, 32), ("(uint256,bool)", false, 64),
            ("(uint256,string)", true, 32), ("(uint256,bool)[2][3]", false, 384), ("()", false, 0),
        ]
        for (text, dynamic, head) in cases {
            let type = try ABIType(parsing: text)
            #expect(type.isDynamic == dynamic, "\(text)")
            #expect(type.headSize == head, "\(text)")
        }
    }

    @Test(arguments: [
        ("uint7", "invalid bit size 7"), ("int264", "invalid bit size 264"), ("uint0", "invalid bit size 0"),
        ("bytes0", "invalid size 0"), ("bytes33", "invalid size 33"), ("(uint256", "unbalanced parentheses"),
        ("uint256)", "unbalanced parentheses"), ("((uint256)", "unbalanced parentheses"), ("foo", "unknown type \"foo\""),
        ("uint256[", "unterminated array suffix"), ("uint256[0]", "must be positive"), ("uint256[x]", "expected an array length"),
        ("", "expected a type"), ("fixed128x18", "fixed-point types are not supported"), ("uint256 uint256", "unexpected"),
        ("(uint256,,bool)", "expected a type"), ("uint99999999999999999999", "unknown type"),
    ])
    func rejectsMalformedTypeStringsWithAReasonNamingTheProblem(input: String, reason: String) {
        do {
            let type = try ABIType(parsing: input)
            Issue.record("\"\(input)\" parsed as \(type)")
        } catch {
            #expect(error.description.contains(reason), "\(error.description)")
            #expect(error.description.contains("\"\(input)\""))
            #expect(!error.description.contains("\n"))
        }
    }

    @Test func refusesNestingDeepEnoughToExhaustTheStack() {
        let deep = String(repeating: "(", count: 10_000) + "uint256" + String(repeating: ")", count: 10_000)
        #expect(throws: ABIParsingError.self) { try ABIType(parsing: deep) }
        let deepArrays = "uint256" + String(repeating: "[]", count: 10_000)
        #expect(throws: ABIParsingError.self) { try ABIType(parsing: deepArrays) }
        #expect((try? ABIType(parsing: "uint256" + String(repeating: "[]", count: 60))) != nil)
    }
}
