import BigInt
import EthereumKit
import Foundation
import Testing

/// `aiplat chain` against a real devchain: deploy an ERC20, then call / send / receipt / logs /
/// balance / nonce through the CLI, checking each answer with EthereumKit as an independent client.
@Suite("aiplat chain against the devchain", .devchain, .serialized)
struct ChainCLIDevchainTests {
    static let transferEvent = "Transfer(address indexed from, address indexed to, uint256 value)"

    var rpcURL: String { get throws { try Devchain.process().rpcURL } }

    /// Runs `aiplat chain <arguments> --rpc-url <devchain>` and requires success.
    @discardableResult
    func chain(
        _ arguments: [String], environment: [String: String] = [:], directory: URL? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> AIPlatCLI.Result {
        try await AIPlatCLI.succeed(
            ["chain"] + arguments + ["--rpc-url", rpcURL], environment: environment, directory: directory,
            sourceLocation: sourceLocation)
    }

    /// Deploys an ERC20 by contract name from account 0 with `supply` base units and returns its
    /// address. Runs in `docs/`, so the name is found in `contracts/build` of a parent directory.
    func deployToken(supply: String = "1000000", sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let result = try await chain(
            ["deploy", "ERC20", "Token", "TKN", "18", supply, "--private-key", ChainCLIAccounts.key0],
            directory: AIPlatCLI.repositoryRoot.appendingPathComponent("docs"), sourceLocation: sourceLocation)
        #expect(result.lines.count == 3, sourceLocation: sourceLocation)
        #expect(result.lines.first == "Deployer: \(ChainCLIAccounts.account0)", sourceLocation: sourceLocation)
        let deployed = try #require(result.lines.first { $0.hasPrefix("Deployed to: ") }, sourceLocation: sourceLocation)
        #expect(result.lines.last?.hasPrefix("Transaction hash: 0x") == true, sourceLocation: sourceLocation)
        return String(deployed.dropFirst("Deployed to: ".count))
    }

    /// The value of `name` in cast's receipt table.
    static func receiptField(_ name: String, in lines: [String]) -> String? {
        lines.first { $0.hasPrefix(name + " ") }.map { String($0.dropFirst(name.count)).trimmingCharacters(in: .whitespaces) }
    }

    @Test("chain-id, block-number, balance and nonce print decimals the node agrees with")
    func readCommandsAgreeWithTheNode() async throws {
        let client = try Devchain.client()
        #expect(try await chain(["chain-id"]).lines == [String(try await client.chainID())])
        let blockNumber = try #require(UInt64(try await chain(["block-number"]).output))
        #expect(blockNumber <= (try await client.blockNumber()))

        let account = try Address(hex: ChainCLIAccounts.account2)
        let balance = try await client.balance(of: account)
        #expect(try await chain(["balance", ChainCLIAccounts.account2]).lines == [String(balance)])
        let ether = try await chain(["balance", ChainCLIAccounts.account2, "--ether"]).output
        let (whole, fraction) = balance.quotientAndRemainder(dividingBy: BigUInt(10).power(18))
        #expect(ether == "\(whole)." + String(String(fraction).reversed()).padding(toLength: 18, withPad: "0", startingAt: 0).reversed())
        #expect(try await chain(["nonce", ChainCLIAccounts.account0]).lines == [String(try await client.nonce(of: try Address(hex: ChainCLIAccounts.account0)))])
        #expect(try await chain(["chain-id", "--json"]).output == String(try await client.chainID()))
    }

    @Test("the RPC URL comes from $ETH_RPC_URL or $AIPLAT_CHAIN_RPC_URL when --rpc-url is absent")
    func rpcURLFromEnvironment() async throws {
        let url = try rpcURL
        let expected = [String(try await Devchain.client().chainID())]
        #expect(try await AIPlatCLI.succeed(["chain", "chain-id"], environment: ["ETH_RPC_URL": url]).lines == expected)
        #expect(try await AIPlatCLI.succeed(["chain", "chain-id"], environment: ["AIPLAT_CHAIN_RPC_URL": url]).lines == expected)
        // AIPLAT_CHAIN_RPC_URL wins over the generic variable.
        let both = try await AIPlatCLI.succeed(
            ["chain", "chain-id"], environment: ["AIPLAT_CHAIN_RPC_URL": url, "ETH_RPC_URL": "http://127.0.0.1:9"])
        #expect(both.lines == expected)

        // Last comes chain.rpc_url from the platform's config file (ETH_RPC_URL still wins over it).
        let dataDirectory = try ChainCLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dataDirectory) }
        try Data(#"{"chain": {"rpc_url": "\#(url)"}}"#.utf8).write(to: dataDirectory.appendingPathComponent("config.json"))
        #expect(try await AIPlatCLI.succeed(["chain", "chain-id"], environment: ["AIPLAT_DATA_DIR": dataDirectory.path]).lines == expected)
        let overridden = try await AIPlatCLI.run(
            ["chain", "chain-id"], environment: ["AIPLAT_DATA_DIR": dataDirectory.path, "ETH_RPC_URL": "http://127.0.0.1:9"])
        AIPlatCLI.expectOneLineError(overridden, mentioning: "127.0.0.1:9")
    }

    @Test("deploy an ERC20, then call, send, receipt, logs and balanceOf see the transfer")
    func erc20Lifecycle() async throws {
        let client = try Devchain.client()
        let token = try await deployToken()
        #expect(!(try await client.code(at: try Address(hex: token))).isEmpty, "deploy must leave code at \(token)")

        #expect(try await chain(["call", token, "name()(string)"]).lines == ["\"Token\""])
        #expect(try await chain(["call", token, "decimals()(uint8)"]).lines == ["18"])
        #expect(try await chain(["call", token, "balanceOf(address)(uint256)", ChainCLIAccounts.account0]).lines == ["1000000 [1e6]"])
        let raw = try await chain(["call", token, "balanceOf(address)", ChainCLIAccounts.account0]).output
        #expect(raw == "0x" + String(repeating: "0", count: 59) + "f4240")

        let sent = try await chain(
            ["send", token, "transfer(address,uint256)", ChainCLIAccounts.account1, "250", "--private-key", ChainCLIAccounts.key0])
        #expect(sent.lines.first == "", "cast's receipt table starts with a blank line")
        #expect(Self.receiptField("status", in: sent.lines) == "1 (success)")
        #expect(Self.receiptField("from", in: sent.lines) == ChainCLIAccounts.account0)
        #expect(Self.receiptField("to", in: sent.lines) == token)
        #expect(Self.receiptField("type", in: sent.lines) == "2")
        let hash = try #require(Self.receiptField("transactionHash", in: sent.lines))
        let receipt = try #require(try await client.receipt(for: try Hash32(hex: hash)))
        #expect(Self.receiptField("blockNumber", in: sent.lines) == String(receipt.blockNumber))
        #expect(Self.receiptField("gasUsed", in: sent.lines) == String(receipt.gasUsed))

        #expect(try await chain(["call", token, "balanceOf(address)(uint256)", ChainCLIAccounts.account1]).lines == ["250"])
        #expect(try await chain(["receipt", hash, "status"]).lines == ["1 (success)"])
        #expect(try await chain(["receipt", hash, "blockNumber"]).lines == [String(receipt.blockNumber)])
        #expect(try await chain(["receipt", hash, "from"]).lines == [ChainCLIAccounts.account0])
        let receiptJSON = try #require(
            try JSONSerialization.jsonObject(with: Data(try await chain(["receipt", hash, "--json"]).stdout.utf8)) as? [String: Any])
        #expect(receiptJSON["transactionHash"] as? String == hash)
        #expect(receiptJSON["status"] as? String == "0x1")
        #expect((receiptJSON["logs"] as? [Any])?.count == 1)

        // Logs, filtered by the event and its indexed `from`, decoded with the signature's names.
        let logs = try await chain(
            ["logs", Self.transferEvent, ChainCLIAccounts.account0, "--address", token, "--from-block", String(receipt.blockNumber)])
        #expect(logs.lines.contains("  event: Transfer(address,address,uint256)"))
        #expect(logs.lines.contains("  \tfrom: \(ChainCLIAccounts.account0)"))
        #expect(logs.lines.contains("  \tto: \(ChainCLIAccounts.account1)"))
        #expect(logs.lines.contains("  \tvalue: 250"))
        #expect(logs.lines.contains("  transactionHash: \(hash)"))
        let logsJSON = try #require(
            try JSONSerialization.jsonObject(with: Data(try await chain(["logs", Self.transferEvent, "--address", token, "--json"]).stdout.utf8))
                as? [[String: Any]])
        // The mint at deployment and the transfer.
        #expect(logsJSON.count == 2)
        let args = try #require(logsJSON.last?["args"] as? [String: String])
        #expect(args == ["from": ChainCLIAccounts.account0, "to": ChainCLIAccounts.account1, "value": "250"])
        #expect(logsJSON.first?["args"] as? [String: String] == ["from": Address.zero.checksummed, "to": ChainCLIAccounts.account0, "value": "1000000"])
        // A signature without `indexed` markers still decodes (its extra topics are its first inputs).
        let unmarked = try await chain(["logs", "Transfer(address,address,uint256)", "--address", token, "--json"])
        let unmarkedLogs = try #require(try JSONSerialization.jsonObject(with: Data(unmarked.stdout.utf8)) as? [[String: Any]])
        #expect((unmarkedLogs.last?["args"] as? [String: String])?["#2"] == "250", "unnamed inputs are #index")
        // Filtering on `to` = account 2 finds nothing.
        let none = try await chain(["logs", Self.transferEvent, "", ChainCLIAccounts.account2, "--address", token, "--json"])
        #expect(none.output == "[]")
    }

    @Test("a reverting send fails with the revert reason in one line and sends nothing")
    func revertingSendReportsReason() async throws {
        let client = try Devchain.client()
        let token = try await deployToken()
        let nonceBefore = try await client.nonce(of: try Address(hex: ChainCLIAccounts.account2))
        let result = try await AIPlatCLI.run(
            ["chain", "send", token, "transfer(address,uint256)", ChainCLIAccounts.account1, "1", "--private-key", ChainCLIAccounts.key2, "--rpc-url", try rpcURL])
        AIPlatCLI.expectOneLineError(result, mentioning: "ERC20: insufficient balance")
        #expect(try await client.nonce(of: try Address(hex: ChainCLIAccounts.account2)) == nonceBefore)

        let call = try await AIPlatCLI.run(
            ["chain", "call", token, "transfer(address,uint256)(bool)", ChainCLIAccounts.account1, "1", "--from", ChainCLIAccounts.account2, "--rpc-url", try rpcURL])
        AIPlatCLI.expectOneLineError(call, mentioning: "execution reverted: ERC20: insufficient balance")
    }

    @Test("send --value moves ether; --legacy sends type 0; --async prints only the hash")
    func sendVariants() async throws {
        let client = try Devchain.client()
        let recipient = try Address(hex: ChainCLIAccounts.account2)
        let before = try await client.balance(of: recipient)
        let plain = try await chain(["send", ChainCLIAccounts.account2, "--value", "1.5ether", "--private-key", ChainCLIAccounts.key0])
        #expect(Self.receiptField("status", in: plain.lines) == "1 (success)")
        #expect(try await client.balance(of: recipient) == before + BigUInt(15) * BigUInt(10).power(17))

        let legacy = try await chain(["send", ChainCLIAccounts.account2, "--value", "1gwei", "--legacy", "--private-key", ChainCLIAccounts.key0, "--json"])
        let legacyReceipt = try #require(try JSONSerialization.jsonObject(with: Data(legacy.stdout.utf8)) as? [String: Any])
        #expect(legacyReceipt["type"] as? String == "0x0")

        let asynchronous = try await chain(["send", ChainCLIAccounts.account2, "--value", "1", "--async", "--private-key", ChainCLIAccounts.key0])
        #expect(asynchronous.lines.count == 1)
        let hash = try Hash32(hex: asynchronous.output)
        let receipt = try await client.waitForReceipt(hash)
        #expect(receipt.from == (try Address(hex: ChainCLIAccounts.account0)))
        #expect(try await chain(["receipt", hash.hex, "to"]).lines == [ChainCLIAccounts.account2])
    }

    @Test("mktx fills nonce, gas and fees from the node; the raw transaction broadcasts from the signer")
    func mktxBroadcastsThroughTheLibrary() async throws {
        let client = try Devchain.client()
        let raw = try await chain(["mktx", ChainCLIAccounts.account2, "--value", "12345", "--private-key", ChainCLIAccounts.key1]).output
        let signed = try SignedTransaction(rawHex: raw)
        #expect(signed.sender == (try Address(hex: ChainCLIAccounts.account1)))
        #expect(signed.transaction.chainID == (try await client.chainID()))
        #expect(signed.transaction.nonce == (try await client.nonce(of: try Address(hex: ChainCLIAccounts.account1), at: .pending)))
        let hash = try await client.sendRawTransaction(signed.rawBytes)
        #expect(hash.bytes == signed.hash)
        let receipt = try await client.waitForReceipt(hash)
        #expect(receipt.succeeded)
        #expect(receipt.from == (try Address(hex: ChainCLIAccounts.account1)))
        #expect(receipt.to == (try Address(hex: ChainCLIAccounts.account2)))
    }

    @Test("send signs with a keystore or $AIPLAT_PRIVATE_KEY")
    func sendWithKeystoreAndEnvironmentKey() async throws {
        let directory = try ChainCLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let keystore = directory.appendingPathComponent("account1.json")
        let passwordFile = directory.appendingPathComponent("password")
        try Data("s3cret\n".utf8).write(to: passwordFile)
        try await AIPlatCLI.succeed(
            ["chain", "keystore", "import", "--private-key", ChainCLIAccounts.key1, "--password-file", passwordFile.path, "--kdf", "pbkdf2", "--out", keystore.path])

        let viaKeystore = try await chain(
            ["send", ChainCLIAccounts.account2, "--value", "1", "--keystore", keystore.path, "--password-file", passwordFile.path])
        #expect(Self.receiptField("from", in: viaKeystore.lines) == ChainCLIAccounts.account1)

        let viaEnvironment = try await chain(["send", ChainCLIAccounts.account2, "--value", "1"], environment: ["AIPLAT_PRIVATE_KEY": ChainCLIAccounts.key2])
        #expect(Self.receiptField("from", in: viaEnvironment.lines) == ChainCLIAccounts.account2)
    }

    @Test("deploy takes an artifact path, or raw bytecode with --constructor-sig, and prints JSON like forge create")
    func deployFromPathAndBytecode() async throws {
        let artifact = AIPlatCLI.repositoryRoot.appendingPathComponent("contracts/build/ERC20.json")
        let byPath = try await chain(
            ["deploy", artifact.path, "Path Token", "PTH", "6", "5", "--private-key", ChainCLIAccounts.key0, "--json"])
        let deployed = try #require(try JSONSerialization.jsonObject(with: Data(byPath.stdout.utf8)) as? [String: String])
        #expect(deployed["deployer"] == ChainCLIAccounts.account0)
        let address = try #require(deployed["deployedTo"])
        #expect(try await chain(["call", address, "symbol()(string)"]).lines == ["\"PTH\""])

        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: artifact)) as? [String: Any])
        let bytecode = try #require(json["bytecode"] as? String)
        let byBytecode = try await chain(
            ["deploy", bytecode, "Raw", "RAW", "0", "7", "--constructor-sig", "constructor(string,string,uint8,uint256)",
             "--private-key", ChainCLIAccounts.key0])
        let rawAddress = try #require(byBytecode.lines.first { $0.hasPrefix("Deployed to: ") }).dropFirst("Deployed to: ".count)
        #expect(try await chain(["call", String(rawAddress), "totalSupply()(uint256)"]).lines == ["7"])
        let receiptHash = try #require(byBytecode.lines.first { $0.hasPrefix("Transaction hash: ") }).dropFirst("Transaction hash: ".count)
        #expect(try await chain(["receipt", String(receiptHash), "contractAddress"]).lines == [String(rawAddress)])
    }

    @Test("receipt of an unknown transaction fails at once with one line")
    func receiptOfUnknownTransaction() async throws {
        let result = try await AIPlatCLI.run(["chain", "receipt", "0x" + String(repeating: "12", count: 32), "--rpc-url", try rpcURL])
        AIPlatCLI.expectOneLineError(result, mentioning: "not found")
    }
}
