import BigInt

/// An EIP-1559 transaction (type 0x02): a priority fee and a fee cap instead of a gas price, plus an access list.
public struct FeeMarketTransaction: Sendable, Hashable {
    public var chainID: UInt64
    public var nonce: UInt64
    /// Wei per gas paid to the block producer on top of the base fee.
    public var maxPriorityFeePerGas: BigUInt
    /// Most wei per gas the sender pays in total (base fee + priority fee).
    public var maxFeePerGas: BigUInt
    public var gasLimit: UInt64
    /// The recipient, or nil to create a contract.
    public var to: Address?
    /// Wei sent along.
    public var value: BigUInt
    /// Call data, or init code for a contract creation.
    public var data: [UInt8]
    public var accessList: [AccessListEntry]

    /// The EIP-2718 type byte.
    public static let type: UInt8 = 0x02

    public init(
        chainID: UInt64, nonce: UInt64, maxPriorityFeePerGas: BigUInt, maxFeePerGas: BigUInt, gasLimit: UInt64,
        to: Address?, value: BigUInt = 0, data: [UInt8] = [], accessList: [AccessListEntry] = []
    ) {
        self.chainID = chainID
        self.nonce = nonce
        self.maxPriorityFeePerGas = maxPriorityFeePerGas
        self.maxFeePerGas = maxFeePerGas
        self.gasLimit = gasLimit
        self.to = to
        self.value = value
        self.data = data
        self.accessList = accessList
    }

    var fieldItems: [RLPItem] {
        [
            RLPItem(chainID), RLPItem(nonce), RLPItem(maxPriorityFeePerGas), RLPItem(maxFeePerGas),
            RLPItem(gasLimit), RLPItem(to), RLPItem(value), .bytes(data), .list(accessList.map(\.rlpItem)),
        ]
    }

    /// keccak256(0x02 || rlp([chainID, nonce, maxPriorityFeePerGas, maxFeePerGas, gasLimit, to, value, data, accessList])).
    public var signingHash: [UInt8] {
        Keccak256.hash([Self.type] + RLPItem.list(fieldItems).encoded)
    }

    /// 0x02 || rlp([...fields, yParity, r, s]).
    func rawBytes(signature: Signature) -> [UInt8] {
        [Self.type] + RLPItem.list(fieldItems + signature.typedTransactionItems).encoded
    }

    /// Signs with `key`, giving the raw bytes, hash and sender.
    public func sign(with key: PrivateKey) -> SignedTransaction {
        Transaction.feeMarket(self).sign(with: key)
    }

    static func decode(_ items: [RLPItem]) throws(TransactionDecodingError) -> (FeeMarketTransaction, Signature) {
        guard items.count == 12 else { throw .wrongFieldCount(type: "EIP-1559", expected: 12, got: items.count) }
        var transaction = try rlpField { () throws(RLPError) in
            FeeMarketTransaction(
                chainID: try items[0].uint64(field: "chainId"),
                nonce: try items[1].uint64(field: "nonce"),
                maxPriorityFeePerGas: try items[2].bigUInt(field: "maxPriorityFeePerGas"),
                maxFeePerGas: try items[3].bigUInt(field: "maxFeePerGas"),
                gasLimit: try items[4].uint64(field: "gasLimit"),
                to: nil,
                value: try items[6].bigUInt(field: "value"),
                data: try items[7].bytes(field: "data"))
        }
        transaction.to = try Transaction.decodeRecipient(items[5])
        transaction.accessList = try AccessListEntry.decodeList(items[8])
        let signature = try Signature.decodeTypedTransactionSignature(items[9...])
        return (transaction, signature)
    }
}
