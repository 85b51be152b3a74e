/// A Swift type that round-trips through an ``SQLValue``: used for arguments (`SQLValue(x)`) and
/// for typed column access (``SQLRow/decode(_:as:)``).
public protocol SQLValueConvertible: Sendable {
    /// The value to bind.
    var sqlValue: SQLValue { get }
    /// The Swift value of `sqlValue`, or nil when its storage class or range does not fit.
    init?(sqlValue: SQLValue)
    /// What a column must hold to decode as this type, for error messages: `integer`, `text`, ...
    static var expectedSQLType: String { get }
}

extension Int64: SQLValueConvertible {
    public var sqlValue: SQLValue { .integer(self) }
    public init?(sqlValue: SQLValue) {
        guard case .integer(let value) = sqlValue else { return nil }
        self = value
    }
    public static var expectedSQLType: String { "integer" }
}

extension Int: SQLValueConvertible {
    public var sqlValue: SQLValue { .integer(Int64(self)) }
    public init?(sqlValue: SQLValue) {
        guard case .integer(let value) = sqlValue, let exact = Int(exactly: value) else { return nil }
        self = exact
    }
    public static var expectedSQLType: String { "integer" }
}

extension Int32: SQLValueConvertible {
    public var sqlValue: SQLValue { .integer(Int64(self)) }
    public init?(sqlValue: SQLValue) {
        guard case .integer(let value) = sqlValue, let exact = Int32(exactly: value) else { return nil }
        self = exact
    }
    public static var expectedSQLType: String { "integer in Int32 range" }
}

extension Double: SQLValueConvertible {
    public var sqlValue: SQLValue { .real(self) }
    /// Integers are accepted too: SQLite stores integral REAL values as INTEGER.
    public init?(sqlValue: SQLValue) {
        switch sqlValue {
        case .real(let value): self = value
        case .integer(let value): self = Double(value)
        default: return nil
        }
    }
    public static var expectedSQLType: String { "real" }
}

extension Bool: SQLValueConvertible {
    public var sqlValue: SQLValue { .integer(self ? 1 : 0) }
    /// Only 0 and 1: any other integer is more likely a wrong column than a boolean.
    public init?(sqlValue: SQLValue) {
        switch sqlValue {
        case .integer(0): self = false
        case .integer(1): self = true
        default: return nil
        }
    }
    public static var expectedSQLType: String { "integer 0 or 1" }
}

extension String: SQLValueConvertible {
    public var sqlValue: SQLValue { .text(self) }
    public init?(sqlValue: SQLValue) {
        guard case .text(let value) = sqlValue else { return nil }
        self = value
    }
    public static var expectedSQLType: String { "text" }
}

extension Array: SQLValueConvertible where Element == UInt8 {
    public var sqlValue: SQLValue { .blob(self) }
    public init?(sqlValue: SQLValue) {
        guard case .blob(let value) = sqlValue else { return nil }
        self = value
    }
    public static var expectedSQLType: String { "blob" }
}

extension Optional: SQLValueConvertible where Wrapped: SQLValueConvertible {
    /// `nil` binds as NULL.
    public var sqlValue: SQLValue { self?.sqlValue ?? .null }
    /// NULL decodes as `nil`.
    public init?(sqlValue: SQLValue) {
        if case .null = sqlValue {
            self = .none
            return
        }
        guard let wrapped = Wrapped(sqlValue: sqlValue) else { return nil }
        self = .some(wrapped)
    }
    public static var expectedSQLType: String { "\(Wrapped.expectedSQLType) or NULL" }
}

extension SQLValue: SQLValueConvertible {
    public var sqlValue: SQLValue { self }
    public init?(sqlValue: SQLValue) { self = sqlValue }
    public static var expectedSQLType: String { "any value" }
}
