extension PrivateKey {
    /// Signs EIP-712 typed data (`eth_signTypedData_v4`); the same as `typedData.sign(with: self)`.
    public func signTypedData(_ typedData: TypedData) throws(TypedDataError) -> Signature {
        try typedData.sign(with: self)
    }
}
