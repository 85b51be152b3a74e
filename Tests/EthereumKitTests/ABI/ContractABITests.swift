import BigInt
import Foundation
import Testing
@testable import EthereumKit

@Suite struct ContractABITests {
    static let json = """
    [
      {"type": "constructor", "stateMutability": "nonpayable",
       "inputs": [{"name": "name_", "type": "string", "internalType": "string"}, {"name": "supply", "type": "uint256"}]},
      {"type": "function", "name": "transfer", "stateMutability": "nonpayable",
       "inputs": [{"name": "to", "type": "address"}, {"name": "amount", "type": "uint256"}],
       "outputs": [{"name": "", "type": "bool"}]},
      {"type": "function", "name": "transfer", "stateMutability": "nonpayable",
       "inputs": [{"name": "to", "type": "address"}], "outputs": []},
      {"name": "balanceOf", "constant": true,
       "inputs": [{"name": "owner", "type": "address"}], "outputs": [{"name": "balance", "type": "uint256"}]},
      {"type": "function", "name": "submit", "stateMutability": "payable",
       "inputs": [{"name": "orders", "type": "tuple[]", "internalType": "struct Book.Order[]",
                   "components": [{"name": "maker", "type": "address"}, {"name": "amounts", "type": "uint256[2]"},
                                  {"name": "meta", "type": "tuple", "components": [{"name": "note", "type": "string"}]}]}],
       "outputs": [{"name": "ids", "type": "uint64[]"}]},
      {"type": "event", "name": "Transfer", "anonymous": false,
       "inputs": [{"name": "from", "type": "address", "indexed": true}, {"name": "to", "type": "address", "indexed": true},
                  {"name": "value", "type": "uint256", "indexed": false}]},
      {"type": "error", "name": "InsufficientBalance",
       "inputs": [{"name": "available", "type": "uint256"}, {"name": "required", "type": "uint256"}]},
      {"type": "fallback", "stateMutability": "payable"},
      {"type": "receive", "stateMutability": "payable"}
    ]
    """

    @Test func readsEveryKindOfEntryFromTheJSONABI() throws {
        let abi = try ContractABI(json: Self.json)
        #expect(abi.functions.count == 4)
        #expect(abi.events.map(\.name) == ["Transfer"])
        #expect(abi.errors.map(\.signature) == ["InsufficientBalance(uint256,uint256)"])
        #expect(abi.constructor?.inputs.map(\.type) == [.string, .uint256])
        #expect(abi.constructor?.inputs.first?.internalType == "string")
        #expect(abi.fallback == .payable)
        #expect(abi.hasReceive)
        #expect(try abi.function("balanceOf").stateMutability == .view)

        let submit = try abi.function("submit")
        #expect(submit.signature == "submit((address,uint256[2],(string))[])")
        #expect(submit.inputs[0].internalType == "struct Book.Order[]")
        #expect(submit.inputs[0].components.map(\.name) == ["maker", "amounts", "meta"])
        #expect(submit.inputs[0].components[2].components.map(\.name) == ["note"])
        #expect(submit.inputs[0].type.innermostElement.componentNames == ["maker", "amounts", "meta"])
    }

    @Test func readsTheABIOutOfACompilerArtifact() throws {
        let artifact = "{\"contractName\": \"Token\", \"abi\": \(Self.json), \"bytecode\": \"0x6000\"}"
        #expect(try ContractABI(json: artifact).functions.count == 4)
    }

    @Test func roundTripsThroughJSON() throws {
        let abi = try ContractABI(json: Self.json)
        let encoded = try JSONEncoder().encode(abi)
        let decoded = try ContractABI(json: Array(encoded))
        #expect(decoded == abi)
        #expect(decoded.functions.map(\.signature) == abi.functions.map(\.signature))
        #expect(decoded.events[0].inputs.map(\.indexed) == [true, true, false])
    }

    @Test func looksUpOverloadsBySignatureAndComplainsWhenAmbiguous() throws {
        let abi = try ContractABI(json: Self.json)
        #expect(abi.functions(named: "transfer").count == 2)
        #expect(try abi.function("transfer(address)").inputs.count == 1)
        #expect(try abi.function("transfer(address to, uint amount)").outputs.count == 1)
        do {
            _ = try abi.function("transfer")
            Issue.record("an overloaded name resolved")
        } catch {
            #expect(error.description == "function \"transfer\" is overloaded; name one of: transfer(address,uint256), transfer(address)")
        }
        #expect(throws: ContractABI.LookupError.self) { try abi.function("mint") }
        #expect(throws: ContractABI.LookupError.self) { try abi.function("transfer(uint256)") }
    }

    @Test func looksUpBySelectorAndTopic() throws {
        let abi = try ContractABI(json: Self.json)
        #expect(abi.function(selector: [0xa9, 0x05, 0x9c, 0xbb])?.signature == "transfer(address,uint256)")
        #expect(abi.function(selector: [0, 0, 0, 0]) == nil)
        let transfer = try abi.event("Transfer")
        #expect(abi.event(topic: transfer.topic0) == transfer)
        let error = try #require(abi.error(named: "InsufficientBalance"))
        #expect(abi.error(selector: error.selector) == error)
    }

    @Test func decodesCallsLogsAndRevertsAgainstTheABI() throws {
        let abi = try ContractABI(json: Self.json)
        let to = try Address(hex: "0x00000000000000000000000000000000000000aa")
        let calldata = try abi.function("transfer(address,uint256)").encodeCall([.address(to), 5])
        let call = try #require(try abi.decodeCall(calldata))
        #expect(call.function.name == "transfer")
        #expect(call.arguments["amount"] == 5)

        let event = try abi.event("Transfer")
        let from = try Address(hex: "0x00000000000000000000000000000000000000bb")
        let topics = [event.topic0, try ABI.encode(.address(from), as: .address), try ABI.encode(.address(to), as: .address)]
        let log = try #require(try abi.decodeLog(topics: topics, data: try ABI.encode(7, as: .uint256)))
        #expect(log.event.name == "Transfer")
        #expect(log.values["from"] == .address(from))
        #expect(log.values["value"] == 7)
        #expect(try abi.decodeLog(topics: [[UInt8](repeating: 1, count: 32)], data: []) == nil)

        let revert = try abi.errors[0].encode([1, 2])
        #expect(abi.decodeRevert(revert) == .custom(abi.errors[0], [1, 2]))
    }

    @Test func encodesDeploymentDataWithConstructorArguments() throws {
        let abi = try ContractABI(json: Self.json)
        let constructor = try #require(abi.constructor)
        let data = try constructor.encodeDeployment(bytecode: [0x60, 0x00], arguments: ["Token", 1000])
        #expect(Array(data.prefix(2)) == [0x60, 0x00])
        #expect(try ABI.decode([.string, .uint256], from: data.dropFirst(2)) == ["Token", 1000])
        #expect(throws: ABIEncodingError.self) { try constructor.encodeDeployment(bytecode: [], arguments: ["x"]) }
    }

    @Test func buildsFromHumanReadableSignatures() throws {
        let abi = try ContractABI(humanReadable: [
            "function transfer(address to, uint256 amount) returns (bool)",
            "event Transfer(address indexed from, address indexed to, uint256 value)",
            "error Unauthorized(address caller)",
            "constructor(string name, uint8 decimals) payable",
            "fallback() external",
            "receive() external payable",
        ])
        #expect(abi.constructor?.stateMutability == .payable)
        #expect(abi.fallback == .nonpayable)
        #expect(abi.hasReceive)
        #expect(abi.functions.map(\.signature) == ["transfer(address,uint256)"])
        #expect(abi.events.map(\.signature) == ["Transfer(address,address,uint256)"])
        #expect(abi.errors.map(\.signature) == ["Unauthorized(address)"])
        #expect(abi.constructor?.inputs.map(\.name) == ["name", "decimals"])
    }

    @Test func reportsMalformedJSONWithThePath() {
        do {
            _ = try ContractABI(json: "[{\"type\": \"function\", \"name\": \"f\", \"inputs\": [{\"name\": \"a\", \"type\": \"uint7\"}]}]")
            Issue.record("accepted uint7")
        } catch {
            #expect(error.description.contains("invalid JSON ABI"))
            #expect(error.description.contains("uint7"))
        }
        #expect(throws: ContractABI.LookupError.self) { try ContractABI(json: "{\"not\": \"an abi\"}") }
        #expect(throws: ContractABI.LookupError.self) { try ContractABI(json: "[{\"type\": \"function\", \"name\": \"f\", \"inputs\": [{\"type\": \"tuple\"}]}]") }
    }
}
