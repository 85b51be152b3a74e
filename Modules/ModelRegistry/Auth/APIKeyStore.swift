import Foundation
import PlatformCore

/// API keys in the registry's database: created once (the plain key is returned then and never
/// again), stored as the SHA-256 of the key, listed, revoked, and checked on every request.
///
/// A key is `aiplat_` followed by 64 hex digits of 32 random bytes from the system generator, so
/// a plain SHA-256 (no salt, no stretching) is enough: the key has 256 bits of entropy.
public struct APIKeyStore: Sendable {
    public let database: any SQLDatabase

    public init(database: any SQLDatabase) {
        self.database = database
    }

    /// The prefix every key starts with, so leaked keys are easy to recognise and scan for.
    public static let keyPrefix = "aiplat_"

    /// Creates a key named `name` with `scopes`.
    /// - Returns: the plain key: show it once, it cannot be recovered.
    /// - Throws: ``RegistryError`` `DENIED` for a bad or taken name or no scopes.
    public func create(name: String, scopes: [AccessScope]) async throws -> String {
        try Self.validateName(name)
        guard !scopes.isEmpty else {
            throw RegistryError(.denied, "a key needs at least one scope (e.g. --scope 'pull:org/*')")
        }
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let key = Self.keyPrefix + SHA256Digest(bytes: secret).hex
        do {
            try await database.execute(
                "INSERT INTO registry_api_keys (name, key_hash, scopes, created_at) VALUES (?, ?, ?, ?)",
                [.text(name), .text(Self.hash(key)), .text(scopes.map(\.description).joined(separator: " ")),
                 .text(RegistryClock.timestamp())])
        } catch let error as SQLDatabaseError where error.isUniqueViolation {
            throw RegistryError(.denied, "an API key named \"\(name)\" already exists; revoke it or pick another name")
        }
        return key
    }

    /// Every key, revoked ones included, by name.
    public func list() async throws -> [APIKey] {
        try await database.query("SELECT name, scopes, created_at, revoked_at FROM registry_api_keys ORDER BY name").map {
            APIKey(
                name: try $0.string("name"), scopes: Self.parseScopes(try $0.string("scopes")),
                createdAt: try $0.string("created_at"), revokedAt: try $0.decode("revoked_at"))
        }
    }

    /// Revokes the key named `name`: it stops working at once.
    /// - Returns: false when there is no such valid key.
    @discardableResult
    public func revoke(name: String) async throws -> Bool {
        try await database.execute(
            "UPDATE registry_api_keys SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL",
            [.text(RegistryClock.timestamp()), .text(name)]) > 0
    }

    /// The principal a plain key stands for, or nil when it is unknown or revoked.
    public func authenticate(key: String) async throws -> RegistryPrincipal? {
        guard key.hasPrefix(Self.keyPrefix), key.utf8.count < 200 else { return nil }
        guard let row = try await database.queryFirst(
            "SELECT name, scopes FROM registry_api_keys WHERE key_hash = ? AND revoked_at IS NULL", [.text(Self.hash(key))])
        else { return nil }
        return RegistryPrincipal(name: try row.string("name"), scopes: Self.parseScopes(try row.string("scopes")))
    }

    /// The valid key named `name` whose hash starts with `keyID` (a token's `kid`), as a principal;
    /// nil when it was revoked or the name now belongs to another key.
    public func principal(named name: String, keyID: String) async throws -> RegistryPrincipal? {
        guard keyID.utf8.count == 16 else { return nil }
        guard let row = try await database.queryFirst(
            "SELECT name, scopes, key_hash FROM registry_api_keys WHERE name = ? AND revoked_at IS NULL", [.text(name)])
        else { return nil }
        guard try row.string("key_hash").hasPrefix(keyID) else { return nil }
        return RegistryPrincipal(name: try row.string("name"), scopes: Self.parseScopes(try row.string("scopes")))
    }

    /// The stored form of a key: lowercase hex SHA-256.
    public static func hash(_ key: String) -> String {
        SHA256Hasher.hash(Array(key.utf8)).hex
    }

    /// Scopes were validated when stored; one that no longer parses grants nothing.
    private static func parseScopes(_ text: String) -> [AccessScope] {
        text.split(separator: " ").compactMap { try? AccessScope(parsing: String($0)) }
    }

    static func validateName(_ name: String) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-@".utf8)
        guard !name.isEmpty, name.utf8.count <= 64, name.utf8.allSatisfy(allowed.contains) else {
            throw RegistryError(.denied, "invalid key name \"\(name.prefix(80))\": use 1 to 64 letters, digits, ., _, - and @")
        }
    }
}
