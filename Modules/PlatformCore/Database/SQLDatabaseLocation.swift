import Logging

/// Where the platform database lives, decided from `database.url` and the data directory.
public enum SQLDatabaseLocation: Sendable, Hashable, CustomStringConvertible {
    /// A SQLite file (WAL mode), the embedded default `<data_dir>/aiplat.sqlite`.
    case sqliteFile(path: String)
    /// A private in-memory SQLite database, for tests.
    case sqliteInMemory
    /// A PostgreSQL server: reserved, not implemented yet.
    case postgres(url: String)

    /// The location `configuration.database.url` names: empty means `dataDirectory.databaseFile`,
    /// `sqlite:///path` a SQLite file at `/path`, `postgres://...` a PostgreSQL server.
    public init(configuration: PlatformConfiguration, dataDirectory: DataDirectory) {
        let url = configuration.database.url
        if url.hasPrefix("sqlite://") {
            self = .sqliteFile(path: String(url.dropFirst("sqlite://".count)))
        } else if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            self = .postgres(url: url)
        } else {
            self = .sqliteFile(path: dataDirectory.databaseFile)
        }
    }

    public var description: String {
        switch self {
        case .sqliteFile(let path): "sqlite \(path)"
        case .sqliteInMemory: "sqlite in memory"
        case .postgres(let url): "postgres \(PlatformConfiguration.maskingPassword(in: url))"
        }
    }

    /// Opens the database. The directory of a SQLite file must exist (``DataDirectory/create()``).
    /// - Throws: ``SQLDatabaseError`` (`.io` when the file cannot be opened, `.unsupported` for PostgreSQL).
    public func open(
        logger: Logger = Logger(label: "aiplat.database", factory: { _ in SwiftLogNoOpLogHandler() })
    ) async throws -> any SQLDatabase {
        switch self {
        case .sqliteFile(let path):
            return try SQLiteDatabase(path: path, logger: logger)
        case .sqliteInMemory:
            return try SQLiteDatabase.inMemory(logger: logger)
        case .postgres:
            throw SQLDatabaseError(
                .unsupported,
                "PostgreSQL (\(description)) is not supported yet; leave database.url empty for the embedded SQLite database"
            )
        }
    }
}
