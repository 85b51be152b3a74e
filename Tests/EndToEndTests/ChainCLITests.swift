import Foundation
import Testing

// Serialized: every test spawns processes; one at a time keeps a 2-core CI machine responsive for
// the timing-sensitive suites running beside this one.
/// `aiplat chain` offline commands, run as the real binary and compared with eth-utils, eth-abi and
/// eth-account outputs (`scripts/vectors/gen_cli.py`).
@Suite("aiplat chain offline commands match eth-utils / eth-abi / eth-account", .serialized)
struct ChainCLITests {
    @Test("keccak hashes 0x-hex as bytes and other text as UTF-8")
    func keccakMatchesEthUtils() async throws {
        for vector in try ChainCLIVectors.cases("keccak") {
            let input = try #require(vector["input"] as? String)
            let result = try await AIPlatCLI.succeed(["chain", "keccak", input])
            #expect(result.lines == [try #require(vector["expected"] as? String)], "keccak \(input)")
        }
    }

    @Test("sig prints the 4-byte selector")
    func sigPrintsSelector() async throws {
        let transfer = try await AIPlatCLI.succeed(["chain", "sig", "transfer(address,uint256)"])
        #expect(transfer.lines == ["0xa9059cbb"])
        for vector in try ChainCLIVectors.cases("sig") {
            let signature = try #require(vector["signature"] as? String)
            let result = try await AIPlatCLI.succeed(["chain", "sig", signature])
            #expect(result.lines == [try #require(vector["expected"] as? String)], "sig \(signature)")
        }
    }

    @Test("calldata is the selector followed by the eth-abi encoding of the arguments")
    func calldataMatchesEthABI() async throws {
        for vector in try ChainCLIVectors.cases("calldata") {
            let signature = try #require(vector["signature"] as? String)
            let arguments = try #require(vector["arguments"] as? [String])
            let result = try await AIPlatCLI.succeed(["chain", "calldata", signature] + arguments)
            #expect(result.lines == [try #require(vector["expected"] as? String)], "calldata \(signature) \(arguments)")
        }
    }

    @Test("abi-encode is the eth-abi encoding of the arguments, without a selector")
    func abiEncodeMatchesEthABI() async throws {
        for vector in try ChainCLIVectors.cases("abiEncode") {
            let signature = try #require(vector["signature"] as? String)
            let arguments = try #require(vector["arguments"] as? [String])
            let result = try await AIPlatCLI.succeed(["chain", "abi-encode", signature] + arguments)
            #expect(result.lines == [try #require(vector["expected"] as? String)], "abi-encode \(signature) \(arguments)")
        }
    }

    @Test("abi-encode takes negative integers as arguments, not as options")
    func abiEncodeTakesNegativeNumbers() async throws {
        let result = try await AIPlatCLI.succeed(["chain", "abi-encode", "f(int256,int8)", "-1", "-128"])
        #expect(result.lines == ["0x" + String(repeating: "f", count: 64) + String(repeating: "f", count: 62) + "80"])
    }

    @Test("abi-decode prints one output value per line as cast does, or a JSON array with --json")
    func abiDecodePrintsOneValuePerLine() async throws {
        for vector in try ChainCLIVectors.cases("abiDecode") {
            let signature = try #require(vector["signature"] as? String)
            let data = try #require(vector["data"] as? String)
            let expected = try #require(vector["expected"] as? [String])
            let result = try await AIPlatCLI.succeed(["chain", "abi-decode", signature, data])
            #expect(result.lines == expected, "abi-decode \(signature) \(data)")
        }
        let word = "0x" + String(repeating: "0", count: 60) + "2710"
        let json = try await AIPlatCLI.succeed(["chain", "abi-decode", "--json", "f()(uint256,bool)", word + String(repeating: "0", count: 63) + "1"])
        #expect(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String] == ["10000", "true"])
    }

    @Test("abi-decode --input decodes arguments, with or without the selector")
    func abiDecodeInput() async throws {
        let calldata = try await AIPlatCLI.succeed(
            ["chain", "calldata", "transfer(address,uint256)", "0x70997970c51812dc3a010c7d01b50e0d17dc79c8", "12345"]).output
        let expected = ["0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "12345 [1.234e4]"]
        let withSelector = try await AIPlatCLI.succeed(["chain", "abi-decode", "--input", "transfer(address,uint256)", calldata])
        #expect(withSelector.lines == expected)
        let bare = "0x" + calldata.dropFirst(10)
        let withoutSelector = try await AIPlatCLI.succeed(["chain", "abi-decode", "-i", "transfer(address,uint256)", bare])
        #expect(withoutSelector.lines == expected)
    }

    @Test("to-checksum prints the EIP-55 form")
    func toChecksumMatchesEthUtils() async throws {
        for vector in try ChainCLIVectors.cases("toChecksum") {
            let input = try #require(vector["input"] as? String)
            let result = try await AIPlatCLI.succeed(["chain", "to-checksum", input])
            #expect(result.lines == [try #require(vector["expected"] as? String)], "to-checksum \(input)")
        }
    }

    @Test("wallet address, sign, sign --no-hash and verify agree with eth-account")
    func walletMatchesEthAccount() async throws {
        for vector in try ChainCLIVectors.cases("wallet").prefix(12) {
            let key = try #require(vector["privateKey"] as? String)
            let address = try #require(vector["address"] as? String)
            let message = try #require(vector["message"] as? String)
            let signature = try #require(vector["signature"] as? String)

            #expect(try await AIPlatCLI.succeed(["chain", "wallet", "address", "--private-key", key]).lines == [address])
            #expect(try await AIPlatCLI.succeed(["chain", "wallet", "address", key]).lines == [address])
            let signed = try await AIPlatCLI.succeed(["chain", "wallet", "sign", "--private-key", key, message])
            #expect(signed.lines == [signature], "sign \(message)")
            let digestSigned = try await AIPlatCLI.succeed(
                ["chain", "wallet", "sign", "--no-hash", "--private-key", key, try #require(vector["digest"] as? String)])
            #expect(digestSigned.lines == [try #require(vector["digestSignature"] as? String)])
            let verified = try await AIPlatCLI.succeed(["chain", "wallet", "verify", "--address", address, message, signature])
            #expect(verified.lines == ["Validation succeeded. Address \(address) signed this message."])
        }
    }

    @Test("wallet address reads the key from $AIPLAT_PRIVATE_KEY")
    func walletAddressFromEnvironment() async throws {
        let vector = try #require(try ChainCLIVectors.cases("wallet").first)
        let result = try await AIPlatCLI.succeed(
            ["chain", "wallet", "address"], environment: ["AIPLAT_PRIVATE_KEY": try #require(vector["privateKey"] as? String)])
        #expect(result.lines == [try #require(vector["address"] as? String)])
    }

    @Test("wallet verify fails with one error line when another key signed")
    func walletVerifyRejectsOtherSigner() async throws {
        let vectors = try ChainCLIVectors.cases("wallet")
        let message = try #require(vectors[0]["message"] as? String)
        let signature = try #require(vectors[0]["signature"] as? String)
        let otherAddress = try #require(vectors[1]["address"] as? String)
        let result = try await AIPlatCLI.run(["chain", "wallet", "verify", "--address", otherAddress, message, signature])
        AIPlatCLI.expectOneLineError(result, mentioning: "Validation failed. Address \(otherAddress) did not sign this message")
    }

    @Test("wallet sign-typed-data signs EIP-712 JSON from a file or inline, like eth-account")
    func signTypedDataMatchesEthAccount() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for vector in try ChainCLIVectors.cases("typedData") {
            let key = try #require(vector["privateKey"] as? String)
            let json = String(decoding: try JSONSerialization.data(withJSONObject: try #require(vector["typedData"])), as: UTF8.self)
            let file = directory.appendingPathComponent("typed-\(UUID().uuidString).json")
            try Data(json.utf8).write(to: file)
            let expected = [try #require(vector["signature"] as? String)]
            #expect(try await AIPlatCLI.succeed(["chain", "wallet", "sign-typed-data", "--private-key", key, file.path]).lines == expected)
            #expect(try await AIPlatCLI.succeed(["chain", "wallet", "sign-typed-data", "--private-key", key, json]).lines == expected)
            #expect(try await AIPlatCLI.succeed(["chain", "wallet", "sign", "--data", "--private-key", key, json]).lines == expected)
        }
    }

    @Test("wallet new prints a fresh key whose address wallet address derives", arguments: [false, true])
    func walletNewPrintsMatchingKeyPair(json: Bool) async throws {
        let result = try await AIPlatCLI.succeed(["chain", "wallet", "new"] + (json ? ["--json"] : []))
        let address: String
        let key: String
        if json {
            let pairs = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: String]])
            address = try #require(pairs.first?["address"])
            key = try #require(pairs.first?["private_key"])
        } else {
            #expect(result.lines.count == 3)
            #expect(result.lines.first == "Successfully created new keypair.")
            address = try #require(result.lines.first { $0.hasPrefix("Address:") }?.split(separator: " ").last.map(String.init))
            key = try #require(result.lines.first { $0.hasPrefix("Private key:") }?.split(separator: " ").last.map(String.init))
        }
        #expect(key.count == 66 && key.hasPrefix("0x") && key == key.lowercased())
        #expect(try await AIPlatCLI.succeed(["chain", "wallet", "address", "--private-key", key]).lines == [address])
    }

    @Test("mktx signs offline byte-for-byte like eth-account when every field is given")
    func mktxMatchesEthAccountOffline() async throws {
        for vector in try ChainCLIVectors.cases("mktx") {
            let key = try #require(vector["privateKey"] as? String)
            let to = try #require(vector["to"] as? String)
            let options = try #require(vector["options"] as? [String])
            let calldata = vector["calldata"] as? String
            // An RPC URL nothing listens on: the command must not need the node at all.
            let arguments = ["chain", "mktx", "--rpc-url", "http://127.0.0.1:9", "--private-key", key] + options
                + [to] + (calldata.map { [$0] } ?? [])
            let result = try await AIPlatCLI.succeed(arguments)
            #expect(result.lines == [try #require(vector["raw"] as? String)], "mktx \(options)")
        }
    }

    @Test("mktx --json also reports the transaction hash and sender")
    func mktxJSON() async throws {
        let vector = try #require(try ChainCLIVectors.cases("mktx").first)
        let key = try #require(vector["privateKey"] as? String)
        let options = try #require(vector["options"] as? [String])
        let calldata = vector["calldata"] as? String
        let result = try await AIPlatCLI.succeed(
            ["chain", "mktx", "--json", "--private-key", key] + options + [try #require(vector["to"] as? String)]
                + (calldata.map { [$0] } ?? []))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: String])
        #expect(object["rawTransaction"] == vector["raw"] as? String)
        #expect(object["transactionHash"] == vector["hash"] as? String)
        let address = try await AIPlatCLI.succeed(["chain", "wallet", "address", key]).output
        #expect(object["from"] == address)
    }

    @Test("keystore export reads eth-account keystores (scrypt and pbkdf2)")
    func keystoreExportReadsEthAccountFiles() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for vector in try ChainCLIVectors.cases("keystore") {
            let file = directory.appendingPathComponent("keystore-\(UUID().uuidString).json")
            try JSONSerialization.data(withJSONObject: try #require(vector["keystore"])).write(to: file)
            let passwordFile = directory.appendingPathComponent("password-\(UUID().uuidString)")
            // A trailing newline, as `echo` writes it, is not part of the password.
            try Data((try #require(vector["password"] as? String) + "\n").utf8).write(to: passwordFile)
            let result = try await AIPlatCLI.succeed(["chain", "keystore", "export", file.path, "--password-file", passwordFile.path])
            #expect(result.lines == [try #require(vector["privateKey"] as? String)])
            let json = try await AIPlatCLI.succeed(["chain", "keystore", "export", file.path, "--password-file", passwordFile.path, "--json"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: String])
            #expect(object["address"] == vector["address"] as? String)
        }
    }

    @Test("keystore import then export gives the key back", arguments: ["scrypt", "pbkdf2"])
    func keystoreRoundTrip(kdf: String) async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let vector = try #require(try ChainCLIVectors.cases("wallet").last)
        let key = try #require(vector["privateKey"] as? String)
        let passwordFile = directory.appendingPathComponent("password")
        try Data("correct horse battery staple".utf8).write(to: passwordFile)
        let out = directory.appendingPathComponent("key.json")

        let imported = try await AIPlatCLI.succeed(
            ["chain", "keystore", "import", "--private-key", key, "--password-file", passwordFile.path, "--kdf", kdf, "--out", out.path])
        #expect(imported.lines == ["Saved keystore: \(out.path)", "Address: \(try #require(vector["address"] as? String))"])
        #expect(!imported.stdout.contains(String(key.dropFirst(2))), "import must not print the key")
        let file = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out)) as? [String: Any])
        #expect(file["version"] as? Int == 3)
        #expect((file["crypto"] as? [String: Any])?["kdf"] as? String == kdf)
        let permissions = try FileManager.default.attributesOfItem(atPath: out.path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)

        let exported = try await AIPlatCLI.succeed(["chain", "keystore", "export", out.path, "--password-file", passwordFile.path])
        #expect(exported.lines == [key])

        // The same keystore signs like the raw key.
        let message = "keystore signer"
        let fromKeystore = try await AIPlatCLI.succeed(
            ["chain", "wallet", "sign", "--keystore", out.path, "--password", "correct horse battery staple", message])
        let fromKey = try await AIPlatCLI.succeed(["chain", "wallet", "sign", "--private-key", key, message])
        #expect(fromKeystore.lines == fromKey.lines)
    }

    @Test("keystore import into a directory writes a geth-named file and refuses to overwrite")
    func keystoreImportIntoDirectory() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let vector = try #require(try ChainCLIVectors.cases("wallet").first)
        let key = try #require(vector["privateKey"] as? String)
        let address = try #require(vector["address"] as? String)
        let result = try await AIPlatCLI.succeed(
            ["chain", "keystore", "import", "--private-key", key, "--password", "pw", "--kdf", "pbkdf2", "--out", directory.path, "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: String])
        let path = try #require(object["path"])
        #expect(object["address"] == address)
        #expect(URL(fileURLWithPath: path).lastPathComponent.hasPrefix("UTC--"))
        #expect(path.hasSuffix("--" + address.dropFirst(2).lowercased()))

        let again = try await AIPlatCLI.run(
            ["chain", "keystore", "import", "--private-key", key, "--password", "pw", "--kdf", "pbkdf2", "--out", path])
        AIPlatCLI.expectOneLineError(again, mentioning: "exists")
    }

    @Test("keystore import without --out writes into the data directory's keystore/")
    func keystoreImportDefaultsToDataDirectory() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let vector = try #require(try ChainCLIVectors.cases("wallet").first)
        let result = try await AIPlatCLI.succeed(
            ["chain", "keystore", "import", "--private-key", try #require(vector["privateKey"] as? String), "--password", "pw", "--kdf", "pbkdf2", "--json"],
            environment: ["AIPLAT_DATA_DIR": directory.path])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: String])
        let path = try #require(object["path"])
        #expect(URL(fileURLWithPath: path).deletingLastPathComponent().path == directory.appendingPathComponent("keystore").path)
        #expect(FileManager.default.fileExists(atPath: path))
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("aiplat-cli-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
