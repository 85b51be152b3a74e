import BigInt

/// An EIP-2930 transaction (type 0x01): a legacy-style gas price plus an access list.
public struct AccessListTransaction: Sendable, Hashable {
    public var chainID: UInt64
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
    public var accessList: [AccessListEntry]

    /// The EIP-2718 type byte.
    public static let type: UInt8 = 0x01

    public init(
        chainID: UInt64, nonce: UInt64, gasPrice: BigUInt, gasLimit: UInt64, to: Address?,
        value: BigUInt = 0, data: [UInt8] = [], accessList: [AccessListEntry] = []
    ) {
        self.chainID = chainID
        self.nonce = nonce
        self.gasPrice = gasPrice
        self.gasLimit = gasLimit
        self.to = to
        self.value = value
        self.data = data
        self.accessList = accessList
    }

    var fieldItems: [RLPItem] {
        [
            RLPItem(chainID), RLPItem(nonce), RLPItem(gasPrice), RLPItem(gasLimit), RLPItem(to), RLPItem(value),
            .bytes(data), .list(accessList.map(\.rlpItem)),
        ]
    }

    /// keccak256(0x01 || rlp([chainID, nonce, gasPrice, gasLimit, to, value, data, accessList])).
    public var signingHash: [UInt8] {
        Keccak256.hash([Self.type] + RLPItem.list(fieldItems).encoded)
    }

    /// 0x01 || rlp([chainID, nonce, gasPrice, gasLimit, to, value, data, accessList, yParity, r, s]).
    func rawBytes(signature: Signature) -> [UInt8] {
        [Self.type] + RLPItem.list(fieldItems + signature.typedTransactionItems).encoded
    }

    /// Signs with `key`, giving the raw bytes, hash and sender.
    public func sign(with key: PrivateKey) -> SignedTransaction {
        Transaction.accessList(self).sign(with: key)
    }

    static func decode(_ items: [RLPItem]) throws(TransactionDecodingError) -> (AccessListTransaction, Signature) {
        guard items.count == 11 else { throw .wrongFieldCount(type: "EIP-2930", expected: 11, got: items.count) }
        var transaction = try rlpField { () throws(RLPError) in
            AccessListTransaction(
                chainID: try items[0].uint64(field: "chainId"),
                nonce: try items[1].uint64(field: "nonce"),
                gasPrice: try items[2].bigUInt(field: "gasPrice"),
                gasLimit: try items[3].uint64(field: "gasLimit"),
                to: nil,
                value: try items[5].bigUInt(field: "value"),
                data: try items[6].bytes(field: "data"))
        }
        transaction.to = try Transaction.decodeRecipient(items[4])
        transaction.accessList = try AccessListEntry.decodeList(items[7])
        let signature = try Signature.decodeTypedTransactionSignature(items[8...])
        return (transaction, signature)
    }
}
