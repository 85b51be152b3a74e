/// One versioned schema change.
///
/// Each module owns a list of migrations with namespaced ids (`"registry.0001_create_models"`) and
/// applies it with ``SQLDatabase/migrate(_:logger:)`` at start-up. A migration that has been
/// released is never edited: fix mistakes with a new migration.
public struct SQLMigration: Sendable, Hashable {
    /// `<namespace>.<name>`: lowercase letters, digits, `_`, `-` and `.`, with at least one `.`.
    /// Unique across every module; recorded in the `aiplat_migrations` table once applied.
    public let id: String
    /// The statements for each dialect, run in order. A dialect missing from the map makes the
    /// migration fail on that backend; an empty list is an explicit no-op there.
    public let sql: [SQLDialect: [String]]

    public init(id: String, sql: [SQLDialect: [String]]) {
        self.id = id
        self.sql = sql
    }

    /// A migration whose statements are the same on every dialect.
    public init(id: String, portable statements: [String]) {
        self.id = id
        self.sql = Dictionary(uniqueKeysWithValues: SQLDialect.allCases.map { ($0, statements) })
    }

    /// Why `id` is not a valid migration id, or nil when it is.
    var idProblem: String? {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789_-.")
        let parts = id.split(separator: ".", omittingEmptySubsequences: false)
        if id.isEmpty || !id.allSatisfy(allowed.contains) || parts.count < 2 || parts.contains(where: \.isEmpty) {
            return
                "invalid migration id \"\(id)\": expected <namespace>.<name> with lowercase letters, digits, _, - and ."
        }
        return nil
    }
}
