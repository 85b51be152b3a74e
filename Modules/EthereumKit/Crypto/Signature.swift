import BigInt
import CSecp256k1

/// A recoverable secp256k1 ECDSA signature: r, s (32 big-endian bytes each) and the recovery id (0 or 1).
///
/// Ethereum writes the recovery id as `v`: 27/28 for messages and pre-EIP-155 transactions,
/// `chainID * 2 + 35 + recoveryID` for EIP-155 legacy transactions, and 0/1 (`yParity`) in typed transactions.
public struct Signature: Sendable, Hashable, CustomStringConvertible {
    /// r, 32 big-endian bytes.
    public let r: [UInt8]
    /// s, 32 big-endian bytes.
    public let s: [UInt8]
    /// Which of the candidate public keys signed: 0 or 1 (the parity of the nonce point's y, also called yParity).
    public let recoveryID: UInt8

    init(validatedR r: [UInt8], s: [UInt8], recoveryID: UInt8) {
        self.r = r
        self.s = s
        self.recoveryID = recoveryID
    }

    /// A signature from its parts; r and s must be 32 bytes in 1..<n and `recoveryID` 0 or 1. High s is accepted
    /// here (see `isLowS`); `PublicKey.verify` and transaction decoding reject it.
    public init(r: some Collection<UInt8>, s: some Collection<UInt8>, recoveryID: UInt8) throws(SignatureError) {
        let r = Array(r), s = Array(s)
        guard r.count == 32 else { throw .wrongComponentLength(name: "r", count: r.count) }
        guard s.count == 32 else { throw .wrongComponentLength(name: "s", count: s.count) }
        guard Secp256k1.isValidScalar(r) else { throw .componentOutOfRange(name: "r") }
        guard Secp256k1.isValidScalar(s) else { throw .componentOutOfRange(name: "s") }
        guard recoveryID <= 1 else { throw .invalidRecoveryID(UInt64(recoveryID)) }
        self.init(validatedR: r, s: s, recoveryID: recoveryID)
    }

    /// A 65-byte r || s || v signature as wallets produce it; v may be 0, 1, 27 or 28.
    public init(bytes: some Collection<UInt8>) throws(SignatureError) {
        let bytes = Array(bytes)
        guard bytes.count == 65 else { throw .wrongLength(bytes.count) }
        let v = bytes[64]
        let recoveryID: UInt8
        switch v {
        case 0, 1: recoveryID = v
        case 27, 28: recoveryID = v - 27
        default: throw .invalidV(UInt64(v))
        }
        try self.init(r: bytes[0..<32], s: bytes[32..<64], recoveryID: recoveryID)
    }

    /// Parses `0x`-prefixed (or bare) hex of a 65-byte signature.
    public init(hex: String) throws(SignatureError) {
        let decoded: [UInt8]
        do {
            decoded = try Hex.decode(hex.trimmedForKeyParsing())
        } catch {
            throw .invalidHex(input: hex, reason: error.reason)
        }
        try self.init(bytes: decoded)
    }

    /// r || s || v with v = 27 + recoveryID (65 bytes): the form `eth_sign` and eth-account's `signature` use.
    public var serialized: [UInt8] { r + s + [v] }

    /// r || s (64 bytes), without the recovery id.
    public var compact: [UInt8] { r + s }

    /// 27 + recoveryID: the v of a personal message or a pre-EIP-155 transaction.
    public var v: UInt8 { 27 + recoveryID }

    /// The v of an EIP-155 legacy transaction: chainID * 2 + 35 + recoveryID.
    public func v(chainID: UInt64) -> BigUInt {
        BigUInt(chainID) * 2 + 35 + BigUInt(recoveryID)
    }

    /// The recovery id that a legacy transaction's `v` encodes: 27/28 before EIP-155, chainID * 2 + 35/36 after.
    /// Returns the recovery id and the chain id (nil for 27/28); throws for any other v.
    public static func recoveryID(fromLegacyV v: BigUInt) throws(SignatureError) -> (recoveryID: UInt8, chainID: UInt64?) {
        if v == 27 || v == 28 { return (UInt8(v - 27), nil) }
        guard v >= 35 else { throw .invalidV(UInt64(truncatingIfNeeded: v)) }
        let chainID = (v - 35) / 2
        guard chainID.bitWidth <= 64 else { throw .invalidV(UInt64(truncatingIfNeeded: v)) }
        return (UInt8((v - 35) % 2), UInt64(chainID))
    }

    /// True when s <= n/2, the canonical form Ethereum requires of transaction signatures (EIP-2).
    public var isLowS: Bool {
        var parsed = secp256k1_ecdsa_signature()
        let ok = withCompactBytes { secp256k1_ecdsa_signature_parse_compact(Secp256k1.context, &parsed, $0) }
        guard ok == 1 else { return false }
        // normalize returns 1 when the input had a high s.
        return secp256k1_ecdsa_signature_normalize(Secp256k1.context, nil, &parsed) == 0
    }

    /// The public key that produced this signature over `digest` (32 bytes).
    public func recoverPublicKey(digest: [UInt8]) throws(SignatureError) -> PublicKey {
        guard digest.count == 32 else { throw .wrongDigestLength(digest.count) }
        return try digest.withUnsafeBytes { d in Result { () throws(SignatureError) in try recoverPublicKey(digest32: d) } }.get()
    }

    /// The address that produced this signature over `digest` (32 bytes).
    public func recoverAddress(digest: [UInt8]) throws(SignatureError) -> Address {
        try recoverPublicKey(digest: digest).address
    }

    /// Recovery for callers that already hold a 32-byte digest (the length is not checked again).
    func recoverPublicKey(digest32 digest: UnsafeRawBufferPointer) throws(SignatureError) -> PublicKey {
        var signature = secp256k1_ecdsa_recoverable_signature()
        let parsed = withCompactBytes {
            secp256k1_ecdsa_recoverable_signature_parse_compact(Secp256k1.context, &signature, $0, Int32(recoveryID))
        }
        guard parsed == 1 else { throw .recoveryFailed }
        var key = secp256k1_pubkey()
        let recovered = secp256k1_ecdsa_recover(
            Secp256k1.context, &key, &signature, digest.bindMemory(to: UInt8.self).baseAddress!)
        guard recovered == 1 else { throw .recoveryFailed }
        return PublicKey(validatedRawBytes: Secp256k1.rawBytes(of: &key))
    }

    /// Calls `body` with r || s laid out contiguously on the stack.
    func withCompactBytes<R>(_ body: (UnsafePointer<UInt8>) -> R) -> R {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { buffer in
            _ = buffer.initialize(fromContentsOf: r)
            _ = UnsafeMutableBufferPointer(rebasing: buffer[32...]).initialize(fromContentsOf: s)
            return body(UnsafePointer(buffer.baseAddress!))
        }
    }

    /// Lowercase hex of `serialized`.
    public var description: String { Hex.encode(serialized) }
}

/// Why a signature was refused or could not be used.
public enum SignatureError: Error, Sendable, Equatable, CustomStringConvertible {
    case wrongLength(Int)
    case wrongComponentLength(name: String, count: Int)
    case componentOutOfRange(name: String)
    case invalidV(UInt64)
    case invalidRecoveryID(UInt64)
    case invalidHex(input: String, reason: String)
    case wrongDigestLength(Int)
    case recoveryFailed

    public var description: String {
        switch self {
        case .wrongLength(let count): "invalid signature: expected 65 bytes (r, s, v), got \(count)"
        case .wrongComponentLength(let name, let count): "invalid signature: \(name) must be 32 bytes, got \(count)"
        case .componentOutOfRange(let name): "invalid signature: \(name) must be in 1..<n (the secp256k1 group order)"
        case .invalidV(let v): "invalid signature: v must be 0, 1, 27, 28 or an EIP-155 value, got \(v)"
        case .invalidRecoveryID(let id): "invalid signature: recovery id must be 0 or 1, got \(id)"
        case .invalidHex(let input, let reason): "invalid signature \"\(input.prefix(140))\": \(reason)"
        case .wrongDigestLength(let count): "invalid digest: expected 32 bytes, got \(count)"
        case .recoveryFailed: "signature recovery failed: no public key matches this signature and digest"
        }
    }
}
