/// One entry of an EIP-2930 access list as JSON-RPC writes it: an address and the storage slots
/// a transaction declares it will touch.
public struct RPCAccessListEntry: Sendable, Hashable, Codable {
    public var address: Address
    public var storageKeys: [Hash32]

    public init(address: Address, storageKeys: [Hash32] = []) {
        self.address = address
        self.storageKeys = storageKeys
    }
}
