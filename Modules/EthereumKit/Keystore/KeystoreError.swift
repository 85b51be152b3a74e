/// Why a keystore could not be read, decrypted or written.
public enum KeystoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The MAC does not match: the password is wrong (or the file was altered).
    case wrongPassword
    /// The JSON is not a V3 keystore; `reason` says what is missing or malformed.
    case invalidFile(reason: String)
    /// A field has an unsupported value (another cipher, KDF or version).
    case unsupported(field: String, value: String)
    /// A KDF parameter is out of range.
    case invalidParameter(name: String, reason: String)
    /// The decrypted key does not belong to the address the file names.
    case addressMismatch(expected: String, actual: String)
    /// The decrypted bytes are not a valid private key.
    case invalidKey(PrivateKeyError)
    /// OpenSSL reported a failure in `operation`.
    case cryptoFailure(operation: String)

    public var description: String {
        switch self {
        case .wrongPassword: "keystore: wrong password (MAC mismatch)"
        case .invalidFile(let reason): "invalid keystore: \(reason)"
        case .unsupported(let field, let value): "unsupported keystore: \(field) \"\(value.prefix(80))\""
        case .invalidParameter(let name, let reason): "invalid keystore KDF parameter \(name): \(reason)"
        case .addressMismatch(let expected, let actual):
            "keystore: decrypted key belongs to \(actual), but the file names \(expected)"
        case .invalidKey(let error): "keystore: \(error)"
        case .cryptoFailure(let operation): "keystore: OpenSSL \(operation) failed"
        }
    }
}
