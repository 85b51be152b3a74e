import BigInt
import Testing
@testable import EthereumKit

@Suite struct ABILogDecodingTests {
    static let transfer = Result { try ABIEvent(parsing: "event Transfer(address indexed from, address indexed to, uint256 value)") }

    static func address(_ last: UInt8) throws -> Address {
        try Address(hex: Hex.encode([UInt8](repeating: 0, count: 19) + [last]))
    }

    @Test func decodesIndexedInputsFromTopicsAndTheRestFromData() throws {
        let event = try Self.transfer.get()
        let topics = [event.topic0, try ABI.encode(.address(try Self.address(1)), as: .address),
                      try ABI.encode(.address(try Self.address(2)), as: .address)]
        let values = try event.decodeLog(topics: topics, data: try ABI.encode(1000, as: .uint256))
        #expect(values.values == [.address(try Self.address(1)), .address(try Self.address(2)), 1000])
        #expect(values["to"] == .address(try Self.address(2)))
        #expect(values.named.map(\.name) == ["from", "to", "value"])
    }

    @Test func refusesLogsWhoseTopicsDoNotMatchTheEvent() throws {
        let event = try Self.transfer.get()
        let word = [UInt8](repeating: 0, count: 32)
        do {
            _ = try event.decodeLog(topics: [event.topic0, word], data: word)
            Issue.record("decoded with a missing topic")
        } catch {
            #expect(error.kind == .topicMismatch)
            #expect(error.description.contains("expected 3 topics, got 2"))
        }
        do {
            _ = try event.decodeLog(topics: [word, word, word], data: word)
            Issue.record("decoded with the wrong topic 0")
        } catch {
            #expect(error.kind == .topicMismatch)
        }
        var dirty = word
        dirty[0] = 1
        #expect(throws: ABIDecodingError.self) { try event.decodeLog(topics: [event.topic0, dirty, word], data: word) }
        #expect(throws: ABIDecodingError.self) { try event.decodeLog(topics: [event.topic0, word, word], data: []) }
    }

    @Test func keepsDynamicIndexedInputsAsTheirHash() throws {
        let event = try ABIEvent(parsing: "event Named(string indexed name, uint256[] indexed ids, (uint8,string) indexed pair, bytes data)")
        let nameTopic = try ABIEvent.topic(for: "alice", as: .string)
        #expect(nameTopic == Keccak256.hash(Array("alice".utf8)))
        let idsTopic = try ABIEvent.topic(for: [1, 2], as: .array(.uint256))
        #expect(idsTopic == Keccak256.hash(try ABI.encode(1, as: .uint256) + (try ABI.encode(2, as: .uint256))))
        let pairTopic = try ABIEvent.topic(for: .tuple([7, "hi"]), as: .tuple([.uint(8), .string]))
        #expect(pairTopic == Keccak256.hash(try ABI.encode(7, as: .uint256) + [0x68, 0x69] + [UInt8](repeating: 0, count: 30)))

        let values = try event.decodeLog(topics: [event.topic0, nameTopic, idsTopic, pairTopic],
                                         data: try ABI.encode(.bytes([1]), as: .bytes))
        #expect(values.values == [.fixedBytes(nameTopic), .fixedBytes(idsTopic), .fixedBytes(pairTopic), .bytes([1])])
    }

    @Test func decodesAnonymousEventsWithoutTopicZero() throws {
        let event = try ABIEvent(parsing: "event Ping(uint8 indexed id, string note) anonymous")
        let values = try event.decodeLog(topics: [try ABI.encode(9, as: .uint(8))], data: try ABI.encode("pong", as: .string))
        #expect(values.values == [9, "pong"])
        #expect(throws: ABIDecodingError.self) { try event.decodeLog(topics: [], data: []) }
    }

    @Test func buildsTopicFiltersForIndexedValues() throws {
        let event = try Self.transfer.get()
        let topics = try event.encodeTopics([nil, .address(try Self.address(2))])
        #expect(topics.count == 3)
        #expect(topics[0] == event.topic0)
        #expect(topics[1] == nil)
        #expect(topics[2] == (try ABI.encode(.address(try Self.address(2)), as: .address)))
        #expect(throws: ABIEncodingError.self) { try event.encodeTopics([nil, nil, 1]) }
        #expect(throws: ABIEncodingError.self) { try event.encodeTopics(["not an address"]) }
    }
}
