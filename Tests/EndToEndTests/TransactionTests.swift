import BigInt
import EthereumKit
import Foundation
import Testing

@Suite("Sending transactions on the devchain", .devchain, .serialized)
struct TransactionTests {
    @Test("each transaction type is simulated, signed, sent, mined and readable back", arguments: [
        TransactionRequest.Kind.legacy, .accessList, .feeMarket,
    ])
    func sendEachType(kind: TransactionRequest.Kind) async throws {
        let sender = try Devchain.sender(1)
        let client = sender.client
        let recipient = try Address(hex: "0x000000000000000000000000000000000000beef")
        let balanceBefore = try await client.balance(of: recipient)
        let nonceBefore = try await client.nonce(of: sender.address)

        let pending = try await sender.send(TransactionRequest(kind: kind, to: recipient, value: 12_345))
        let receipt = try await client.waitForReceipt(pending.hash, timeout: .seconds(20))

        #expect(receipt.succeeded)
        #expect(receipt.transactionHash == pending.hash)
        #expect(receipt.from == sender.address)
        #expect(receipt.to == recipient)
        #expect(receipt.gasUsed == 21_000)
        #expect(receipt.type == UInt64(pending.signed.transaction.type))
        #expect(receipt.effectiveGasPrice != nil)
        #expect(try await client.balance(of: recipient) == balanceBefore + 12_345)
        #expect(try await client.nonce(of: sender.address) == nonceBefore + 1)

        let mined = try #require(try await client.transaction(byHash: pending.hash))
        #expect(mined.nonce == nonceBefore)
        #expect(mined.from == sender.address)
        #expect(mined.value == 12_345)
        #expect(mined.blockNumber == receipt.blockNumber)
        #expect(mined.type == receipt.type)
        // The gas limit was estimated (21000) plus the 20 % buffer.
        #expect(mined.gas == 25_200)
        if kind == .feeMarket {
            #expect(mined.maxFeePerGas != nil && mined.maxPriorityFeePerGas != nil)
        } else {
            #expect(mined.gasPrice == pending.signed.transaction.maxGasPrice)
        }

        let block = try #require(try await client.block(number: receipt.blockNumber, fullTransactions: true))
        #expect(block.transactions.hashes.contains(pending.hash))
    }

    @Test("twenty concurrent transfers from one account get distinct nonces and are all mined")
    func concurrentSenders() async throws {
        var configured = try Devchain.sender(2)
        configured.simulate = false
        let sender = configured
        let client = sender.client
        let start = try await client.nonce(of: sender.address, at: .pending)
        let recipient = try Address(hex: "0x000000000000000000000000000000000000c0de")
        let fees = try await FeeEstimator().estimate(using: client)

        let pendings = try await withThrowingTaskGroup(of: PendingTransaction.self) { group in
            for index in 0..<20 {
                group.addTask {
                    try await sender.send(TransactionRequest(
                        to: recipient, value: BigUInt(index + 1), gasLimit: 21_000,
                        maxFeePerGas: fees.maxCostPerGas, maxPriorityFeePerGas: 1))
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let nonces = pendings.map(\.signed.transaction.nonce).sorted()
        #expect(nonces == Array(start..<start + 20))

        var batch = JSONRPCBatch()
        let handles = pendings.map {
            batch.add(method: "eth_getTransactionReceipt", params: RPCParams($0.hash), as: TransactionReceipt?.self)
        }
        let answers = try await client.rpc.send(batch)
        for handle in handles {
            let receipt = try #require(try answers.result(handle))
            #expect(receipt.succeeded)
        }
        #expect(try await client.nonce(of: sender.address) == start + 20)
        #expect(try await client.balance(of: recipient) == BigUInt((1...20).reduce(0, +)))
    }

    @Test("the nonce manager resyncs after another client used its next nonce")
    func nonceResync() async throws {
        let sender = try Devchain.sender(3)
        let request = TransactionRequest(
            to: try Address(hex: "0x000000000000000000000000000000000000f00d"), value: 1, gasLimit: 21_000)
        _ = try await sender.sendAndWait(request)  // the manager now expects nonce n + 1

        // Someone else (same key, another manager) takes nonce n + 1.
        let other = TransactionSender(client: sender.client, key: sender.key, chainID: 31337)
        _ = try await other.sendAndWait(request)

        let receipt = try await sender.sendAndWait(request)
        #expect(receipt.succeeded)
        let mined = try #require(try await sender.client.transaction(byHash: receipt.transactionHash))
        #expect(mined.nonce == (try await sender.client.nonce(of: sender.address)) - 1)
    }

    @Test("a node rejection keeps its JSON-RPC code and message")
    func rejectionPreserved() async throws {
        let sender = try Devchain.sender(4)
        let client = sender.client
        let nonce = try await client.nonce(of: sender.address)
        // Reuse a nonce that is already mined.
        _ = try await sender.sendAndWait(TransactionRequest(to: sender.address, gasLimit: 21_000))
        let stale = try await sender.prepare(TransactionRequest(to: sender.address, gasLimit: 21_000), nonce: nonce)
        let error = await #expect(throws: JSONRPCError.self) {
            _ = try await client.sendRawTransaction(stale.sign(with: sender.key).rawBytes)
        }
        #expect(error?.code == -32000)
        #expect(error?.message.hasPrefix("nonce too low") == true)
        #expect(error?.method == "eth_sendRawTransaction")
        #expect(error.map(NonceManager.isNonceAlreadyUsed) == true)
    }

    @Test("waiting for confirmations returns once enough blocks are on top, and times out otherwise")
    func confirmations() async throws {
        let sender = try Devchain.sender(5)
        let client = sender.client
        let pending = try await sender.send(TransactionRequest(to: sender.address, gasLimit: 21_000))
        let mined = try await client.waitForReceipt(pending.hash)

        let timeout = await #expect(throws: ReceiptTimeoutError.self) {
            _ = try await client.waitForReceipt(pending.hash, confirmations: 3, timeout: .milliseconds(300))
        }
        #expect(timeout?.minedInBlock == mined.blockNumber)

        async let confirmed = client.waitForReceipt(pending.hash, confirmations: 3, timeout: .seconds(20))
        try await client.mine(blocks: 2)
        let receipt = try await confirmed
        #expect(receipt == mined)
        #expect(try await client.blockNumber() >= receipt.blockNumber + 2)
    }
}
