/// One result row: column names in result order and their values.
///
/// Typed access throws an ``SQLDatabaseError`` naming the column: `.columnNotFound` for a missing
/// column, `.typeMismatch` for a NULL or a value of another storage class.
///
/// ```swift
/// let id = try row.int64("id")
/// let name: String? = try row.decode("nickname")
/// ```
public struct SQLRow: Sendable, Hashable {
    /// Column names, in result order (as the database spells them).
    public let columns: [String]
    /// Values, parallel to ``columns``.
    public let values: [SQLValue]

    public init(columns: [String], values: [SQLValue]) {
        self.columns = columns
        self.values = values
    }

    /// The raw value of `column`, or nil when the result has no such column. Names match exactly
    /// first, then case-insensitively (SQL identifiers are case-insensitive).
    public subscript(column: String) -> SQLValue? {
        index(of: column).map { values[$0] }
    }

    /// The raw value of `column`.
    /// - Throws: ``SQLDatabaseError`` `.columnNotFound` listing the columns that exist.
    public func value(_ column: String) throws -> SQLValue {
        guard let index = index(of: column) else {
            throw SQLDatabaseError(
                .columnNotFound,
                "no column \"\(column)\" in result (columns: \(columns.joined(separator: ", ")))")
        }
        return values[index]
    }

    /// The value of `column` as `T`; use an optional `T` for nullable columns.
    /// - Throws: ``SQLDatabaseError`` `.columnNotFound` or `.typeMismatch`, naming the column.
    public func decode<T: SQLValueConvertible>(_ column: String, as type: T.Type = T.self) throws -> T {
        let value = try value(column)
        guard let decoded = T(sqlValue: value) else {
            let found = value == .null ? "NULL" : value.description
            throw SQLDatabaseError(
                .typeMismatch, "column \"\(column)\": expected \(T.expectedSQLType), got \(found)")
        }
        return decoded
    }

    /// `column` as a 64-bit integer.
    public func int64(_ column: String) throws -> Int64 { try decode(column) }
    /// `column` as an `Int`.
    public func int(_ column: String) throws -> Int { try decode(column) }
    /// `column` as a `Double` (integers are widened).
    public func double(_ column: String) throws -> Double { try decode(column) }
    /// `column` as text.
    public func string(_ column: String) throws -> String { try decode(column) }
    /// `column` as bytes.
    public func bytes(_ column: String) throws -> [UInt8] { try decode(column) }
    /// `column` as a boolean stored as 0/1.
    public func bool(_ column: String) throws -> Bool { try decode(column) }
    /// Whether `column` is NULL.
    public func isNull(_ column: String) throws -> Bool { try value(column) == .null }

    private func index(of column: String) -> Int? {
        if let exact = columns.firstIndex(of: column) { return exact }
        let lowered = column.lowercased()
        return columns.firstIndex { $0.lowercased() == lowered }
    }
}
