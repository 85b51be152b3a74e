import BigInt
import Testing
@testable import EthereumKit

/// Cross-checks against eth-abi, web3 and eth-utils on the vectors of scripts/vectors/gen_abi.py.
@Suite struct ABIReferenceVectorTests {
    static func file() throws -> [String: Any] { try ABIVectors.load("abi") }

    @Test func encodesRandomTypeTreesExactlyAsEthAbi() throws {
        let cases = try ABIVectors.cases(try Self.file(), "encode")
        #expect(cases.count >= 300)
        for (index, vector) in cases.enumerated() {
            let types = try ABIVectors.types(vector["types"])
            let values = try ABIVectors.values(vector["values"], as: types)
            let expected = try ABIVectors.bytes(vector["encoded"])
            let encoded = try ABI.encode(values, as: types)
            #expect(encoded == expected, "case \(index): \(types)")
        }
    }

    @Test func decodesEthAbiEncodingsBackToTheSameValues() throws {
        let cases = try ABIVectors.cases(try Self.file(), "encode")
        for (index, vector) in cases.enumerated() {
            let types = try ABIVectors.types(vector["types"])
            let values = try ABIVectors.values(vector["values"], as: types)
            let decoded = try ABI.decode(types, from: try ABIVectors.bytes(vector["encoded"]))
            #expect(decoded == values, "case \(index): \(types)")
        }
    }

    @Test func rejectsExactlyTheMutatedEncodingsEthAbiRejects() throws {
        let cases = try ABIVectors.cases(try Self.file(), "invalid")
        var rejected = 0
        for (index, vector) in cases.enumerated() {
            let types = try ABIVectors.types(vector["types"])
            let data = try ABIVectors.bytes(vector["data"])
            let label = "case \(index) (\(vector["mutation"] ?? "")): \(types) \(Hex.encode(data))"
            if vector["valid"] as? Bool == true {
                let expected = try ABIVectors.values(vector["values"], as: types)
                #expect(try ABI.decode(types, from: data) == expected, "\(label)")
            } else {
                rejected += 1
                #expect(throws: ABIDecodingError.self, "\(label) (eth-abi: \(vector["error"] ?? ""))") {
                    try ABI.decode(types, from: data)
                }
            }
        }
        #expect(rejected >= 200)
    }

    @Test func packsValuesAsSolidityEncodePackedDoes() throws {
        let cases = try ABIVectors.cases(try Self.file(), "packed")
        for (index, vector) in cases.enumerated() {
            let types = try ABIVectors.types(vector["types"])
            let values = try ABIVectors.values(vector["values"], as: types)
            let packed = try ABI.encodePacked(values, as: types)
            #expect(packed == (try ABIVectors.bytes(vector["packed"])), "case \(index): \(types)")
            #expect(Keccak256.hash(packed) == (try ABIVectors.bytes(vector["keccak"])), "case \(index)")
        }
    }

    @Test func computesSelectorsAndTopicsAsEthUtils() throws {
        let cases = try ABIVectors.cases(try Self.file(), "selectors")
        for vector in cases {
            let signature = try #require(vector["signature"] as? String)
            let human = try #require(vector["humanReadable"] as? String)
            let selector = try ABIVectors.bytes(vector["selector"])
            let topic = try ABIVectors.bytes(vector["topic"])

            let canonical = try ABIFunction(parsing: signature)
            #expect(canonical.signature == signature)
            #expect(canonical.selector == selector, "\(signature)")
            let readable = try ABIFunction(parsing: human)
            #expect(readable.signature == signature, "\(human)")
            #expect(readable.selector == selector)
            #expect(try ABIError(parsing: signature).selector == selector)
            #expect(try ABIEvent(parsing: signature).topic0 == topic, "\(signature)")
        }
    }

    @Test func decodesRandomLogsAsWeb3Does() throws {
        let cases = try ABIVectors.cases(try Self.file(), "logs")
        for (index, vector) in cases.enumerated() {
            let event = try ABIEvent(parsing: try #require(vector["event"] as? String))
            let topics = try (try #require(vector["topics"] as? [Any])).map { try ABIVectors.bytes($0) }
            let data = try ABIVectors.bytes(vector["data"])
            let hashed = try #require(vector["hashed"] as? [Bool])
            let expectedJSON = try #require(vector["values"] as? [Any])
            var expected: [ABIValue] = []
            for (position, input) in event.inputs.enumerated() {
                expected.append(hashed[position]
                    ? .fixedBytes(try ABIVectors.bytes(expectedJSON[position]))
                    : try ABIVectors.value(expectedJSON[position], as: input.type))
            }
            let decoded = try event.decodeLog(topics: topics, data: data)
            #expect(decoded.values == expected, "case \(index): \(event.humanReadable)")
            for (position, input) in event.inputs.enumerated() {
                #expect(decoded[input.name] == expected[position])
            }
        }
    }
}
