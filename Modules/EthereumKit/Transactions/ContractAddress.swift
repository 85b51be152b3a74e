extension Address {
    /// The address of a contract created by `sender` with a transaction (or CREATE) at `nonce`:
    /// the last 20 bytes of keccak256(rlp([sender, nonce])).
    public static func contractAddress(sender: Address, nonce: UInt64) -> Address {
        let encoded = RLPItem.list([.bytes(sender.bytes), RLPItem(nonce)]).encoded
        return Address(validatedBytes: Array(Keccak256.hash(encoded)[12..<32]))
    }

    /// The address of a contract created with CREATE2 (EIP-1014):
    /// the last 20 bytes of keccak256(0xff || deployer || salt || keccak256(initCode)).
    public static func create2Address(deployer: Address, salt: [UInt8], initCode: [UInt8]) throws(AddressError) -> Address {
        guard salt.count == 32 else {
            throw AddressError(input: Hex.encode(salt), reason: "CREATE2 salt must be 32 bytes, got \(salt.count)")
        }
        let preimage = [0xff] + deployer.bytes + salt + Keccak256.hash(initCode)
        return Address(validatedBytes: Array(Keccak256.hash(preimage)[12..<32]))
    }
}
