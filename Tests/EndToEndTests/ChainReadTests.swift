import BigInt
import EthereumKit
import Foundation
import Testing

@Suite("Reading chain state from the devchain", .devchain, .serialized)
struct ChainReadTests {
    @Test("eth_chainId answers the chain id the devchain was started with")
    func chainID() async throws {
        let client = try Devchain.client()
        #expect(try await client.chainID() == 31337)
    }

    @Test("the dev accounts are the funded anvil accounts of the standard mnemonic")
    func accountsAndBalances() async throws {
        let client = try Devchain.client()
        let accounts = try await client.accounts()
        #expect(accounts.count == 10)
        #expect(accounts.first == (try Address(hex: Devchain.account0)))
        let balance = try await client.balance(of: accounts[9])  // no suite here spends from account 9
        #expect(balance == BigUInt(10_000) * BigUInt(10).power(18))
        #expect(try await client.nonce(of: accounts[9]) == 0)
        #expect(try await client.code(at: accounts[9]).isEmpty)
    }

    @Test("evm_mine adds a block whose parent is the previous head")
    func mineAdvancesHead() async throws {
        let client = try Devchain.client()
        let before = try await client.blockNumber()
        try await client.mine()
        let after = try await client.blockNumber()
        #expect(after == before + 1)
        let head = try #require(try await client.block(.latest))
        let parent = try #require(try await client.block(number: before))
        #expect(head.number == after)
        #expect(head.parentHash == parent.hash)
        let headHash = try #require(head.hash)
        let byHash = try #require(try await client.block(hash: headHash))
        #expect(byHash == head)
    }

    @Test("evm_snapshot and evm_revert roll the head back")
    func snapshotRevert() async throws {
        let client = try Devchain.client()
        let start = try await client.blockNumber()
        let snapshot = try await client.snapshot()
        try await client.mine(blocks: 3)
        #expect(try await client.blockNumber() == start + 3)
        #expect(try await client.revert(to: snapshot))
        #expect(try await client.blockNumber() == start)
        #expect(try await client.block(number: start + 1) == nil)
    }

    @Test("evm_increaseTime moves the next block's timestamp forward")
    func increaseTime() async throws {
        let client = try Devchain.client()
        let before = try #require(try await client.block(.latest))
        try await client.increaseTime(by: 3_600)
        try await client.mine()
        let after = try #require(try await client.block(.latest))
        // The offset applies to the node's clock; blocks mined quickly before may already be a few
        // seconds ahead of it (each block is at least parent + 1).
        #expect(after.timestamp >= before.timestamp + 3_600 - 30)
        #expect(after.timestamp < before.timestamp + 3_600 + 120)
    }

    @Test("with automine off a transaction waits in the pool until a block is mined")
    func manualMining() async throws {
        let client = try Devchain.client()
        var sender = TransactionSender(client: client, key: try Devchain.key(8), chainID: 31337)
        sender.simulate = false
        try await client.setAutomine(false)
        do {
            let pending = try await sender.send(TransactionRequest(to: sender.address, gasLimit: 21_000))
            #expect(try await client.receipt(for: pending.hash) == nil)
            let waiting = try #require(try await client.transaction(byHash: pending.hash))
            #expect(waiting.blockNumber == nil)
            #expect(try await client.nonce(of: sender.address, at: .pending) == waiting.nonce + 1)
            try await client.mine()
            let receipt = try await client.waitForReceipt(pending.hash, timeout: .seconds(5))
            #expect(receipt.blockNumber == (try await client.blockNumber()))
        } catch {
            try await client.setAutomine(true)
            throw error
        }
        try await client.setAutomine(true)
    }

    @Test("unknown transactions and receipts read as nil")
    func unknownLookups() async throws {
        let client = try Devchain.client()
        let hash = try Hash32(hex: "0x" + String(repeating: "ab", count: 32))
        #expect(try await client.transaction(byHash: hash) == nil)
        #expect(try await client.receipt(for: hash) == nil)
    }

    @Test("fee history covers the requested blocks and gives the next base fee")
    func feeHistory() async throws {
        let client = try Devchain.client()
        try await client.mine(blocks: 2)
        let head = try await client.blockNumber()
        let history = try await client.feeHistory(blockCount: 2, newest: .latest, rewardPercentiles: [25, 75])
        #expect(history.oldestBlock == head - 1)
        #expect(history.baseFeePerGas.count == 3)
        #expect(history.gasUsedRatio.count == 2)
        #expect(history.reward?.count == 2)
        #expect(history.reward?.first?.count == 2)
        let latest = try #require(try await client.block(.latest))
        #expect(history.baseFeePerGas[1] == latest.baseFeePerGas)

        let estimate = try await FeeEstimator().estimate(using: client)
        guard case .eip1559(let maxFee, let tip, let baseFee) = estimate else {
            Issue.record("expected EIP-1559 fees from a London chain, got \(estimate)")
            return
        }
        #expect(baseFee == history.nextBaseFee)
        #expect(maxFee == baseFee * 2 + tip)
    }

    @Test("a batch answers every request in one round trip and keeps per-request errors")
    func batch() async throws {
        let client = try Devchain.client()
        var batch = JSONRPCBatch()
        let chain = batch.add(method: "eth_chainId", as: Quantity.self)
        let missing = batch.add(method: "eth_doesNotExist", as: Quantity.self)
        let head = batch.add(method: "eth_blockNumber", as: Quantity.self)
        let balance = batch.add(
            method: "eth_getBalance", params: RPCParams(try Address(hex: Devchain.account2), BlockTag.latest),
            as: Quantity.self)
        let answers = try await client.rpc.send(batch)
        #expect(try answers.result(chain) == 31337)
        #expect(try answers.result(head).value == BigUInt(try await client.blockNumber()))
        #expect(try answers.result(balance).value == (try await client.balance(of: Address(hex: Devchain.account2))))
        let error = try #require(answers.error(missing))
        #expect(error.code == JSONRPCError.methodNotFoundCode)
        #expect(error.method == "eth_doesNotExist")
        #expect(throws: JSONRPCError.self) { try answers.result(missing) }
    }

    @Test("a JSON-RPC error keeps its code, message and method")
    func errorIsPreserved() async throws {
        let client = try Devchain.client()
        let error = await #expect(throws: JSONRPCError.self) {
            _ = try await client.rpc.send(method: "eth_noSuchMethod", as: Quantity.self)
        }
        #expect(error?.code == -32601)
        #expect(error?.message.contains("eth_noSuchMethod") == true)
        #expect(error?.method == "eth_noSuchMethod")
        #expect(error?.description.hasPrefix("JSON-RPC error -32601 from eth_noSuchMethod:") == true)

        let invalid = await #expect(throws: JSONRPCError.self) {
            _ = try await client.rpc.send(method: "eth_getBalance", params: RPCParams("not an address"), as: Quantity.self)
        }
        #expect(invalid?.code == JSONRPCError.invalidParamsCode)
    }

    @Test("a result of the wrong shape is an invalid-response error naming the method")
    func wrongResultShape() async throws {
        let client = try Devchain.client()
        let error = await #expect(throws: RPCTransportError.self) {
            _ = try await client.rpc.send(method: "eth_accounts", as: Quantity.self)
        }
        #expect(error?.kind == .invalidResponse)
        #expect(error?.description.contains("eth_accounts") == true)
    }
}
