import BigInt
import Testing
@testable import EthereumKit

@Suite struct ABISignatureTests {
    @Test func computesWellKnownSelectorsAndTopics() throws {
        #expect(try ABIFunction(parsing: "transfer(address,uint256)").selectorHex == "0xa9059cbb")
        #expect(try ABIFunction(parsing: "function balanceOf(address owner) view returns (uint256)").selectorHex == "0x70a08231")
        #expect(Hex.encode(try ABIEvent(parsing: "event Transfer(address indexed from, address indexed to, uint256 value)").topic0)
            == "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef")
        #expect(Hex.encode(try ABIError(parsing: "error Error(string)").selector) == "0x08c379a0")
        #expect(try ABIError(parsing: "Panic(uint256)").selector == RevertReason.panicSelector)
    }

    @Test func readsHumanReadableFunctionSignatures() throws {
        let function = try ABIFunction(parsing: "function balanceOf(address owner) external view returns (uint256 balance)")
        #expect(function.name == "balanceOf")
        #expect(function.signature == "balanceOf(address)")
        #expect(function.inputs == [ABIParameter("owner", type: .address)])
        #expect(function.outputs == [ABIParameter("balance", type: .uint256)])
        #expect(function.stateMutability == .view)
        #expect(function.humanReadable == "function balanceOf(address owner) view returns (uint256 balance)")

        let cast = try ABIFunction(parsing: "balanceOf(address)(uint256)")
        #expect(cast.signature == "balanceOf(address)")
        #expect(cast.outputTypes == [.uint256])

        let payable = try ABIFunction(parsing: "function deposit(address payable to, bytes calldata data) payable")
        #expect(payable.signature == "deposit(address,bytes)")
        #expect(payable.stateMutability == .payable)
    }

    @Test func keepsNestedTupleComponentNames() throws {
        let function = try ABIFunction(parsing: "function f((uint256 a, (bool b, string c)[] inner) memory s, uint8)")
        #expect(function.signature == "f((uint256,(bool,string)[]),uint8)")
        let s = function.inputs[0]
        #expect(s.name == "s")
        #expect(s.components.map(\.name) == ["a", "inner"])
        #expect(s.components[1].components.map(\.name) == ["b", "c"])
        #expect(function.inputs[1].name == "")
    }

    @Test func readsEventsWithIndexedAndAnonymous() throws {
        let event = try ABIEvent(parsing: "event Swap(address indexed sender, uint amount0, string note) anonymous")
        #expect(event.signature == "Swap(address,uint256,string)")
        #expect(event.anonymous)
        #expect(event.inputs.map(\.indexed) == [true, false, false])
        #expect(event.topicCount == 1)
        #expect(event.humanReadable == "event Swap(address indexed sender, uint256 amount0, string note) anonymous")
    }

    @Test func readsCustomErrors() throws {
        let error = try ABIError(parsing: "error InsufficientFunds(uint256 available, uint256 required)")
        #expect(error.signature == "InsufficientFunds(uint256,uint256)")
        #expect(error.inputs.map(\.name) == ["available", "required"])
        let data = try error.encode([1, 2])
        #expect(Array(data.prefix(4)) == error.selector)
        #expect(try error.decode(data) == [1, 2])
    }

    @Test(arguments: [
        ("transfer(address", "function signature", "missing ')'"),
        ("transfer address)", "function signature", "expected '('"),
        ("function (uint256)", "function signature", "expected a function name"),
        ("f(uint256 indexed a)", "function signature", "only allowed on event parameters"),
        ("f(uint256) returns", "function signature", "expected '('"),
        ("f(uint256) banana", "function signature", "unexpected \"banana\""),
        ("f(uint7)", "function signature", "invalid bit size 7"),
        ("f(uint256 a b)", "function signature", "after parameter name"),
        ("event E(uint256 indexed indexed a)", "event signature", "given twice"),
        ("event E(uint256) extra", "event signature", "unexpected \"extra\""),
        ("error E(uint256", "error signature", "missing ')'"),
    ])
    func rejectsMalformedSignaturesWithAClearReason(text: String, kind: String, reason: String) {
        let error: ABIParsingError?
        do {
            switch kind {
            case "event signature": _ = try ABIEvent(parsing: text)
            case "error signature": _ = try ABIError(parsing: text)
            default: _ = try ABIFunction(parsing: text)
            }
            error = nil
        } catch let caught {
            error = caught
        }
        #expect(error?.subject == kind)
        #expect(error?.description.contains(reason) == true, "\(error?.description ?? "no error")")
    }

    @Test func encodesCallsAndDecodesThemBack() throws {
        let function = try ABIFunction(parsing: "function f(uint256 a, address[] b, (bool, string) c) returns (bool)")
        let first = try Address(hex: "0x00000000000000000000000000000000000000aa")
        let second = try Address(hex: "0x00000000000000000000000000000000000000bb")
        let arguments: [ABIValue] = [1, [.address(first), .address(second)], .tuple([true, "hi"])]
        let calldata = try function.encodeCall(arguments)
        #expect(Array(calldata.prefix(4)) == function.selector)
        #expect(Array(calldata.dropFirst(4)) == (try ABI.encode(arguments, as: function.inputTypes)))
        #expect(try function.decodeInput(calldata) == arguments)

        let parsed = try function.encodeCall(parsing: ["1", "[0x00000000000000000000000000000000000000aa, 0x00000000000000000000000000000000000000bb]", "(true,hi)"])
        #expect(parsed == calldata)
        #expect(try function.encodeArguments(parsing: ["1", "[]", "(true, 'a, b')"])
            == (try ABI.encode([1, [], .tuple([true, "a, b"])], as: function.inputTypes)))

        let output = try function.encodeOutput([true])
        #expect(try function.decodeOutput(output) == [true])
        #expect(try function.decodeNamedOutput(output)[0] == true)
    }

    @Test func refusesCallsWithTheWrongArgumentsOrSelector() throws {
        let function = try ABIFunction(parsing: "transfer(address,uint256)")
        #expect(throws: ABIEncodingError.self) { try function.encodeCall([1]) }
        do {
            _ = try function.encodeCall([1])
        } catch {
            #expect(error.description == "cannot ABI-encode as transfer(address,uint256): transfer takes 2 arguments, got 1")
        }
        #expect(throws: ABIEncodingError.self) { try function.encodeCall([1, 2]) }
        #expect(throws: ABIParsingError.self) { try function.encodeCall(parsing: ["0x12", "1"]) }
        #expect(throws: ABIParsingError.self) { try function.encodeCall(parsing: ["1"]) }
        do {
            _ = try function.decodeInput([0xde, 0xad, 0xbe, 0xef] + [UInt8](repeating: 0, count: 64))
            Issue.record("decoded calldata with the wrong selector")
        } catch {
            #expect(error.kind == .selectorMismatch)
            #expect(error.description.contains("expected selector 0xa9059cbb, got 0xdeadbeef"))
        }
        #expect(throws: ABIDecodingError.self) { try function.decodeInput([0xa9, 0x05]) }
    }
}
