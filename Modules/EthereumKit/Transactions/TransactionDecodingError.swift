/// Why raw bytes were refused as a signed transaction.
public enum TransactionDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No bytes at all.
    case emptyInput
    /// The first byte is neither an RLP list (legacy) nor a supported EIP-2718 type (0x01, 0x02).
    case unsupportedType(UInt8)
    /// The bytes after the type byte are not exactly one canonical RLP item.
    case invalidRLP(RLPError)
    /// The transaction's RLP list has the wrong number of fields for its type.
    case wrongFieldCount(type: String, expected: Int, got: Int)
    /// A field is present but its value is not allowed.
    case invalidField(name: String, reason: String)
    /// r, s or v do not form a valid signature.
    case invalidSignature(SignatureError)
    /// s is above n/2, which Ethereum forbids in transaction signatures (EIP-2).
    case highS
    /// Raw hex could not be decoded.
    case invalidHex(reason: String)

    public var description: String {
        switch self {
        case .emptyInput: "invalid transaction: empty input"
        case .unsupportedType(let byte):
            "invalid transaction: unsupported type byte 0x\(String(byte, radix: 16)) (expected an RLP list, 0x01 or 0x02)"
        case .invalidRLP(let error): "invalid transaction: \(error)"
        case .wrongFieldCount(let type, let expected, let got):
            "invalid transaction: a \(type) transaction has \(expected) fields, got \(got)"
        case .invalidField(let name, let reason): "invalid transaction: \(name): \(reason)"
        case .invalidSignature(let error): "invalid transaction: \(error)"
        case .highS: "invalid transaction: signature s is above n/2 (not canonical, EIP-2)"
        case .invalidHex(let reason): "invalid transaction hex: \(reason)"
        }
    }
}

/// Runs an RLP accessor and reports its failure as a transaction decoding error.
@inline(__always)
func rlpField<T>(_ body: () throws(RLPError) -> T) throws(TransactionDecodingError) -> T {
    do {
        return try body()
    } catch {
        throw .invalidRLP(error)
    }
}
