import BigInt
import EthereumKit
import Foundation
import Testing

@Suite("Deploying and using the compiled contracts on the devchain", .devchain, .serialized)
struct ContractTests {
    static let supply = BigUInt(1_000_000) * BigUInt(10).power(18)

    private func deployToken(_ sender: TransactionSender) async throws -> DeployedContract {
        try await Contract.deploy(
            try Devchain.artifact("ERC20"), arguments: ["Test Token", "TT", .uint(18), .uint(Self.supply)],
            sender: sender)
    }

    @Test("an ERC-20 deploys with constructor arguments and answers its views")
    func deployERC20() async throws {
        let sender = try Devchain.sender(0)
        let deployed = try await deployToken(sender)
        let token = deployed.contract
        #expect(deployed.receipt.succeeded)
        #expect(deployed.receipt.contractAddress == token.address)
        #expect(!(try await sender.client.code(at: token.address)).isEmpty)

        #expect(try await token.call("name")[0].stringValue == "Test Token")
        #expect(try await token.call("symbol")[0].stringValue == "TT")
        #expect(try await token.call("decimals")[0].uintValue == 18)
        #expect(try await token.call("totalSupply")[0].uintValue == Self.supply)
        #expect(try await token.call("balanceOf", [.address(sender.address)])[0].uintValue == Self.supply)
    }

    @Test("ERC-20 transfers of every transaction type emit decodable Transfer events", arguments: [
        TransactionRequest.Kind.legacy, .accessList, .feeMarket,
    ])
    func transfers(kind: TransactionRequest.Kind) async throws {
        let sender = try Devchain.sender(0)
        let token = try await deployToken(sender).contract
        let recipient = try Address(hex: "0x00000000000000000000000000000000000a11ce")

        let receipt = try await token.send("transfer", [.address(recipient), .uint(250)], from: sender, kind: kind)
        #expect(receipt.succeeded)
        #expect(receipt.type == (kind == .legacy ? 0 : kind == .accessList ? 1 : 2))
        let events = try token.decodeEvents(in: receipt)
        #expect(events.count == 1)
        let transfer = try #require(events.first)
        #expect(transfer.name == "Transfer")
        #expect(transfer["sender"]?.addressValue == sender.address)
        #expect(transfer["receiver"]?.addressValue == recipient)
        #expect(transfer["value"]?.uintValue == 250)
        #expect(transfer.log.transactionHash == receipt.transactionHash)
        #expect(try await token.call("balanceOf", [.address(recipient)])[0].uintValue == 250)

        // The same event read back through eth_getLogs.
        let logged = try await token.events("Transfer", fromBlock: .number(receipt.blockNumber), toBlock: .number(receipt.blockNumber))
        #expect(logged.map(\.log) == events.map(\.log))
    }

    @Test("an ERC-721 mint returns a token whose URI reads back, with an indexed Transfer from zero")
    func erc721() async throws {
        let sender = try Devchain.sender(0)
        let nft = try await Contract.deploy(try Devchain.artifact("ERC721"), arguments: ["Art", "ART"], sender: sender).contract
        let owner = try Address(hex: Devchain.account2)
        let receipt = try await nft.send("mint", [.address(owner), .string("oci://sha256:abc")], from: sender)
        let transfer = try #require(try nft.decodeEvents(in: receipt).first { $0.name == "Transfer" })
        #expect(transfer["sender"]?.addressValue == Address.zero)
        #expect(transfer["receiver"]?.addressValue == owner)
        let tokenID = try #require(transfer["token_id"]?.uintValue)
        #expect(transfer.log.topics.count == 4)
        #expect(try await nft.call("ownerOf", [.uint(tokenID)])[0].addressValue == owner)
        #expect(try await nft.call("tokenURI", [.uint(tokenID)])[0].stringValue == "oci://sha256:abc")
        #expect(try await nft.call("balanceOf", [.address(owner)])[0].uintValue == 1)
    }

    @Test("an ERC-721 transfer by its owner moves the token and logs Transfer(owner, receiver, id)")
    func erc721Transfer() async throws {
        let minter = try Devchain.sender(0)
        let nft = try await Contract.deploy(try Devchain.artifact("ERC721"), arguments: ["Art", "ART"], sender: minter).contract
        let owner = try Devchain.key(2).address
        let receiver = try Devchain.key(3).address
        let minted = try await nft.send("mint", [.address(owner), .string("ipfs://x")], from: minter)
        let tokenID = try #require(try nft.decodeEvents(in: minted).first { $0.name == "Transfer" }?["token_id"]?.uintValue)

        let receipt = try await nft.send(
            "transferFrom", [.address(owner), .address(receiver), .uint(tokenID)], from: try Devchain.sender(2))
        let transfer = try #require(try nft.decodeEvents(in: receipt).first { $0.name == "Transfer" })
        #expect(transfer["sender"]?.addressValue == owner)
        #expect(transfer["receiver"]?.addressValue == receiver)
        #expect(transfer["token_id"]?.uintValue == tokenID)
        #expect(try await nft.call("ownerOf", [.uint(tokenID)])[0].addressValue == receiver)
        #expect(try await nft.call("balanceOf", [.address(owner)])[0].uintValue == 0)
    }

    @Test("artifacts name the file and the missing key when they are broken")
    func brokenArtifact() throws {
        let error = #expect(throws: ContractArtifactError.self) {
            _ = try ContractArtifact(json: Data(#"{"contractName":"X","abi":[]}"#.utf8), file: "contracts/build/X.json")
        }
        #expect(error?.description == "invalid contract artifact contracts/build/X.json: missing key \"bytecode\"")
        let missing = #expect(throws: ContractArtifactError.self) {
            _ = try ContractArtifact.load(named: "NoSuchContract", in: URL(fileURLWithPath: "/nonexistent"))
        }
        #expect(missing?.file == "/nonexistent/NoSuchContract.json")
        let artifact = try Devchain.artifact("ERC20")
        #expect(artifact.contractName == "ERC20")
        #expect(artifact.compiler?.hasPrefix("vyper") == true)
        #expect(artifact.abi.constructor?.inputs.count == 4)
    }
}

@Suite("Decoding reverts from the devchain", .devchain, .serialized)
struct RevertTests {
    static let insufficientFunds = "error InsufficientFunds(uint256 available, uint256 required)"

    private func deployTester() async throws -> (Contract, TransactionSender) {
        let sender = try Devchain.sender(6)
        let artifact = try Devchain.artifact("RevertTester")
        // Vyper declares no custom errors; add the one the tester raises by hand.
        var abi = artifact.abi
        abi.errors.append(try ABIError(parsing: Self.insufficientFunds))
        let deployed = try await Contract.deploy(artifact, sender: sender)
        return (Contract(address: deployed.address, abi: abi, client: sender.client), sender)
    }

    @Test("eth_call reverts decode to Error(string), custom errors, panics and empty data")
    func callReverts() async throws {
        let (tester, _) = try await deployTester()

        let reason = await #expect(throws: ContractRevert.self) {
            _ = try await tester.call("revertWithReason", [.string("out of coffee")])
        }
        #expect(reason?.reason == .error("out of coffee"))
        #expect(reason?.rpcError.code == JSONRPCError.executionRevertedCode)
        #expect(reason?.description == "execution reverted: out of coffee")

        let custom = await #expect(throws: ContractRevert.self) {
            _ = try await tester.call("revertWithCustomError", [.uint(5), .uint(7)])
        }
        guard case .custom(let error, let values)? = custom?.reason else {
            Issue.record("expected a custom error, got \(String(describing: custom?.reason))")
            return
        }
        #expect(error.name == "InsufficientFunds")
        #expect(values == [.uint(5), .uint(7)])

        let panic = await #expect(throws: ContractRevert.self) {
            _ = try await tester.call("divide", [.uint(1), .uint(0)])
        }
        #expect(panic?.reason == .panic(code: 0x12, meaning: "division or modulo by zero"))

        let empty = await #expect(throws: ContractRevert.self) { _ = try await tester.call("revertWithoutReason") }
        #expect(empty?.reason == .empty)
        #expect(empty?.data == [])

        #expect(try await tester.call("divide", [.uint(10), .uint(3)])[0].uintValue == 3)
    }

    @Test("a revert in eth_estimateGas carries the same decoded reason")
    func estimateGasRevert() async throws {
        let (tester, sender) = try await deployTester()
        let request = try tester.request("requirePositive", [.uint(0)])
        let revert = await #expect(throws: ContractRevert.self) {
            _ = try await sender.client.estimateGas(request.callRequest(from: sender.address), errors: tester.abi.errors)
        }
        #expect(revert?.reason == .error("RevertTester: amount must be positive"))
    }

    @Test("a transaction that would revert fails in simulation before anything is sent")
    func simulationStopsSend() async throws {
        let (tester, sender) = try await deployTester()
        let nonce = try await sender.client.nonce(of: sender.address)
        let head = try await sender.client.blockNumber()
        let revert = await #expect(throws: ContractRevert.self) {
            _ = try await tester.send("revertWithPanic", [.uint(0x11)], from: sender)
        }
        #expect(revert?.reason == .panic(code: 0x11, meaning: "arithmetic overflow or underflow"))
        #expect(try await sender.client.nonce(of: sender.address) == nonce)
        #expect(try await sender.client.blockNumber() == head)

        // The nonce was not consumed: the next transaction uses it.
        let tag = [UInt8](repeating: 7, count: 32)
        let receipt = try await tester.send(
            "record", [.uint(1), .fixedBytes(tag), .string("note"), .bytes([1, 2]), .array([.uint(3), .uint(4)])],
            from: sender)
        let mined = try #require(try await sender.client.transaction(byHash: receipt.transactionHash))
        #expect(mined.nonce == nonce)

        // The event mixes indexed and non-indexed values; `count` (storage slot 0) is now 1.
        let recorded = try #require(try tester.decodeEvents(in: receipt).first)
        #expect(recorded.name == "Recorded")
        #expect(recorded["sender"]?.addressValue == sender.address)
        #expect(recorded["tag"] == .fixedBytes(tag))
        #expect(recorded["note"]?.stringValue == "note")
        #expect(recorded["values"] == .array([.uint(3), .uint(4)]))
        let slot = try await sender.client.storage(at: tester.address, slot: 0)
        #expect(slot.bytes.last == 1 && slot.bytes.dropLast().allSatisfy { $0 == 0 })
    }

    @Test("without simulation a reverting transaction is mined with status 0")
    func minedRevert() async throws {
        let (tester, simulating) = try await deployTester()
        var sender = simulating
        sender.simulate = false
        let error = await #expect(throws: TransactionRevertedError.self) {
            _ = try await tester.send("revertWithReason", [.string("no")], from: sender, gasLimit: 100_000)
        }
        #expect(error?.receipt.status == 0)
        #expect(error?.receipt.succeeded == false)
    }

    @Test("revert data is kept in the JSON-RPC error of a raw eth_call, in batches too")
    func revertDataInBatch() async throws {
        let (tester, sender) = try await deployTester()
        let data = try tester.calldata("revertWithReason", [.string("batched")])
        var batch = JSONRPCBatch()
        let reverted = batch.add(
            method: "eth_call", params: RPCParams(CallRequest(to: tester.address, data: data), BlockTag.latest),
            as: HexData.self)
        let fine = batch.add(
            method: "eth_call",
            params: RPCParams(CallRequest(to: tester.address, data: try tester.calldata("count")), BlockTag.latest),
            as: HexData.self)
        let answers = try await sender.client.rpc.send(batch)
        #expect(try answers.result(fine).bytes.count == 32)
        let error = try #require(answers.error(reverted))
        #expect(error.code == 3)
        let revert = try #require(ContractRevert(rpcError: error))
        #expect(revert.reason == .error("batched"))
        #expect(error.dataBytes?.prefix(4) == [0x08, 0xc3, 0x79, 0xa0])
    }
}
