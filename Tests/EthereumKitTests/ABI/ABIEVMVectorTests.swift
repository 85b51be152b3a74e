import Foundation
import Testing
@testable import EthereumKit

/// Decoding what a real EVM produced: a Vyper contract run on py-evm (scripts/vectors/gen_abi_evm.py),
/// checked against web3's decoding of the same logs, return data and reverts.
@Suite struct ABIEVMVectorTests {
    static func load() throws -> (file: [String: Any], abi: ContractABI) {
        let file = try ABIVectors.load("abi_evm")
        let abiJSON = try JSONSerialization.data(withJSONObject: try #require(file["abi"]))
        return (file, try ContractABI(json: Array(abiJSON)))
    }

    @Test func decodesLogsEmittedByTheEVM() throws {
        let (file, abi) = try Self.load()
        let logs = try ABIVectors.cases(file, "logs")
        #expect(logs.count >= 30)
        for (index, log) in logs.enumerated() {
            let topics = try (try #require(log["topics"] as? [Any])).map { try ABIVectors.bytes($0) }
            let decoded = try #require(try abi.decodeLog(topics: topics, data: try ABIVectors.bytes(log["data"])))
            #expect(decoded.event.name == log["event"] as? String)
            let expected = try #require(log["values"] as? [String: Any])
            for input in decoded.event.inputs {
                let json = try #require(expected[input.name])
                let value = input.indexed && ABIEvent.isHashedWhenIndexed(input.type)
                    ? ABIValue.fixedBytes(try ABIVectors.bytes(json))
                    : try ABIVectors.value(json, as: input.type)
                #expect(decoded.values[input.name] == value, "log \(index) \(input.name)")
            }
        }
    }

    @Test func decodesReturnDataOfStructArrays() throws {
        let (file, abi) = try Self.load()
        let function = try abi.function("points")
        #expect(function.outputTypes.map(\.description) == ["uint256", "(int128,bool,string)[]", "string"])
        for (index, output) in try ABIVectors.cases(file, "outputs").enumerated() {
            let calldata = try ABIVectors.bytes(output["calldata"])
            let arguments = try function.decodeInput(calldata)
            #expect(try function.encodeCall(arguments) == calldata, "case \(index)")
            let values = try function.decodeOutput(try ABIVectors.bytes(output["returnData"]))
            #expect(values == (try ABIVectors.values(output["values"], as: function.outputTypes)), "case \(index)")
        }
    }

    @Test func decodesRevertReasonsRaisedByTheEVM() throws {
        let (file, abi) = try Self.load()
        for revert in try ABIVectors.cases(file, "reverts") {
            let reason = try #require(revert["reason"] as? String)
            #expect(abi.decodeRevert(try ABIVectors.bytes(revert["data"])) == .error(reason))
        }
    }
}
