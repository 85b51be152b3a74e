import BigInt
import EthereumKit
import Foundation
import Synchronization
import Testing

@Suite("The devchain as a child process")
struct DevchainProcessTests {
    @Test("it starts with anvil-style options on a free port, answers, and stops on SIGTERM")
    func startAndStop() async throws {
        let lines = Mutex<[String]>([])
        let devchain = try await DevchainProcess.start(
            options: DevchainOptions(chainID: 1337, accounts: 2, balance: "5"),
            repositoryRoot: Devchain.repositoryRoot, outputLine: { line in lines.withLock { $0.append(line) } })
        #expect(lines.withLock { $0.contains("Listening on 127.0.0.1:\(devchain.port)") })
        #expect(devchain.port > 0)
        #expect(devchain.rpcURL == "http://127.0.0.1:\(devchain.port)")
        let client = try EthereumClient(url: devchain.rpcURL, configuration: .init(retry: .none))
        #expect(try await client.chainID() == 1337)
        let accounts = try await client.accounts()
        #expect(accounts.map(\.description) == [Devchain.account0, "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"])
        #expect(try await client.balance(of: accounts[0]) == 5_000_000_000_000_000_000)

        // The node signs for its own accounts.
        let hash = try await client.sendTransaction(CallRequest(from: accounts[0], to: accounts[1], value: 1))
        let receipt = try await client.waitForReceipt(hash, timeout: .seconds(10))
        #expect(receipt.from == accounts[0])
        #expect(try await client.balance(of: accounts[1]) == 5_000_000_000_000_000_001)

        await devchain.stop()
        #expect(await devchain.isRunning == false)
        // The process is gone (checked by pid: its port may already serve another test's devchain).
        #expect(kill(devchain.processID, 0) == -1 && errno == ESRCH)
    }

    @Test("a devchain that refuses its options fails the start with its own message")
    func badOptions() async throws {
        let error = await #expect(throws: DevchainError.self) {
            _ = try await DevchainProcess.start(
                options: DevchainOptions(mnemonic: "not a valid mnemonic"), repositoryRoot: Devchain.repositoryRoot)
        }
        #expect(error?.message.hasPrefix("devchain exited with status") == true)
        #expect(error?.outputTail?.contains("devchain:") == true)
    }
}
