import BigInt

/// A value of some `ABIType`, as encoded by `ABI.encode` and returned by `ABI.decode`.
///
/// Values do not carry their type: the type list given to the encoder says how each is encoded.
/// The encoder accepts a few natural coercions (a non-negative `.int` for a `uintN`, a `.uint` for an
/// `intN`, `.bytes` for a `bytesN` of at most N bytes, an `.array` for a fixed array or a tuple of
/// the right length); the decoder always returns the canonical case for the type
/// (`.fixedBytes` for `bytesN`, `.array` for both array kinds, `.tuple` for tuples).
public enum ABIValue: Sendable, Hashable {
    /// `uintN`.
    case uint(BigUInt)
    /// `intN`.
    case int(BigInt)
    /// `address`.
    case address(Address)
    /// `bool`.
    case bool(Bool)
    /// `bytesN`: N bytes (fewer are right-padded with zeros when encoding).
    case fixedBytes([UInt8])
    /// `bytes`.
    case bytes([UInt8])
    /// `string`.
    case string(String)
    /// `T[]` and `T[n]`.
    case array([ABIValue])
    /// `(T1,...,Tn)`.
    case tuple([ABIValue])

    /// An `.address` from 40 hex digits (`0x` optional, any letter case).
    public static func address(hex: String) throws(AddressError) -> ABIValue {
        .address(try Address(hex: hex))
    }

    /// A `.bytes` value from hex (`0x` optional).
    public static func bytes(hex: String) throws(Hex.DecodingError) -> ABIValue {
        .bytes(try Hex.decode(hex))
    }

    /// The value as an unsigned integer (`.uint`, or a non-negative `.int`).
    public var uintValue: BigUInt? {
        switch self {
        case .uint(let value): return value
        case .int(let value) where value.sign == .plus: return value.magnitude
        default: return nil
        }
    }

    /// The value as a signed integer (`.int` or `.uint`).
    public var intValue: BigInt? {
        switch self {
        case .int(let value): return value
        case .uint(let value): return BigInt(value)
        default: return nil
        }
    }

    /// The address of an `.address` value.
    public var addressValue: Address? {
        if case .address(let value) = self { return value }
        return nil
    }

    /// The flag of a `.bool` value.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The bytes of a `.bytes` or `.fixedBytes` value.
    public var bytesValue: [UInt8]? {
        switch self {
        case .bytes(let value), .fixedBytes(let value): return value
        default: return nil
        }
    }

    /// The text of a `.string` value.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The elements of an `.array` or `.tuple` value.
    public var elements: [ABIValue]? {
        switch self {
        case .array(let values), .tuple(let values): return values
        default: return nil
        }
    }

    /// A short name of the value's kind, for error messages.
    var kindName: String {
        switch self {
        case .uint: return "unsigned integer"
        case .int: return "signed integer"
        case .address: return "address"
        case .bool: return "bool"
        case .fixedBytes: return "fixed bytes"
        case .bytes: return "bytes"
        case .string: return "string"
        case .array(let values): return "array of \(values.count)"
        case .tuple(let values): return "tuple of \(values.count)"
        }
    }
}

extension ABIValue: ExpressibleByIntegerLiteral {
    /// Integer literals: non-negative ones become `.uint`, negative ones `.int`.
    public init(integerLiteral value: Int) {
        self = value < 0 ? .int(BigInt(value)) : .uint(BigUInt(value))
    }
}

extension ABIValue: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension ABIValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
}

extension ABIValue: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: ABIValue...) { self = .array(elements) }
}
