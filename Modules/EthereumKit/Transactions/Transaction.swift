import BigInt

/// An unsigned transaction of any supported type; what a sender fills in, signs, and hands to `eth_sendRawTransaction`.
public enum Transaction: Sendable, Hashable {
    /// Type 0: legacy (EIP-155 when it has a chain id).
    case legacy(LegacyTransaction)
    /// Type 1: EIP-2930 access-list transaction.
    case accessList(AccessListTransaction)
    /// Type 2: EIP-1559 fee-market transaction.
    case feeMarket(FeeMarketTransaction)

    /// The EIP-2718 type: 0 (legacy), 1 (EIP-2930) or 2 (EIP-1559), as JSON-RPC reports it in `type`.
    public var type: UInt8 {
        switch self {
        case .legacy: 0
        case .accessList: AccessListTransaction.type
        case .feeMarket: FeeMarketTransaction.type
        }
    }

    /// The chain id the signature commits to; nil only for a pre-EIP-155 legacy transaction.
    public var chainID: UInt64? {
        switch self {
        case .legacy(let tx): tx.chainID
        case .accessList(let tx): tx.chainID
        case .feeMarket(let tx): tx.chainID
        }
    }

    /// The sender's nonce; settable so a nonce manager can fill it in whatever the type.
    public var nonce: UInt64 {
        get {
            switch self {
            case .legacy(let tx): tx.nonce
            case .accessList(let tx): tx.nonce
            case .feeMarket(let tx): tx.nonce
            }
        }
        set {
            switch self {
            case .legacy(var tx): tx.nonce = newValue; self = .legacy(tx)
            case .accessList(var tx): tx.nonce = newValue; self = .accessList(tx)
            case .feeMarket(var tx): tx.nonce = newValue; self = .feeMarket(tx)
            }
        }
    }

    /// The gas limit; settable so an estimate can be filled in whatever the type.
    public var gasLimit: UInt64 {
        get {
            switch self {
            case .legacy(let tx): tx.gasLimit
            case .accessList(let tx): tx.gasLimit
            case .feeMarket(let tx): tx.gasLimit
            }
        }
        set {
            switch self {
            case .legacy(var tx): tx.gasLimit = newValue; self = .legacy(tx)
            case .accessList(var tx): tx.gasLimit = newValue; self = .accessList(tx)
            case .feeMarket(var tx): tx.gasLimit = newValue; self = .feeMarket(tx)
            }
        }
    }

    /// The recipient, or nil for a contract creation.
    public var to: Address? {
        switch self {
        case .legacy(let tx): tx.to
        case .accessList(let tx): tx.to
        case .feeMarket(let tx): tx.to
        }
    }

    public var value: BigUInt {
        switch self {
        case .legacy(let tx): tx.value
        case .accessList(let tx): tx.value
        case .feeMarket(let tx): tx.value
        }
    }

    public var data: [UInt8] {
        switch self {
        case .legacy(let tx): tx.data
        case .accessList(let tx): tx.data
        case .feeMarket(let tx): tx.data
        }
    }

    /// The access list (always empty for legacy transactions).
    public var accessList: [AccessListEntry] {
        switch self {
        case .legacy: []
        case .accessList(let tx): tx.accessList
        case .feeMarket(let tx): tx.accessList
        }
    }

    /// The most wei per gas this transaction can pay: the gas price, or `maxFeePerGas` for EIP-1559.
    public var maxGasPrice: BigUInt {
        switch self {
        case .legacy(let tx): tx.gasPrice
        case .accessList(let tx): tx.gasPrice
        case .feeMarket(let tx): tx.maxFeePerGas
        }
    }

    /// The 32-byte hash the sender signs.
    public var signingHash: [UInt8] {
        switch self {
        case .legacy(let tx): tx.signingHash
        case .accessList(let tx): tx.signingHash
        case .feeMarket(let tx): tx.signingHash
        }
    }

    /// Signs with `key` (RFC 6979, low-s), giving the raw bytes, transaction hash and sender.
    public func sign(with key: PrivateKey) -> SignedTransaction {
        let signature = signingHash.withUnsafeBytes { key.sign(digest32: $0) }
        return SignedTransaction(transaction: self, signature: signature, sender: key.address)
    }

    /// The raw encoding of this transaction carrying `signature`.
    func rawBytes(signature: Signature) -> [UInt8] {
        switch self {
        case .legacy(let tx): tx.rawBytes(signature: signature)
        case .accessList(let tx): tx.rawBytes(signature: signature)
        case .feeMarket(let tx): tx.rawBytes(signature: signature)
        }
    }

    /// A `to` field: empty for a contract creation, otherwise exactly 20 bytes.
    static func decodeRecipient(_ item: RLPItem) throws(TransactionDecodingError) -> Address? {
        let bytes = try rlpField { () throws(RLPError) in try item.bytes(field: "to") }
        if bytes.isEmpty { return nil }
        guard bytes.count == 20 else {
            throw .invalidField(name: "to", reason: "expected 20 bytes or empty (contract creation), got \(bytes.count)")
        }
        return Address(validatedBytes: bytes)
    }
}

extension Signature {
    /// r and s as RLP integers (leading zero bytes stripped).
    var rlpIntegerItems: [RLPItem] {
        [.bytes(Array(r.drop { $0 == 0 })), .bytes(Array(s.drop { $0 == 0 }))]
    }

    /// yParity, r, s as the trailing fields of a typed transaction.
    var typedTransactionItems: [RLPItem] {
        [RLPItem(UInt64(recoveryID))] + rlpIntegerItems
    }

    /// Reads the yParity, r, s fields that close a typed transaction.
    static func decodeTypedTransactionSignature(_ items: ArraySlice<RLPItem>) throws(TransactionDecodingError) -> Signature {
        let start = items.startIndex
        let yParity = try rlpField { () throws(RLPError) in try items[start].uint64(field: "yParity") }
        guard yParity <= 1 else { throw .invalidField(name: "yParity", reason: "must be 0 or 1, got \(yParity)") }
        return try decodeTransactionSignature(r: items[start + 1], s: items[start + 2], recoveryID: UInt8(yParity))
    }

    /// Reads r and s (canonical integers of at most 32 bytes), checks their range and that s is low (EIP-2).
    static func decodeTransactionSignature(r: RLPItem, s: RLPItem, recoveryID: UInt8) throws(TransactionDecodingError) -> Signature {
        let rBytes = try rlpField { () throws(RLPError) in try r.bigUInt(field: "r") }.signatureScalarBytes
        let sBytes = try rlpField { () throws(RLPError) in try s.bigUInt(field: "s") }.signatureScalarBytes
        let signature: Signature
        do {
            signature = try Signature(r: rBytes, s: sBytes, recoveryID: recoveryID)
        } catch {
            throw .invalidSignature(error)
        }
        guard signature.isLowS else { throw .highS }
        return signature
    }
}

extension BigUInt {
    /// Big-endian bytes left-padded to 32 (the value must fit in 256 bits).
    fileprivate var signatureScalarBytes: [UInt8] {
        let bytes = [UInt8](serialize())
        return [UInt8](repeating: 0, count: Swift.max(0, 32 - bytes.count)) + bytes
    }
}
