/// The SQL flavour a database speaks, so migrations and the few non-portable statements can differ.
public enum SQLDialect: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// SQLite 3 (the embedded default), through GRDB.
    case sqlite
    /// PostgreSQL (the cluster backend), through PostgresNIO: not implemented yet.
    case postgres

    public var description: String { rawValue }
}
