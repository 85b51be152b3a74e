import BigInt

/// A pre-EIP-2718 transaction: EIP-155 replay-protected when `chainID` is set, the original form when it is nil.
public struct LegacyTransaction: Sendable, Hashable {
    /// The chain the signature commits to (EIP-155), or nil for an unprotected pre-EIP-155 transaction.
    public var chainID: UInt64?
    public var nonce: UInt64
    /// Wei per unit of gas.
    public var gasPrice: BigUInt
    public var gasLimit: UInt64
    /// The recipient, or nil to create a contract.
    public var to: Address?
    /// Wei sent along.
    public var value: BigUInt
    /// Call data, or init code for a contract creation.
    public var data: [UInt8]

    public init(
        chainID: UInt64?, nonce: UInt64, gasPrice: BigUInt, gasLimit: UInt64, to: Address?,
        value: BigUInt = 0, data: [UInt8] = []
    ) {
        self.chainID = chainID
        self.nonce = nonce
        self.gasPrice = gasPrice
        self.gasLimit = gasLimit
        self.to = to
        self.value = value
        self.data = data
    }

    var fieldItems: [RLPItem] {
        [RLPItem(nonce), RLPItem(gasPrice), RLPItem(gasLimit), RLPItem(to), RLPItem(value), .bytes(data)]
    }

    /// keccak256(rlp([nonce, gasPrice, gasLimit, to, value, data] + [chainID, 0, 0] when EIP-155)).
    public var signingHash: [UInt8] {
        var items = fieldItems
        if let chainID { items += [RLPItem(chainID), .bytes([]), .bytes([])] }
        return Keccak256.hash(RLPItem.list(items).encoded)
    }

    /// rlp([nonce, gasPrice, gasLimit, to, value, data, v, r, s]).
    func rawBytes(signature: Signature) -> [UInt8] {
        let v: RLPItem = chainID.map { RLPItem(signature.v(chainID: $0)) } ?? RLPItem(UInt64(signature.v))
        return RLPItem.list(fieldItems + [v] + signature.rlpIntegerItems).encoded
    }

    /// Signs with `key`, giving the raw bytes, hash and sender.
    public func sign(with key: PrivateKey) -> SignedTransaction {
        Transaction.legacy(self).sign(with: key)
    }

    /// Reads the nine fields of a signed legacy transaction; returns the transaction and its signature.
    static func decode(_ items: [RLPItem]) throws(TransactionDecodingError) -> (LegacyTransaction, Signature) {
        guard items.count == 9 else { throw .wrongFieldCount(type: "legacy", expected: 9, got: items.count) }
        let vValue = try rlpField { () throws(RLPError) in try items[6].bigUInt(field: "v") }
        let (recoveryID, chainID): (UInt8, UInt64?)
        do {
            (recoveryID, chainID) = try Signature.recoveryID(fromLegacyV: vValue)
        } catch {
            throw .invalidSignature(error)
        }
        let transaction = try rlpField { () throws(RLPError) in
            LegacyTransaction(
                chainID: chainID,
                nonce: try items[0].uint64(field: "nonce"),
                gasPrice: try items[1].bigUInt(field: "gasPrice"),
                gasLimit: try items[2].uint64(field: "gasLimit"),
                to: nil,
                value: try items[4].bigUInt(field: "value"),
                data: try items[5].bytes(field: "data"))
        }
        var result = transaction
        result.to = try Transaction.decodeRecipient(items[3])
        let signature = try Signature.decodeTransactionSignature(r: items[7], s: items[8], recoveryID: recoveryID)
        return (result, signature)
    }
}
