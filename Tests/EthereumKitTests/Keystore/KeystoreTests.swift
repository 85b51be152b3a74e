import Foundation
import Testing
@testable import EthereumKit

@Suite struct KeystoreTests {
    struct Vector: Decodable {
        let source: String
        let password: String
        let privateKey: String
        let address: String
        let keystore: KeystoreFile
    }

    static func vectors() throws -> [Vector] {
        try CryptoVectorLoader.load("keystores", as: Vector.self)
    }

    @Test func decryptsEthAccountAndSpecKeystoresWithScryptAndPBKDF2() throws {
        let vectors = try Self.vectors()
        #expect(Set(vectors.map(\.keystore.crypto.kdf)) == ["scrypt", "pbkdf2"])
        for vector in vectors {
            let key = try vector.keystore.decrypt(password: vector.password)
            #expect(key.hex == vector.privateKey, "\(vector.source)")
            #expect(key.address.checksummed == vector.address)
        }
    }

    @Test func aWrongPasswordIsReportedAsAMACMismatchInOneLine() throws {
        for vector in try Self.vectors() {
            #expect(throws: KeystoreError.wrongPassword) { try vector.keystore.decrypt(password: vector.password + "x") }
        }
        #expect(KeystoreError.wrongPassword.description == "keystore: wrong password (MAC mismatch)")
    }

    @Test(arguments: [KeystoreKDF.scrypt(n: 1024, r: 8, p: 1), .pbkdf2(iterations: 1000), .scrypt(n: 16, r: 1, p: 2)])
    func encryptedKeystoresRoundTripThroughJSON(kdf: KeystoreKDF) throws {
        let key = PrivateKey.random()
        let file = try KeystoreFile.encrypt(privateKey: key, password: "pässwörd ✓", kdf: kdf)
        #expect(file.version == 3)
        #expect(file.address == Hex.encode(key.address.bytes, prefix: false))
        #expect(UUID(uuidString: file.id) != nil)
        let reread = try KeystoreFile(json: file.json())
        #expect(reread == file)
        #expect(try reread.decrypt(password: "pässwörd ✓") == key)
        #expect(throws: KeystoreError.wrongPassword) { try reread.decrypt(password: "password") }
        #expect(try reread.kdf() == kdf)
    }

    @Test func gethStandardScryptParametersFitTheMemoryLimitGivenToOpenSSL() throws {
        let key = PrivateKey.random()
        let file = try KeystoreFile.encrypt(privateKey: key, password: "standard")
        #expect(try file.kdf() == .scrypt(n: 262_144, r: 8, p: 1))
        #expect(try file.decrypt(password: "standard") == key)
    }

    @Test func writesTheFieldNamesGethAndEthAccountUse() throws {
        let file = try KeystoreFile.encrypt(privateKey: PrivateKey.random(), password: "p", kdf: .pbkdf2(iterations: 10))
        let object = try #require(try JSONSerialization.jsonObject(with: file.json()) as? [String: Any])
        #expect(Set(object.keys) == ["address", "crypto", "id", "version"])
        let crypto = try #require(object["crypto"] as? [String: Any])
        #expect(Set(crypto.keys) == ["cipher", "cipherparams", "ciphertext", "kdf", "kdfparams", "mac"])
        #expect(crypto["cipher"] as? String == "aes-128-ctr")
        let params = try #require(crypto["kdfparams"] as? [String: Any])
        #expect(Set(params.keys) == ["c", "dklen", "prf", "salt"])
        #expect(params["prf"] as? String == "hmac-sha256")
    }

    @Test func decodingAcceptsTheCapitalisedCryptoKeyOfOlderGethFiles() throws {
        let vector = try #require(try Self.vectors().first)
        let json = String(decoding: vector.keystore.json(), as: UTF8.self).replacingOccurrences(of: "\"crypto\"", with: "\"Crypto\"")
        #expect(try KeystoreFile(json: Data(json.utf8)).decrypt(password: vector.password).hex == vector.privateKey)
    }

    @Test func malformedOrTamperedFilesGiveTypedErrors() throws {
        let vector = try #require(try Self.vectors().first { $0.keystore.crypto.kdf == "pbkdf2" })
        #expect(throws: KeystoreError.invalidFile(reason: "not JSON")) { try KeystoreFile(json: Data("{".utf8)) }
        #expect(throws: KeystoreError.self) { try KeystoreFile(json: Data("{\"version\": 3}".utf8)) }

        var file = vector.keystore
        file.crypto.cipher = "aes-256-gcm"
        #expect(throws: KeystoreError.unsupported(field: "crypto.cipher", value: "aes-256-gcm")) {
            try file.decrypt(password: vector.password)
        }
        file = vector.keystore
        file.crypto.kdf = "argon2"
        #expect(throws: KeystoreError.unsupported(field: "crypto.kdf", value: "argon2")) { try file.decrypt(password: vector.password) }
        file = vector.keystore
        file.crypto.cipherParams.iv = "00"
        #expect(throws: KeystoreError.invalidFile(reason: "cipherparams.iv must be 16 bytes, got 1")) {
            try file.decrypt(password: vector.password)
        }
        file = vector.keystore
        file.crypto.cipherText = "zz"
        #expect(throws: KeystoreError.self) { try file.decrypt(password: vector.password) }
        file = vector.keystore
        file.address = "0000000000000000000000000000000000000001"
        #expect(throws: KeystoreError.self) { try file.decrypt(password: vector.password) }
    }

    @Test func hostileScryptParametersAreRefusedBeforeAnyWork() throws {
        let vector = try #require(try Self.vectors().first { $0.keystore.crypto.kdf == "scrypt" })
        var file = vector.keystore
        file.crypto.kdfParams.n = 1 << 30
        #expect(throws: KeystoreError.self) { try file.decrypt(password: vector.password) }
        file.crypto.kdfParams.n = 1000
        #expect(throws: KeystoreError.self) { try file.decrypt(password: vector.password) }
        file.crypto.kdfParams.n = 1 << 17
        file.crypto.kdfParams.r = 1
        #expect(throws: KeystoreError.self) { try file.decrypt(password: vector.password) }
        file = vector.keystore
        file.crypto.kdfParams.derivedKeyLength = 16
        #expect(throws: KeystoreError.self) { try file.decrypt(password: vector.password) }
    }
}
