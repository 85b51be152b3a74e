import BigInt

/// A signed transaction: what `eth_sendRawTransaction` takes (`rawBytes`), its hash and its sender.
public struct SignedTransaction: Sendable, Hashable {
    /// The transaction fields.
    public let transaction: Transaction
    /// The sender's signature over `transaction.signingHash`.
    public let signature: Signature
    /// The account that signed (recovered from the signature when decoded).
    public let sender: Address
    /// The network encoding: rlp(...) for legacy, type byte || rlp(...) for typed transactions.
    public let rawBytes: [UInt8]
    /// The transaction hash: keccak256(rawBytes).
    public let hash: [UInt8]

    init(transaction: Transaction, signature: Signature, sender: Address) {
        self.transaction = transaction
        self.signature = signature
        self.sender = sender
        self.rawBytes = transaction.rawBytes(signature: signature)
        self.hash = Keccak256.hash(rawBytes)
    }

    /// Decodes and checks a raw signed transaction of any supported type (legacy, EIP-2930, EIP-1559),
    /// recovering its sender. Non-canonical RLP, unknown types, malformed fields, a high s or an
    /// unrecoverable signature are refused with a typed error.
    public init(rawBytes: [UInt8]) throws(TransactionDecodingError) {
        guard let first = rawBytes.first else { throw .emptyInput }
        let transaction: Transaction
        let signature: Signature
        switch first {
        case 0xc0...0xff:
            let items = try Self.decodeList(rawBytes, from: 0)
            let (tx, sig) = try LegacyTransaction.decode(items)
            (transaction, signature) = (.legacy(tx), sig)
        case AccessListTransaction.type:
            let items = try Self.decodeList(rawBytes, from: 1)
            let (tx, sig) = try AccessListTransaction.decode(items)
            (transaction, signature) = (.accessList(tx), sig)
        case FeeMarketTransaction.type:
            let items = try Self.decodeList(rawBytes, from: 1)
            let (tx, sig) = try FeeMarketTransaction.decode(items)
            (transaction, signature) = (.feeMarket(tx), sig)
        default:
            throw .unsupportedType(first)
        }
        let publicKey: PublicKey
        do {
            publicKey = try transaction.signingHash.withUnsafeBytes { digest in
                Result { () throws(SignatureError) in try signature.recoverPublicKey(digest32: digest) }
            }.get()
        } catch {
            throw .invalidSignature(error)
        }
        self.transaction = transaction
        self.signature = signature
        self.sender = publicKey.address
        self.rawBytes = rawBytes
        self.hash = Keccak256.hash(rawBytes)
        // Re-encoding must reproduce the input: catches anything the field readers let through.
        guard transaction.rawBytes(signature: signature) == rawBytes else {
            throw .invalidField(name: "encoding", reason: "does not re-encode to the same bytes")
        }
    }

    /// Decodes `0x`-prefixed (or bare) hex of a raw signed transaction.
    public init(rawHex: String) throws(TransactionDecodingError) {
        let bytes: [UInt8]
        do {
            bytes = try Hex.decode(rawHex.trimmedForKeyParsing())
        } catch {
            throw .invalidHex(reason: error.reason)
        }
        try self.init(rawBytes: bytes)
    }

    /// `rawBytes` as lowercase 0x hex (the `eth_sendRawTransaction` parameter).
    public var rawHex: String { Hex.encode(rawBytes) }

    /// `hash` as lowercase 0x hex.
    public var hashHex: String { Hex.encode(hash) }

    /// The address the deployed contract will have when this transaction creates one, nil otherwise.
    public var contractAddress: Address? {
        transaction.to == nil ? Address.contractAddress(sender: sender, nonce: transaction.nonce) : nil
    }

    private static func decodeList(_ raw: [UInt8], from start: Int) throws(TransactionDecodingError) -> [RLPItem] {
        let item = try rlpField { () throws(RLPError) in
            try raw.withUnsafeBufferPointer { buffer in
                Result { () throws(RLPError) in
                    try RLP.decode(UnsafeBufferPointer(rebasing: buffer[start...]), baseOffset: start)
                }
            }.get()
        }
        guard case .list(let items) = item else {
            throw .invalidField(name: "transaction", reason: "expected an RLP list, got a byte string")
        }
        return items
    }
}
