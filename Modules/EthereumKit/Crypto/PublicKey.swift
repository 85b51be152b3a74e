import CSecp256k1

/// A secp256k1 public key, held as its 64-byte uncompressed coordinates x || y.
public struct PublicKey: Sendable, Hashable, CustomStringConvertible {
    /// x || y, 32 big-endian bytes each (the uncompressed SEC1 encoding without its `0x04` prefix).
    public let rawBytes: [UInt8]

    init(validatedRawBytes: [UInt8]) {
        self.rawBytes = validatedRawBytes
    }

    /// Parses 64 bytes (x || y), 65 bytes (`0x04` || x || y) or 33 bytes (compressed); throws unless the point is on the curve.
    public init(bytes: some Collection<UInt8>) throws(PublicKeyError) {
        var input = Array(bytes)
        let count = input.count
        if count == 64 { input.insert(0x04, at: 0) }
        guard count == 64 || count == 65 || count == 33 else { throw .wrongLength(count) }
        var key = secp256k1_pubkey()
        let parsed = input.withUnsafeBufferPointer {
            secp256k1_ec_pubkey_parse(Secp256k1.context, &key, $0.baseAddress!, $0.count)
        }
        guard parsed == 1 else { throw .notOnCurve }
        self.rawBytes = Secp256k1.rawBytes(of: &key)
    }

    /// Parses a hex public key in any of the forms `init(bytes:)` accepts.
    public init(hex: String) throws(PublicKeyError) {
        let decoded: [UInt8]
        do {
            decoded = try Hex.decode(hex.trimmedForKeyParsing())
        } catch {
            throw .invalidHex(input: hex, reason: error.reason)
        }
        try self.init(bytes: decoded)
    }

    /// `0x04` || x || y (65 bytes).
    public var uncompressed: [UInt8] { [0x04] + rawBytes }

    /// `0x02`/`0x03` (parity of y) || x (33 bytes).
    public var compressed: [UInt8] { [0x02 | (rawBytes[63] & 1)] + rawBytes[0..<32] }

    /// The Ethereum address: the last 20 bytes of keccak256(x || y).
    public var address: Address { Address(publicKey: self) }

    /// True when `signature` is a valid low-s ECDSA signature of `digest` by this key. A high-s signature,
    /// a digest that is not 32 bytes or r/s out of range all give false.
    public func verify(signature: Signature, digest: [UInt8]) -> Bool {
        guard digest.count == 32 else { return false }
        var key = secp256k1_pubkey()
        let parsedKey = uncompressed.withUnsafeBufferPointer {
            secp256k1_ec_pubkey_parse(Secp256k1.context, &key, $0.baseAddress!, 65)
        }
        guard parsedKey == 1 else { return false }
        var parsed = secp256k1_ecdsa_signature()
        let parsedSignature = signature.withCompactBytes { compact in
            secp256k1_ecdsa_signature_parse_compact(Secp256k1.context, &parsed, compact)
        }
        guard parsedSignature == 1 else { return false }
        // secp256k1_ecdsa_verify itself rejects high-s signatures (BIP 62 / EIP-2 malleability rule).
        return digest.withUnsafeBufferPointer {
            secp256k1_ecdsa_verify(Secp256k1.context, &parsed, $0.baseAddress!, &key) == 1
        }
    }

    /// Lowercase hex of the 65-byte uncompressed form.
    public var description: String { Hex.encode(uncompressed) }
}

/// Why bytes or hex were refused as a public key.
public enum PublicKeyError: Error, Sendable, Equatable, CustomStringConvertible {
    case wrongLength(Int)
    case invalidHex(input: String, reason: String)
    case notOnCurve

    public var description: String {
        switch self {
        case .wrongLength(let count): "invalid public key: expected 33, 64 or 65 bytes, got \(count)"
        case .invalidHex(let input, let reason): "invalid public key \"\(input.prefix(140))\": \(reason)"
        case .notOnCurve: "invalid public key: not a point on secp256k1 (or a bad prefix byte)"
        }
    }
}
