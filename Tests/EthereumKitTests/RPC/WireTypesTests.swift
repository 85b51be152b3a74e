import BigInt
import Foundation
import Testing
@testable import EthereumKit

@Suite("JSON-RPC wire types")
struct WireTypesTests {
    private func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(json.utf8))
    }

    private func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    @Test("quantities are minimal 0x hex both ways", arguments: [
        ("0x0", BigUInt(0)), ("0x1", BigUInt(1)), ("0x1a", BigUInt(26)), ("0x400", BigUInt(1024)),
        ("0xde0b6b3a7640000", BigUInt(10).power(18)),
        ("0x" + String(repeating: "f", count: 64), BigUInt(1) << 256 - 1),
    ])
    func quantityRoundTrip(hex: String, value: BigUInt) throws {
        #expect(try Quantity(hex: hex).value == value)
        #expect(Quantity(value).hex == hex)
        #expect(try decode(Quantity.self, "\"\(hex)\"") == Quantity(value))
        #expect(try encode([Quantity(value)]) == "[\"\(hex)\"]")
    }

    @Test("malformed quantities are refused with the reason", arguments: [
        ("1a", "expected a 0x-prefixed hex quantity"), ("0x", "no hex digits after 0x"), ("0xzz", "non-hex character"),
        ("0x1" + String(repeating: "0", count: 64), "more than 256 bits"),
    ])
    func quantityRejects(text: String, reason: String) {
        let error = #expect(throws: QuantityError.self) { try Quantity(hex: text) }
        #expect(error?.reason == reason)
        #expect(error?.description == "invalid quantity \"\(text)\": \(reason)")
        #expect(throws: DecodingError.self) { try decode(Quantity.self, "\"\(text)\"") }
    }

    @Test("a quantity over 64 bits has no UInt64 value")
    func quantityWidth() throws {
        #expect(try Quantity(hex: "0xffffffffffffffff").uint64 == UInt64.max)
        #expect(try Quantity(hex: "0x10000000000000000").uint64 == nil)
    }

    @Test("block tags parse names, hex and decimal numbers", arguments: [
        ("latest", BlockTag.latest), ("pending", .pending), ("earliest", .earliest), ("safe", .safe),
        ("finalized", .finalized), ("0x10", .number(16)), ("16", .number(16)), ("LATEST", .latest),
    ])
    func blockTags(text: String, tag: BlockTag) throws {
        #expect(try BlockTag(parsing: text) == tag)
    }

    @Test("block tags encode as their wire names")
    func blockTagEncoding() throws {
        #expect(try encode([BlockTag.latest, .number(255), .finalized]) == "[\"latest\",\"0xff\",\"finalized\"]")
        #expect(throws: BlockTagError.self) { try BlockTag(parsing: "yesterday") }
    }

    @Test("a geth receipt decodes with logs, status and effective gas price")
    func receipt() throws {
        let json = """
        {"blockHash":"0x\(String(repeating: "11", count: 32))","blockNumber":"0x1b4","contractAddress":null,
         "cumulativeGasUsed":"0x33bc","effectiveGasPrice":"0x4a817c800","from":"0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266",
         "gasUsed":"0x4dc","logs":[{"address":"0x5fbdb2315678afecb367f032d93f642f64180aa3","topics":
         ["0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"],"data":"0x0000000000000000000000000000000000000000000000000000000000000001",
         "blockNumber":"0x1b4","transactionHash":"0x\(String(repeating: "22", count: 32))","transactionIndex":"0x0",
         "blockHash":"0x\(String(repeating: "11", count: 32))","logIndex":"0x0","removed":false}],
         "logsBloom":"0x00","status":"0x1","to":"0x5fbdb2315678afecb367f032d93f642f64180aa3",
         "transactionHash":"0x\(String(repeating: "22", count: 32))","transactionIndex":"0x0","type":"0x2"}
        """
        let receipt = try decode(TransactionReceipt.self, json)
        #expect(receipt.blockNumber == 436)
        #expect(receipt.succeeded)
        #expect(receipt.type == 2)
        #expect(receipt.contractAddress == nil)
        #expect(receipt.effectiveGasPrice == BigUInt(20_000_000_000))
        #expect(receipt.logs.count == 1)
        #expect(receipt.logs[0].data.last == 1)
        #expect(receipt.logs[0].removed == false)
        // Round trip through our own encoding.
        let again = try decode(TransactionReceipt.self, try encode(receipt))
        #expect(again == receipt)
    }

    @Test("a receipt missing a required field names that field")
    func receiptMissingField() throws {
        let json = #"{"transactionHash":"0x\#(String(repeating: "22", count: 32))"}"#
        let error = #expect(throws: DecodingError.self) { try decode(TransactionReceipt.self, json) }
        let message = describeDecodingError(try #require(error), typeName: "TransactionReceipt")
        #expect(message == "cannot decode TransactionReceipt: missing field \"transactionIndex\"")
    }

    @Test("a block decodes with transaction hashes or full transactions")
    func blocks() throws {
        let header = """
        "number":"0x2","hash":"0x\(String(repeating: "aa", count: 32))","parentHash":"0x\(String(repeating: "bb", count: 32))",
        "timestamp":"0x65","gasLimit":"0x1c9c380","gasUsed":"0x5208","baseFeePerGas":"0x3b9aca00","logsBloom":"0x","extraData":"0x","uncles":[]
        """
        let withHashes = try decode(Block.self, "{\(header),\"transactions\":[\"0x\(String(repeating: "cc", count: 32))\"]}")
        #expect(withHashes.transactions == .hashes([try Hash32(hex: String(repeating: "cc", count: 32))]))
        #expect(withHashes.baseFeePerGas == BigUInt(1_000_000_000))

        let transaction = """
        {"hash":"0x\(String(repeating: "cc", count: 32))","type":"0x2","nonce":"0x0","from":"0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266",
         "to":null,"value":"0x0","gas":"0x5208","maxFeePerGas":"0x77359400","maxPriorityFeePerGas":"0x3b9aca00",
         "input":"0x6001","chainId":"0x7a69","accessList":[],"blockHash":"0x\(String(repeating: "aa", count: 32))",
         "blockNumber":"0x2","transactionIndex":"0x0","v":"0x1","r":"0x1","s":"0x2","yParity":"0x1"}
        """
        let full = try decode(Block.self, "{\(header),\"transactions\":[\(transaction)]}")
        guard case .full(let transactions) = full.transactions else {
            Issue.record("expected full transactions")
            return
        }
        #expect(transactions[0].to == nil)
        #expect(transactions[0].input == [0x60, 0x01])
        #expect(transactions[0].chainID == 31337)
        #expect(full.transactions.hashes == withHashes.transactions.hashes)
    }

    @Test("a log filter writes one address as a string and topic positions with null wildcards")
    func logFilterEncoding() throws {
        let address = try Address(hex: "0x5fbdb2315678afecb367f032d93f642f64180aa3")
        let topic = try Hash32(hex: String(repeating: "01", count: 32))
        let other = try Hash32(hex: String(repeating: "02", count: 32))
        let filter = LogFilter(
            fromBlock: .number(1), toBlock: .latest, addresses: [address], topics: [[topic], nil, [topic, other]])
        #expect(try encode(filter) == """
        {"address":"0x5fbdb2315678afecb367f032d93f642f64180aa3","fromBlock":"0x1","toBlock":"latest",\
        "topics":["\(topic.hex)",null,["\(topic.hex)","\(other.hex)"]]}
        """)
        let byHash = LogFilter(fromBlock: .number(1), blockHash: topic)
        #expect(try encode(byHash) == #"{"blockHash":"\#(topic.hex)"}"#)
    }

    @Test("a call request writes quantities as hex and calldata as data")
    func callRequestEncoding() throws {
        let request = CallRequest(
            from: try Address(hex: "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"), gas: 21000, value: 1, data: [0xab])
        #expect(try encode(request) == #"{"data":"0xab","from":"0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266","gas":"0x5208","value":"0x1"}"#)
    }

    @Test("revert data is found where each node puts it", arguments: [
        (#"{"code":3,"message":"execution reverted","data":"0x08c379a0"}"#, [UInt8]([0x08, 0xc3, 0x79, 0xa0])),
        (#"{"code":-32000,"message":"VM Exception","data":{"message":"revert","data":"0xdeadbeef"}}"#, [0xde, 0xad, 0xbe, 0xef]),
        (#"{"code":-32015,"message":"VM execution error.","data":"Reverted 0x01"}"#, [0x01]),
        (#"{"code":-32000,"message":"nonce too low"}"#, nil),
    ])
    func revertData(json: String, bytes: [UInt8]?) throws {
        let error = try decode(JSONRPCError.self, json)
        #expect(error.dataBytes == bytes)
    }

    @Test("a JSON-RPC error keeps data of any shape and describes itself in one line")
    func errorDescription() throws {
        var error = try decode(JSONRPCError.self, #"{"code":-32602,"message":"invalid params","data":{"field":"to","n":[1,2.5,null,true]}}"#)
        error.method = "eth_call"
        #expect(error.description == #"JSON-RPC error -32602 from eth_call: invalid params (data: {"field":"to","n":[1,2.5,null,true]})"#)
        #expect(error.data?["field"] == .string("to"))
        #expect(ContractRevert(rpcError: error) == nil)
    }

    @Test("the median tip ignores empty blocks")
    func medianTip() {
        let history = FeeHistory(
            oldestBlock: 1, baseFeePerGas: [7, 7, 7, 7], gasUsedRatio: [0.5, 0, 0.2],
            reward: [[3], [0], [5]])
        #expect(FeeEstimator.medianTip(history) == 5)
        let empty = FeeHistory(oldestBlock: 1, baseFeePerGas: [7, 7], gasUsedRatio: [0], reward: [[0]])
        #expect(FeeEstimator.medianTip(empty) == nil)
        #expect(FeeEstimator().fees(baseFee: 100, tip: 3) == .eip1559(maxFeePerGas: 203, maxPriorityFeePerGas: 3, baseFee: 100))
    }

    @Test("backoff grows exponentially, stays within bounds and honours Retry-After")
    func backoff() {
        let policy = RetryPolicy(maxAttempts: 5, initialBackoff: .milliseconds(100), maxBackoff: .milliseconds(300))
        for _ in 0..<50 {
            let first = policy.backoff(beforeRetry: 1)
            #expect(first >= .milliseconds(50) && first <= .milliseconds(100))
            let second = policy.backoff(beforeRetry: 2)
            #expect(second >= .milliseconds(100) && second <= .milliseconds(200))
            let capped = policy.backoff(beforeRetry: 6)
            #expect(capped >= .milliseconds(150) && capped <= .milliseconds(300))
        }
        #expect(policy.backoff(beforeRetry: 1, retryAfter: .seconds(10)) == .milliseconds(300))
    }
}
