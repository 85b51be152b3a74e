import CSecp256k1

/// A secp256k1 private key: 32 big-endian bytes in 1..<n.
///
/// The public key and address are derived once, when the key is created (one scalar multiplication, ~20 µs),
/// so reading them is free and signing many transactions with one key pays for it once.
/// `description` never prints the key; use `hex` or `bytes` deliberately when exporting it.
public struct PrivateKey: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The 32-byte big-endian scalar.
    public let bytes: [UInt8]
    /// The matching public key.
    public let publicKey: PublicKey
    /// The Ethereum address of this key.
    public let address: Address

    /// A key from 32 big-endian bytes; throws unless they are a scalar in 1..<n.
    public init(bytes: some Collection<UInt8>) throws(PrivateKeyError) {
        let bytes = Array(bytes)
        guard bytes.count == 32 else { throw .wrongLength(bytes.count) }
        guard bytes.contains(where: { $0 != 0 }) else { throw .zero }
        guard Secp256k1.isValidScalar(bytes) else { throw .notBelowGroupOrder }
        self.bytes = bytes
        self.publicKey = Self.derivePublicKey(bytes)
        self.address = publicKey.address
    }

    /// A key from 64 hex digits, with or without `0x`. The error never echoes the input (it is a secret).
    public init(hex: String) throws(PrivateKeyError) {
        let decoded: [UInt8]
        do {
            decoded = try Hex.decode(hex.trimmedForKeyParsing())
        } catch {
            throw .invalidHex(reason: error.reason)
        }
        try self.init(bytes: decoded)
    }

    /// A fresh key from the system's cryptographically secure generator (`getrandom` on Linux).
    public static func random() -> PrivateKey {
        var rng = SystemRandomNumberGenerator()
        while true {
            var candidate = [UInt8](repeating: 0, count: 32)
            for i in candidate.indices { candidate[i] = rng.next() }
            // Rejection sampling: the chance of a scalar outside 1..<n is below 2^-127.
            if let key = try? PrivateKey(bytes: candidate) { return key }
        }
    }

    /// Lowercase `0x`-prefixed hex of the key. Handle with care.
    public var hex: String { Hex.encode(bytes) }

    private static func derivePublicKey(_ scalar: [UInt8]) -> PublicKey {
        var key = secp256k1_pubkey()
        let ok = scalar.withUnsafeBufferPointer { secp256k1_ec_pubkey_create(Secp256k1.context, &key, $0.baseAddress!) }
        // The caller verified the scalar, so creation cannot fail.
        assert(ok == 1)
        return PublicKey(validatedRawBytes: Secp256k1.rawBytes(of: &key))
    }


    /// Signs a 32-byte digest: deterministic RFC 6979 nonce, recoverable, low-s; byte-identical to eth-keys.
    public func sign(digest: [UInt8]) throws(SignatureError) -> Signature {
        guard digest.count == 32 else { throw .wrongDigestLength(digest.count) }
        return digest.withUnsafeBytes { sign(digest32: $0) }
    }

    /// Signing for callers that already hold a 32-byte digest (the length is not checked again).
    func sign(digest32 digest: UnsafeRawBufferPointer) -> Signature {
        var signature = secp256k1_ecdsa_recoverable_signature()
        let signed = bytes.withUnsafeBufferPointer { key in
            secp256k1_ecdsa_sign_recoverable(
                Secp256k1.context, &signature, digest.bindMemory(to: UInt8.self).baseAddress!,
                key.baseAddress!, nil, nil)
        }
        // The default nonce function fails only with probability ~2^-256 for a valid key.
        assert(signed == 1)
        var recoveryID: Int32 = 0
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { compact in
            _ = secp256k1_ecdsa_recoverable_signature_serialize_compact(
                Secp256k1.context, compact.baseAddress!, &recoveryID, &signature)
            return Signature(
                validatedR: Array(compact[0..<32]), s: Array(compact[32..<64]), recoveryID: UInt8(recoveryID))
        }
    }

    public static func == (lhs: PrivateKey, rhs: PrivateKey) -> Bool { lhs.bytes == rhs.bytes }
    public func hash(into hasher: inout Hasher) { hasher.combine(bytes) }

    public var description: String { "PrivateKey(<redacted>)" }
    public var debugDescription: String { description }
}

/// Why bytes or hex were refused as a private key. Descriptions never include the key material.
public enum PrivateKeyError: Error, Sendable, Equatable, CustomStringConvertible {
    case wrongLength(Int)
    case invalidHex(reason: String)
    case zero
    case notBelowGroupOrder

    public var description: String {
        switch self {
        case .wrongLength(let count): "invalid private key: expected 32 bytes, got \(count)"
        case .invalidHex(let reason): "invalid private key hex: \(reason)"
        case .zero: "invalid private key: zero is not a valid secp256k1 key"
        case .notBelowGroupOrder: "invalid private key: must be less than the secp256k1 group order n"
        }
    }
}
