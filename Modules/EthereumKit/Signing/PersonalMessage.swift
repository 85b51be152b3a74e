/// EIP-191 version 0x45 ("personal_sign") messages: the digest is
/// keccak256("\u{19}Ethereum Signed Message:\n" + decimal byte length + message).
public enum PersonalMessage {
    /// The EIP-191 digest of `message`.
    public static func digest(_ message: [UInt8]) -> [UInt8] {
        var hasher = Keccak256()
        hasher.update("\u{19}Ethereum Signed Message:\n\(message.count)")
        hasher.update(message)
        return hasher.finalize()
    }

    /// The EIP-191 digest of the UTF-8 bytes of `message`.
    public static func digest(_ message: String) -> [UInt8] {
        digest(Array(message.utf8))
    }

    /// The address whose key signed `message` with `personal_sign`.
    public static func recoverAddress(message: [UInt8], signature: Signature) throws(SignatureError) -> Address {
        try signature.recoverAddress(digest: digest(message))
    }

    /// `recoverAddress(message:signature:)` for a UTF-8 string message.
    public static func recoverAddress(message: String, signature: Signature) throws(SignatureError) -> Address {
        try recoverAddress(message: Array(message.utf8), signature: signature)
    }
}

extension PrivateKey {
    /// Signs `message` as `personal_sign` does (EIP-191); `serialized` on the result gives the usual 65-byte form.
    public func signPersonalMessage(_ message: [UInt8]) -> Signature {
        PersonalMessage.digest(message).withUnsafeBytes { sign(digest32: $0) }
    }

    /// `signPersonalMessage` for a UTF-8 string message.
    public func signPersonalMessage(_ message: String) -> Signature {
        signPersonalMessage(Array(message.utf8))
    }
}
