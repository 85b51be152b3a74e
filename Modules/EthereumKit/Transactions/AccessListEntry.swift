/// One entry of an EIP-2930 access list: an address and the storage slots the transaction will touch there.
public struct AccessListEntry: Sendable, Hashable, Codable {
    /// The account to pre-warm.
    public var address: Address
    /// 32-byte storage keys of that account.
    public var storageKeys: [[UInt8]]

    public init(address: Address, storageKeys: [[UInt8]] = []) {
        self.address = address
        self.storageKeys = storageKeys
    }

    var rlpItem: RLPItem {
        .list([RLPItem(address), .list(storageKeys.map { .bytes($0) })])
    }

    /// Reads an access list from its RLP list form, checking every address and key length.
    static func decodeList(_ item: RLPItem) throws(TransactionDecodingError) -> [AccessListEntry] {
        var entries = [AccessListEntry]()
        for (index, entry) in try rlpField({ () throws(RLPError) in try item.list(field: "accessList") }).enumerated() {
            let field = "accessList[\(index)]"
            let parts = try rlpField { () throws(RLPError) in try entry.list(field: field) }
            guard parts.count == 2 else {
                throw .invalidField(name: field, reason: "expected [address, storageKeys], got \(parts.count) items")
            }
            let addressBytes = try rlpField { () throws(RLPError) in try parts[0].bytes(field: field + ".address") }
            guard addressBytes.count == 20 else {
                throw .invalidField(name: field + ".address", reason: "expected 20 bytes, got \(addressBytes.count)")
            }
            var keys = [[UInt8]]()
            let keyItems = try rlpField { () throws(RLPError) in try parts[1].list(field: field + ".storageKeys") }
            for (keyIndex, key) in keyItems.enumerated() {
                let keyField = field + ".storageKeys[\(keyIndex)]"
                let bytes = try rlpField { () throws(RLPError) in try key.bytes(field: keyField) }
                guard bytes.count == 32 else {
                    throw .invalidField(name: keyField, reason: "expected 32 bytes, got \(bytes.count)")
                }
                keys.append(bytes)
            }
            entries.append(AccessListEntry(address: Address(validatedBytes: addressBytes), storageKeys: keys))
        }
        return entries
    }

    private enum CodingKeys: String, CodingKey {
        case address
        case storageKeys
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        address = try container.decode(Address.self, forKey: .address)
        let hexKeys = try container.decode([String].self, forKey: .storageKeys)
        storageKeys = try hexKeys.map { hex in
            let bytes = try Hex.decode(hex)
            guard bytes.count == 32 else {
                throw DecodingError.dataCorruptedError(
                    forKey: .storageKeys, in: container, debugDescription: "storage key \(hex) is not 32 bytes")
            }
            return bytes
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(address, forKey: .address)
        try container.encode(storageKeys.map { Hex.encode($0) }, forKey: .storageKeys)
    }
}
