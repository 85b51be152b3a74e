import BigInt
import EthereumKit
import Foundation
import Testing

@Suite("Polling logs across blocks and reorgs", .devchain, .serialized)
struct LogPollerTests {
    /// An ERC-20 owned by dev account 7 whose `mint` emits one Transfer per call (one block each).
    private func deployToken() async throws -> (Contract, TransactionSender) {
        let sender = try Devchain.sender(7)
        let token = try await Contract.deploy(
            try Devchain.artifact("ERC20"), arguments: ["Poll", "POL", .uint(0), .uint(0)], sender: sender)
        return (token.contract, sender)
    }

    private func mint(_ token: Contract, _ sender: TransactionSender, amount: Int) async throws -> TransactionReceipt {
        try await token.send("mint", [.address(sender.address), .uint(BigUInt(amount))], from: sender, gasLimit: 200_000)
    }

    private func amounts(_ logs: [Log], _ token: Contract) throws -> [BigUInt] {
        try token.decodeEvents(logs).compactMap { $0["value"]?.uintValue }
    }

    @Test("logs are delivered once each, in order, across ranges smaller than the span")
    func rangedPolling() async throws {
        let (token, sender) = try await deployToken()
        let poller = LogPoller(
            client: sender.client, filter: try token.filter(event: "Transfer"), maxBlockRange: 2, reorgDepth: 4)
        var cursor = try await poller.cursorAtHead()
        for amount in 1...5 { _ = try await mint(token, sender, amount: amount) }

        let first = try await poller.poll(from: cursor)
        #expect(first.removedLogs.isEmpty)
        #expect(try amounts(first.logs, token) == [1, 2, 3, 4, 5])
        #expect(first.cursor.nextBlock == (try await sender.client.blockNumber()) + 1)
        #expect(first.cursor.recentBlocks.count == 4)
        cursor = first.cursor

        let quiet = try await poller.poll(from: cursor)
        #expect(quiet.logs.isEmpty)
        #expect(quiet.cursor == cursor)

        _ = try await mint(token, sender, amount: 6)
        let next = try await poller.poll(from: cursor)
        #expect(try amounts(next.logs, token) == [6])
    }

    @Test("an evm_revert reorg withdraws the orphaned logs and delivers the new branch")
    func reorg() async throws {
        let (token, sender) = try await deployToken()
        let client = sender.client
        let poller = LogPoller(client: client, filter: try token.filter(event: "Transfer"), reorgDepth: 8)
        var cursor = try await poller.cursorAtHead()

        _ = try await mint(token, sender, amount: 10)
        let base = try await poller.poll(from: cursor)
        #expect(try amounts(base.logs, token) == [10])
        cursor = base.cursor

        let snapshot = try await client.snapshot()
        let orphanA = try await mint(token, sender, amount: 11)
        let orphanB = try await mint(token, sender, amount: 12)
        let before = try await poller.poll(from: cursor)
        #expect(try amounts(before.logs, token) == [11, 12])
        cursor = before.cursor

        // Reorg: drop both blocks, then build a different branch of the same height plus one.
        #expect(try await client.revert(to: snapshot))
        await sender.nonces.resync(sender.address)
        _ = try await mint(token, sender, amount: 21)
        _ = try await mint(token, sender, amount: 22)
        let replacement = try await mint(token, sender, amount: 23)
        #expect(replacement.blockNumber == orphanB.blockNumber + 1)

        let after = try await poller.poll(from: cursor)
        #expect(after.reorgedFrom == orphanA.blockNumber)
        // Withdrawn first, newest first, marked removed and identical to what was delivered.
        #expect(after.removedLogs.map(\.transactionHash) == [orphanB.transactionHash, orphanA.transactionHash])
        #expect(after.removedLogs.allSatisfy { $0.removed })
        #expect(try amounts(after.removedLogs, token) == [12, 11])
        #expect(after.logs.prefix(2).allSatisfy { $0.removed })
        #expect(try amounts(after.addedLogs, token) == [21, 22, 23])
        #expect(after.addedLogs.allSatisfy { !$0.removed })

        // Nothing more to report afterwards.
        let settled = try await poller.poll(from: after.cursor)
        #expect(settled.logs.isEmpty)
    }

    @Test("a persisted cursor resumes without duplicates and still detects a reorg")
    func persistedCursor() async throws {
        let (token, sender) = try await deployToken()
        let client = sender.client
        let poller = LogPoller(client: client, filter: try token.filter(event: "Transfer"), reorgDepth: 6)
        let start = try await poller.cursorAtHead()
        _ = try await mint(token, sender, amount: 1)
        let snapshot = try await client.snapshot()
        _ = try await mint(token, sender, amount: 2)
        let batch = try await poller.poll(from: start)
        #expect(try amounts(batch.logs, token) == [1, 2])

        let saved = try JSONEncoder().encode(batch.cursor)
        let restored = try JSONDecoder().decode(LogCursor.self, from: saved)
        #expect(restored == batch.cursor)

        #expect(try await client.revert(to: snapshot))
        await sender.nonces.resync(sender.address)
        _ = try await mint(token, sender, amount: 3)
        let resumed = try await poller.poll(from: restored)
        #expect(try amounts(resumed.removedLogs, token) == [2])
        #expect(try amounts(resumed.addedLogs, token) == [3])
    }

    @Test("the update sequence yields new logs as blocks arrive", .timeLimit(.minutes(1)))
    func updatesSequence() async throws {
        let (token, sender) = try await deployToken()
        let poller = LogPoller(
            client: sender.client, filter: try token.filter(event: "Transfer"), pollInterval: .milliseconds(50))
        let cursor = try await poller.cursorAtHead()
        _ = try await mint(token, sender, amount: 7)

        var seen: [BigUInt] = []
        for try await batch in poller.updates(from: cursor) {
            seen += try amounts(batch.addedLogs, token)
            if seen.count == 1 { _ = try await mint(token, sender, amount: 8) }
            if seen.count >= 2 { break }
        }
        #expect(seen == [7, 8])
    }
}
