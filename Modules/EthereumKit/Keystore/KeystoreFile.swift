import Foundation

/// A Web3 Secret Storage (V3) keystore, field for field as geth and eth-account write it:
///
/// ```json
/// {"address": "…", "crypto": {"cipher": "aes-128-ctr", "cipherparams": {"iv": "…"}, "ciphertext": "…",
///   "kdf": "scrypt", "kdfparams": {"dklen": 32, "n": 262144, "p": 1, "r": 8, "salt": "…"}, "mac": "…"},
///  "id": "<uuid>", "version": 3}
/// ```
///
/// The MAC is keccak256(derivedKey[16..<32] ++ ciphertext); the cipher key is derivedKey[0..<16].
public struct KeystoreFile: Sendable, Hashable, Codable {
    /// Always 3.
    public var version: Int
    /// A random UUID naming the file.
    public var id: String
    /// The key's address as hex without `0x` (geth: lowercase, eth-account: checksummed); optional in the format.
    public var address: String?
    /// Cipher, KDF and MAC.
    public var crypto: CryptoSection

    /// The `crypto` object.
    public struct CryptoSection: Sendable, Hashable, Codable {
        /// Always "aes-128-ctr".
        public var cipher: String
        public var cipherParams: CipherParams
        /// Hex of the encrypted 32-byte key.
        public var cipherText: String
        /// "scrypt" or "pbkdf2".
        public var kdf: String
        public var kdfParams: KDFParams
        /// Hex of keccak256(derivedKey[16..<32] ++ ciphertext).
        public var mac: String

        enum CodingKeys: String, CodingKey {
            case cipher
            case cipherParams = "cipherparams"
            case cipherText = "ciphertext"
            case kdf
            case kdfParams = "kdfparams"
            case mac
        }
    }

    /// The `cipherparams` object.
    public struct CipherParams: Sendable, Hashable, Codable {
        /// Hex of the 16-byte initial counter block.
        public var iv: String
    }

    /// The `kdfparams` object: `n`, `r`, `p` for scrypt, `c` and `prf` for pbkdf2.
    public struct KDFParams: Sendable, Hashable, Codable {
        public var derivedKeyLength: Int
        public var n: Int?
        public var r: Int?
        public var p: Int?
        public var iterations: Int?
        public var prf: String?
        /// Hex of the salt.
        public var salt: String

        enum CodingKeys: String, CodingKey {
            case derivedKeyLength = "dklen"
            case n, r, p
            case iterations = "c"
            case prf
            case salt
        }
    }

    enum CodingKeys: String, CodingKey {
        case version
        case id
        case address
        case crypto
        /// Some older geth files capitalise it.
        case legacyCrypto = "Crypto"
    }

    public init(version: Int, id: String, address: String?, crypto: CryptoSection) {
        self.version = version
        self.id = id
        self.address = address
        self.crypto = crypto
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try container.decode(Int.self, forKey: .version)
        id = try container.decodeIfPresent(String.self, forKey: .id) ?? ""
        address = try container.decodeIfPresent(String.self, forKey: .address)
        if let crypto = try container.decodeIfPresent(CryptoSection.self, forKey: .crypto) {
            self.crypto = crypto
        } else {
            crypto = try container.decode(CryptoSection.self, forKey: .legacyCrypto)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(version, forKey: .version)
        try container.encode(id, forKey: .id)
        try container.encodeIfPresent(address, forKey: .address)
        try container.encode(crypto, forKey: .crypto)
    }

    // MARK: JSON

    /// Parses keystore JSON; a malformed document gives `KeystoreError.invalidFile` naming what is wrong.
    public init(json: Data) throws(KeystoreError) {
        do {
            self = try JSONDecoder().decode(KeystoreFile.self, from: json)
        } catch let DecodingError.keyNotFound(key, context) {
            throw .invalidFile(reason: "missing \"\(Self.path(context.codingPath + [key]))\"")
        } catch let DecodingError.typeMismatch(_, context) {
            throw .invalidFile(reason: "\"\(Self.path(context.codingPath))\" has the wrong type")
        } catch let DecodingError.valueNotFound(_, context) {
            throw .invalidFile(reason: "\"\(Self.path(context.codingPath))\" is null")
        } catch {
            throw .invalidFile(reason: "not JSON")
        }
    }

    /// The keystore as JSON with keys sorted (the order geth writes).
    public func json() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings and integers cannot fail.
        return (try? encoder.encode(self)) ?? Data()
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map(\.stringValue).joined(separator: ".")
    }

    // MARK: Decrypt

    /// The KDF and its parameters as the file states them (validated).
    public func kdf() throws(KeystoreError) -> KeystoreKDF {
        let params = crypto.kdfParams
        let kdf: KeystoreKDF
        switch crypto.kdf {
        case "scrypt":
            guard let n = params.n, let r = params.r, let p = params.p else {
                throw .invalidFile(reason: "scrypt kdfparams need n, r and p")
            }
            kdf = .scrypt(n: n, r: r, p: p)
        case "pbkdf2":
            guard let iterations = params.iterations else { throw .invalidFile(reason: "pbkdf2 kdfparams need c") }
            guard params.prf == "hmac-sha256" else { throw .unsupported(field: "kdfparams.prf", value: params.prf ?? "(none)") }
            kdf = .pbkdf2(iterations: iterations)
        default:
            throw .unsupported(field: "crypto.kdf", value: crypto.kdf)
        }
        try kdf.validate()
        return kdf
    }

    /// Decrypts the key. A wrong password gives `KeystoreError.wrongPassword` (the MAC does not match).
    public func decrypt(password: String) throws(KeystoreError) -> PrivateKey {
        try decrypt(password: Array(password.utf8))
    }

    /// Decrypts the key with a password given as raw bytes.
    public func decrypt(password: [UInt8]) throws(KeystoreError) -> PrivateKey {
        guard version == 3 else { throw .unsupported(field: "version", value: String(version)) }
        guard crypto.cipher == "aes-128-ctr" else { throw .unsupported(field: "crypto.cipher", value: crypto.cipher) }
        let kdf = try kdf()
        let derivedKeyLength = crypto.kdfParams.derivedKeyLength
        guard (32...1024).contains(derivedKeyLength) else {
            throw .invalidParameter(name: "dklen", reason: "must be in 32...1024, got \(derivedKeyLength)")
        }
        let salt = try Self.hexField(crypto.kdfParams.salt, name: "kdfparams.salt")
        let iv = try Self.hexField(crypto.cipherParams.iv, name: "cipherparams.iv", length: 16)
        let cipherText = try Self.hexField(crypto.cipherText, name: "ciphertext")
        let mac = try Self.hexField(crypto.mac, name: "mac", length: 32)

        let derivedKey = try KeystoreCrypto.deriveKey(password: password, salt: salt, kdf: kdf, length: derivedKeyLength)
        let expectedMAC = Keccak256.hash(derivedKey[16..<32] + cipherText)
        guard KeystoreCrypto.constantTimeEqual(expectedMAC, mac) else { throw .wrongPassword }

        let plain = try KeystoreCrypto.aes128CTR(key: derivedKey[0..<16], iv: iv, input: cipherText)
        let key: PrivateKey
        do {
            key = try PrivateKey(bytes: plain)
        } catch {
            throw .invalidKey(error)
        }
        if let address, !address.isEmpty {
            let stated = (address.hasPrefix("0x") ? String(address.dropFirst(2)) : address).lowercased()
            let actual = Hex.encode(key.address.bytes, prefix: false)
            guard stated == actual else { throw .addressMismatch(expected: "0x" + stated, actual: key.address.checksummed) }
        }
        return key
    }

    private static func hexField(_ string: String, name: String, length: Int? = nil) throws(KeystoreError) -> [UInt8] {
        let bytes: [UInt8]
        do {
            bytes = try Hex.decode(string)
        } catch {
            throw .invalidFile(reason: "\(name): \(error.reason)")
        }
        if let length, bytes.count != length {
            throw .invalidFile(reason: "\(name) must be \(length) bytes, got \(bytes.count)")
        }
        return bytes
    }

    // MARK: Encrypt

    /// Encrypts `privateKey` under `password` with a fresh random salt, IV and id.
    /// Use `.scrypt(n: 1024, r: 8, p: 1)` or `.pbkdf2(iterations: 1000)` in tests; the default is geth's standard scrypt.
    public static func encrypt(
        privateKey: PrivateKey, password: String, kdf: KeystoreKDF = .standard
    ) throws(KeystoreError) -> KeystoreFile {
        try encrypt(privateKey: privateKey, password: Array(password.utf8), kdf: kdf)
    }

    /// `encrypt` with a password given as raw bytes.
    public static func encrypt(
        privateKey: PrivateKey, password: [UInt8], kdf: KeystoreKDF = .standard
    ) throws(KeystoreError) -> KeystoreFile {
        try kdf.validate()
        let salt = try KeystoreCrypto.randomBytes(32)
        let iv = try KeystoreCrypto.randomBytes(16)
        let derivedKey = try KeystoreCrypto.deriveKey(password: password, salt: salt, kdf: kdf, length: 32)
        let cipherText = try KeystoreCrypto.aes128CTR(key: derivedKey[0..<16], iv: iv, input: privateKey.bytes)
        let mac = Keccak256.hash(derivedKey[16..<32] + cipherText)
        let params: KDFParams
        switch kdf {
        case .scrypt(let n, let r, let p):
            params = KDFParams(derivedKeyLength: 32, n: n, r: r, p: p, salt: Hex.encode(salt, prefix: false))
        case .pbkdf2(let iterations):
            params = KDFParams(
                derivedKeyLength: 32, iterations: iterations, prf: "hmac-sha256", salt: Hex.encode(salt, prefix: false))
        }
        return KeystoreFile(
            version: 3,
            id: UUID().uuidString.lowercased(),
            address: Hex.encode(privateKey.address.bytes, prefix: false),
            crypto: CryptoSection(
                cipher: "aes-128-ctr",
                cipherParams: CipherParams(iv: Hex.encode(iv, prefix: false)),
                cipherText: Hex.encode(cipherText, prefix: false),
                kdf: kdf.name,
                kdfParams: params,
                mac: Hex.encode(mac, prefix: false)))
    }
}
