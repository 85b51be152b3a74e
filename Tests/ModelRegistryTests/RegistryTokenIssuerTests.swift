import Foundation
import ModelRegistry
import PlatformCore
import Testing

/// The token flow's signer: the secret file, scope narrowing, expiry and forgery.
@Suite struct RegistryTokenIssuerTests {
    @Test func theSecretIsCreated0600OnFirstUseAndReadBackAfterwards() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("aiplat-token-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/registry-token-secret"
        let first = try RegistryTokenIssuer.loadOrCreateSecret(at: path)
        #expect(first.count == 32)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try RegistryTokenIssuer.loadOrCreateSecret(at: path) == first)
        // A token signed by one server start verifies after a restart (same secret file).
        let principal = RegistryPrincipal(name: "ci", scopes: [try AccessScope(parsing: "pull:org/*")])
        let token = RegistryTokenIssuer(secret: first).issue(for: principal, keyHash: String(repeating: "a", count: 64), requested: [])
        let reloaded = RegistryTokenIssuer(secret: try RegistryTokenIssuer.loadOrCreateSecret(at: path))
        #expect(try reloaded.verify(token.token).sub == "ci")

        try Data("not hex".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: RegistryError.self) { try RegistryTokenIssuer.loadOrCreateSecret(at: path) }
    }

    @Test func grantsAreTheRequestedActionsTheKeysScopesPermit() throws {
        let principal = RegistryPrincipal(
            name: "ci", scopes: [try AccessScope(parsing: "push:org/*"), try AccessScope(parsing: "delete:org/old")])
        let grants = RegistryTokenIssuer.grants(
            [
                "repository:org/a:pull,push,delete", "repository:org/old:*", "repository:public/x:pull", "repository:Bad/Name:pull",
                "registry:catalog:*", "something:else:pull", "nonsense",
            ], for: principal)
        #expect(grants == [
            .init(type: "repository", name: "org/a", actions: ["pull", "push"]),
            .init(type: "repository", name: "org/old", actions: ["pull", "push", "delete"]),
            .init(type: "registry", name: "catalog", actions: ["*"]),
        ])
    }

    @Test func expiredForgedAndMalformedTokensAreUnauthorized() throws {
        let secret = [UInt8](repeating: 7, count: 32)
        let principal = RegistryPrincipal(name: "ci", scopes: [try AccessScope(parsing: "pull:org/*")])
        let clock = { @Sendable in Int64(1_000_000) }
        let issuer = RegistryTokenIssuer(secret: secret, lifetime: 300, now: clock)
        let token = issuer.issue(for: principal, keyHash: String(repeating: "b", count: 64), requested: ["repository:org/m:pull"]).token
        #expect(try issuer.verify(token).exp == 1_000_300)
        let later = RegistryTokenIssuer(secret: secret, lifetime: 300, now: { 1_000_300 })
        let other = RegistryTokenIssuer(secret: [UInt8](repeating: 8, count: 32), now: clock)
        for (check, candidate) in [(later, token), (other, token), (issuer, "aiplat-token.x"), (issuer, "aiplat-token.e30.AAAA"), (issuer, "aiplat_key")] {
            #expect(throws: RegistryError.self) { try check.verify(candidate) }
        }
        // A token's grants only hold while its key still has them.
        let claims = try issuer.verify(token)
        let narrowed = RegistryPrincipal(name: "ci", scopes: [try AccessScope(parsing: "pull:org/other")])
        #expect(RegistryTokenIssuer.principal(claims, key: narrowed).scopes.isEmpty)
        #expect(RegistryTokenIssuer.principal(claims, key: principal).permits(.pull, on: try RepositoryName("org/m")))
    }
}
