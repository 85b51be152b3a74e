import EthereumKit
import Foundation
import Testing

/// Keystores we write must open in eth-account (the reference for geth-compatible V3 files); the
/// other direction (eth-account files opened by us) is covered by the vectors in EthereumKitTests.
@Suite struct KeystoreInteropTests {
    @Test(arguments: [KeystoreKDF.scrypt(n: 1024, r: 8, p: 1), .pbkdf2(iterations: 1000)])
    func keystoresWrittenByEthereumKitDecryptInEthAccount(kdf: KeystoreKDF) throws {
        let key = PrivateKey.random()
        let password = "pässwörd ✓"
        let file = try KeystoreFile.encrypt(privateKey: key, password: password, kdf: kdf)
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("keystore.json")
        try Data(file.json()).write(to: path)

        let python = Process()
        python.executableURL = TestPaths.repositoryRoot.appendingPathComponent(".venv/bin/python")
        python.arguments = [
            "-c",
            "import json, sys; from eth_account import Account; "
                + "print(Account.decrypt(json.load(open(sys.argv[1])), sys.argv[2]).hex())",
            path.path, password,
        ]
        let output = Pipe()
        python.standardOutput = output
        try python.run()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        python.waitUntilExit()
        #expect(python.terminationStatus == 0)
        let decrypted = printed.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(decrypted.replacingOccurrences(of: "0x", with: "") == key.hex.replacingOccurrences(of: "0x", with: ""))
    }
}
