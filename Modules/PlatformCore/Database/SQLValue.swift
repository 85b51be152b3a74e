/// A value bound to a statement placeholder or read from a result column: the storage classes
/// both SQLite and PostgreSQL can carry without loss.
///
/// Booleans are stored as integers 0/1 and timestamps as ISO 8601 text or Unix-epoch integers, the
/// same on both backends. Literals work directly: `[42, "alice", nil, 1.5, true]`.
public enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    /// The value of any ``SQLValueConvertible`` (`SQLValue(user.id)`, `SQLValue(optionalName)`).
    public init(_ value: some SQLValueConvertible) {
        self = value.sqlValue
    }

    /// The storage class name, as error messages say it: `null`, `integer`, `real`, `text`, `blob`.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .integer: "integer"
        case .real: "real"
        case .text: "text"
        case .blob: "blob"
        }
    }
}

extension SQLValue: CustomStringConvertible {
    /// A short rendering for error messages: long text and blobs are abbreviated.
    public var description: String {
        switch self {
        case .null: return "NULL"
        case .integer(let value): return "integer \(value)"
        case .real(let value): return "real \(value)"
        case .text(let value):
            let shown = value.count > 40 ? value.prefix(40) + "..." : Substring(value)
            return "text \"\(shown)\""
        case .blob(let value): return "blob of \(value.count) bytes"
        }
    }
}

extension SQLValue: ExpressibleByNilLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByStringLiteral, ExpressibleByBooleanLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .real(value) }
    public init(stringLiteral value: String) { self = .text(value) }
    public init(booleanLiteral value: Bool) { self = .integer(value ? 1 : 0) }
}
