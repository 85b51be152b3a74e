import Foundation
import Testing

// Serialized: every test spawns processes; one at a time keeps a 2-core CI machine responsive for
// the timing-sensitive suites running beside this one.
/// Bad input never crashes `aiplat chain`: each mistake gives a non-zero exit and exactly one
/// `error: ...` line on stderr naming the problem (no usage dump, no stack trace, no Swift enum dump).
@Suite("aiplat chain bad input gives one error line and a non-zero exit", .serialized)
struct ChainCLIBadInputTests {
    /// A well-formed key (hardhat account 2): bad-input cases must fail for another reason.
    static let key = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a"
    static let address = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"
    static let hash = "0x" + String(repeating: "ab", count: 32)
    /// Nothing listens on port 9 (discard) on loopback here.
    static let deadRPC = "http://127.0.0.1:9"

    struct Case: Sendable, CustomTestStringConvertible {
        let arguments: [String]
        let fragment: String
        var testDescription: String { arguments.joined(separator: " ") }

        init(_ arguments: [String], _ fragment: String) {
            self.arguments = ["chain"] + arguments
            self.fragment = fragment
        }
    }

    static let cases: [Case] = [
        // Malformed hex
        Case(["keccak", "0xzz"], "invalid hex data"),
        Case(["keccak", "0xabc"], "odd number of hex digits"),
        Case(["abi-decode", "f()(uint256)", "0xgg"], "invalid data"),
        Case(["calldata", "f(bytes)", "0x123"], "bytes"),
        Case(["to-checksum", "0x12"], "invalid address"),
        Case(["to-checksum", "0x" + String(repeating: "g", count: 40)], "invalid address"),
        Case(["mktx", "--private-key", key, "--nonce", "0", "--gas-limit", "21000", "--chain", "1", "--gas-price", "1", "--legacy", address, "0xzz"], "invalid calldata"),
        // Wrong argument counts
        Case(["keccak"], "missing expected argument"),
        Case(["keccak", "a", "b"], "unexpected argument"),
        Case(["sig"], "missing expected argument"),
        Case(["calldata", "transfer(address,uint256)", address], "expected 2 arguments, got 1"),
        Case(["abi-encode", "f(uint256)", "1", "2"], "takes 1 argument, got 2"),
        Case(["wallet", "verify", "--address", address, "hello"], "missing expected argument"),
        Case(["nosuchcommand"], "nosuchcommand"),
        Case(["balance", address, "--bogus"], "--bogus"),
        // Wrong argument types
        Case(["calldata", "transfer(address,uint256)", "0x1234", "5"], "address"),
        Case(["calldata", "f(uint8)", "300"], "uint8"),
        Case(["calldata", "f(bool)", "maybe"], "true or false"),
        Case(["calldata", "f(uint256)", "12abc"], "uint256"),
        Case(["sig", "transfer(address,uint256"], "signature"),
        Case(["sig", "f(uint257)"], "uint257"),
        Case(["abi-decode", "f()(uint256)", "0x1234"], "needs 32 bytes"),
        Case(["abi-decode", "f(uint256)", "0x" + String(repeating: "0", count: 64)], "no outputs"),
        Case(["nonce", "not-an-address", "--rpc-url", deadRPC], "invalid address"),
        Case(["balance", address, "--block", "yesterday", "--rpc-url", deadRPC], "--block"),
        Case(["send", address, "--value", "1 foo", "--private-key", key, "--rpc-url", deadRPC], "--value"),
        Case(["send", address, "--private-key", key, "--legacy", "--priority-gas-price", "1", "--rpc-url", deadRPC], "--legacy"),
        Case(["mktx", address, "--private-key", key, "--chain", "nowhere"], "--chain"),
        Case(["receipt", "0x1234", "--rpc-url", deadRPC], "invalid transaction hash"),
        Case(["receipt", hash, "gasUsedd", "--rpc-url", deadRPC], "unknown receipt field"),
        Case(["logs", "Transfer(address,address,uint256)", address, "--rpc-url", deadRPC], "indexed"),
        Case(["wallet", "new", "--number", "0"], "--number"),
        // Signatures and digests of the wrong length
        Case(["wallet", "verify", "--address", address, "hello", "0x1234"], "expected 65 bytes"),
        Case(["wallet", "verify", "--address", address, "hello", "0x" + String(repeating: "11", count: 64)], "expected 65 bytes"),
        Case(["wallet", "sign", "--no-hash", "--private-key", key, "0x1234"], "32 bytes"),
        // Keys
        Case(["wallet", "sign", "hello"], "no signing key"),
        Case(["wallet", "address", "--private-key", "0x1234"], "expected 32 bytes"),
        Case(["wallet", "sign", "--private-key", key, "--keystore", "/nonexistent", "hello"], "not both"),
        Case(["wallet", "sign", "--keystore", "/nonexistent/keystore.json", "--password", "x", "hello"], "no such file"),
        Case(["keystore", "import", "--private-key", key], "password"),
        Case(["keystore", "export", "/nonexistent/keystore.json", "--password", "x"], "no such file"),
        Case(["wallet", "sign-typed-data", "--private-key", key, "{\"types\": 1}"], "typed"),
        // Unreachable or malformed RPC
        Case(["block-number", "--rpc-url", deadRPC], "cannot reach RPC"),
        Case(["chain-id", "--rpc-url", deadRPC], "127.0.0.1:9"),
        Case(["balance", address, "--rpc-url", deadRPC], "cannot reach RPC"),
        Case(["block-number", "--rpc-url", "not a url"], "invalid RPC URL"),
        Case(["send", address, "--private-key", key, "--rpc-url", deadRPC], "cannot reach RPC"),
        // Deploy sources
        Case(["deploy", "NoSuchContract", "--private-key", key, "--artifacts", "/nonexistent"], "no artifact named"),
        Case(["deploy", "./missing/Token.json", "--private-key", key], "no such file"),
        Case(["deploy", "0x6080", "1", "--private-key", key, "--rpc-url", deadRPC], "takes no arguments (give its types with --constructor-sig), got 1"),
    ]

    @Test("bad input fails with one `error:` line", arguments: cases)
    func badInputFailsWithOneLine(_ badCase: Case) async throws {
        let result = try await AIPlatCLI.run(badCase.arguments, timeout: .seconds(60))
        AIPlatCLI.expectOneLineError(result, mentioning: badCase.fragment)
        #expect(result.stdout.isEmpty, "nothing on stdout: \(result)")
        #expect(result.status != 0 && result.status < 128, "a clean exit, not a signal: \(result)")
    }

    @Test("an invalid private key is never echoed back")
    func invalidKeyIsNotEchoed() async throws {
        let secret = "0x" + String(repeating: "5a", count: 31) + "zz"
        for arguments in [
            ["chain", "wallet", "address", "--private-key", secret],
            ["chain", "wallet", "sign", "--private-key", secret, "hello"],
        ] {
            let result = try await AIPlatCLI.run(arguments)
            AIPlatCLI.expectOneLineError(result, mentioning: "private key")
            #expect(!result.stderr.contains(String(repeating: "5a", count: 8)), "the key leaked: \(result)")
        }
        let fromEnvironment = try await AIPlatCLI.run(["chain", "wallet", "address"], environment: ["AIPLAT_PRIVATE_KEY": secret])
        AIPlatCLI.expectOneLineError(fromEnvironment, mentioning: "AIPLAT_PRIVATE_KEY")
        #expect(!fromEnvironment.stderr.contains(String(repeating: "5a", count: 8)))
    }

    @Test("a wrong keystore password fails with one line naming the file")
    func wrongKeystorePassword() async throws {
        let directory = try ChainCLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("key.json")
        try await AIPlatCLI.succeed(
            ["chain", "keystore", "import", "--private-key", Self.key, "--password", "right", "--kdf", "pbkdf2", "--out", out.path])
        let export = try await AIPlatCLI.run(["chain", "keystore", "export", out.path, "--password", "wrong"])
        AIPlatCLI.expectOneLineError(export, mentioning: "wrong password for keystore \"\(out.path)\"")
        let sign = try await AIPlatCLI.run(["chain", "wallet", "sign", "--keystore", out.path, "--password", "wrong", "hi"])
        AIPlatCLI.expectOneLineError(sign, mentioning: "wrong password")
    }

    @Test("a file that is not a keystore is refused with one line")
    func notAKeystore() async throws {
        let directory = try ChainCLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("not-a-keystore.json")
        try Data("{\"hello\": \"world\"}".utf8).write(to: file)
        let result = try await AIPlatCLI.run(["chain", "keystore", "export", file.path, "--password", "x"])
        AIPlatCLI.expectOneLineError(result, mentioning: "keystore")
        let garbage = directory.appendingPathComponent("garbage.json")
        try Data([0xff, 0x00, 0x13]).write(to: garbage)
        let garbageResult = try await AIPlatCLI.run(["chain", "keystore", "export", garbage.path, "--password", "x"])
        AIPlatCLI.expectOneLineError(garbageResult, mentioning: "keystore")
    }

    @Test("a malformed RPC URL from the environment is reported as one line naming the variable")
    func badRPCURLFromEnvironment() async throws {
        let result = try await AIPlatCLI.run(["chain", "chain-id"], environment: ["AIPLAT_CHAIN_RPC_URL": "ftp://example"])
        AIPlatCLI.expectOneLineError(result, mentioning: "AIPLAT_CHAIN_RPC_URL")
        let eth = try await AIPlatCLI.run(["chain", "chain-id"], environment: ["ETH_RPC_URL": "localhost:8545"])
        AIPlatCLI.expectOneLineError(eth, mentioning: "invalid RPC URL")
    }

    @Test("help still prints usage and exits 0")
    func helpIsNotAnError() async throws {
        let result = try await AIPlatCLI.run(["chain", "send", "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("--rpc-url"))
        #expect(result.stdout.contains("--private-key"))
    }
}
