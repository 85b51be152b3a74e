import Foundation
import PlatformCore

#if canImport(Glibc)
import Glibc
#endif

/// Short-lived bearer tokens for the OCI token flow (`GET /v2/token?scope=...`), as Docker's token
/// specification describes them: the caller proves an API key once, gets a token that grants only
/// the scopes it asked for that the key holds, and sends `Authorization: Bearer TOKEN` until it expires.
///
/// A token is `aiplat-token.<claims>.<mac>`: the claims JSON and its HMAC-SHA256 under a server
/// secret, both base64url. Claims: the key's name and an id derived from the key's hash (so a
/// revoked key, or a new key that took the name, invalidates the token at once), the granted
/// access, issue and expiry times. Verifying needs no database; resolving the key does.
public struct RegistryTokenIssuer: Sendable {
    /// Every token starts with this, so the server tells tokens from API keys (`aiplat_...`).
    public static let prefix = "aiplat-token."
    /// Default lifetime: five minutes, like Docker Hub's.
    public static let defaultLifetime: Int64 = 300

    private let secret: [UInt8]
    /// Seconds a token stays valid.
    public let lifetime: Int64
    /// The clock (seconds since 1970); injected so tests can issue tokens in the past.
    let now: @Sendable () -> Int64

    /// - Parameters:
    ///   - secret: the signing key (at least 32 bytes; see ``loadOrCreateSecret(at:)``).
    ///   - lifetime: seconds a token stays valid.
    public init(
        secret: [UInt8], lifetime: Int64 = RegistryTokenIssuer.defaultLifetime,
        now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }
    ) {
        self.secret = secret
        self.lifetime = lifetime
        self.now = now
    }

    /// An issuer with a random secret that lives only in memory (tests, and servers without a data dir).
    public static func ephemeral() -> RegistryTokenIssuer {
        RegistryTokenIssuer(secret: randomBytes(32))
    }

    /// The secret in `path` (64 hex digits), created with 32 random bytes and mode 0600 when it
    /// does not exist yet (`O_EXCL`: two servers starting at once end up with the same secret).
    /// - Throws: ``RegistryError`` when the file cannot be created or does not hold a secret.
    public static func loadOrCreateSecret(at path: String) throws -> [UInt8] {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd >= 0 {
            let text = Array(HexEncoding.lowercase(randomBytes(32)).utf8)
            let written = text.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            let synced = fsync(fd) == 0
            close(fd)
            guard written == text.count, synced else {
                unlink(path)
                throw RegistryError(.unknown, "cannot write the token secret \(path): \(String(cString: strerror(errno)))")
            }
        } else if errno != EEXIST {
            throw RegistryError(.unknown, "cannot create the token secret \(path): \(String(cString: strerror(errno)))")
        }
        guard let data = FileManager.default.contents(atPath: path),
            let secret = decodeHex(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)),
            secret.count >= 32
        else {
            throw RegistryError(.unknown, "\(path) does not hold a token secret (64 hex digits): delete it to make a new one")
        }
        return secret
    }

    // MARK: Claims

    /// What a token grants on one resource (Docker's `access` claim).
    public struct Grant: Codable, Sendable, Hashable {
        /// `repository` or `registry` (for `registry:catalog:*`).
        public let type: String
        public let name: String
        public let actions: [String]

        public init(type: String, name: String, actions: [String]) {
            self.type = type
            self.name = name
            self.actions = actions
        }
    }

    /// A token's verified contents.
    public struct Claims: Codable, Sendable, Equatable {
        /// The API key's name.
        public let sub: String
        /// The first 16 hex digits of the key's hash: which key, not only which name.
        public let kid: String
        public let access: [Grant]
        /// Issued at and expires at, seconds since 1970.
        public let iat: Int64
        public let exp: Int64
    }

    /// An issued token and the fields of the token response.
    public struct Issued: Sendable {
        public let token: String
        public let claims: Claims
        public var expiresIn: Int64 { claims.exp - claims.iat }
        /// RFC 3339, UTC.
        public var issuedAt: String {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime]
            return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(claims.iat)))
        }
    }

    /// The grants of `requested` scopes (`repository:NAME:ACTIONS`, `registry:catalog:*`) that
    /// `principal` holds: each requested action is kept only when one of the key's scopes permits it.
    /// Unknown types, invalid names and actions the key lacks are dropped, never an error (the
    /// registry answers 403 when the token is used), as Docker's specification asks.
    public static func grants(_ requested: [String], for principal: RegistryPrincipal) -> [Grant] {
        var result: [Grant] = []
        for scope in requested {
            let parts = scope.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard parts.count >= 3 else { continue }
            let type = parts[0]
            let name = parts[1..<(parts.count - 1)].joined(separator: ":")
            let actions = parts[parts.count - 1].split(separator: ",").map(String.init)
            switch type {
            case "repository":
                guard let repository = try? RepositoryName(name) else { continue }
                var kept: [String] = []
                for action in actions {
                    let wanted: [RegistryAction] = action == "*" ? [.pull, .push, .delete] : RegistryAction(rawValue: action).map { [$0] } ?? []
                    for candidate in wanted where principal.permits(candidate, on: repository) && !kept.contains(candidate.rawValue) {
                        kept.append(candidate.rawValue)
                    }
                }
                if !kept.isEmpty { result.append(Grant(type: type, name: repository.value, actions: kept)) }
            case "registry" where name == "catalog":
                result.append(Grant(type: type, name: name, actions: ["*"]))
            default:
                continue
            }
        }
        return result
    }

    /// A token for `principal` (authenticated by the key whose hash is `keyHash`) with the grants of `requested`.
    public func issue(for principal: RegistryPrincipal, keyHash: String, requested: [String]) -> Issued {
        let issuedAt = now()
        let claims = Claims(
            sub: principal.name, kid: String(keyHash.prefix(16)), access: Self.grants(requested, for: principal), iat: issuedAt,
            exp: issuedAt + lifetime)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let payload = Self.base64URL(Array((try? encoder.encode(claims)) ?? Data()))
        let signed = Self.prefix + payload
        return Issued(token: signed + "." + Self.base64URL(HMACSHA256.authenticate(Array(signed.utf8), key: secret)), claims: claims)
    }

    /// The claims of a token this issuer (this secret) signed and that has not expired.
    /// - Throws: ``RegistryError`` `UNAUTHORIZED` for a malformed, forged or expired token.
    public func verify(_ token: String) throws -> Claims {
        guard token.hasPrefix(Self.prefix), token.utf8.count < 16 << 10 else {
            throw RegistryError(.unauthorized, "not a registry token")
        }
        guard let dot = token.lastIndex(of: "."), dot > token.index(token.startIndex, offsetBy: Self.prefix.count - 1) else {
            throw RegistryError(.unauthorized, "the token is malformed")
        }
        let signed = String(token[..<dot])
        guard let mac = Self.decodeBase64URL(String(token[token.index(after: dot)...])),
            Self.constantTimeEqual(mac, HMACSHA256.authenticate(Array(signed.utf8), key: secret))
        else {
            throw RegistryError(.unauthorized, "the token's signature does not verify (forged, or issued by another server)")
        }
        guard let payload = Self.decodeBase64URL(String(signed.dropFirst(Self.prefix.count))),
            let claims = try? JSONDecoder().decode(Claims.self, from: Data(payload))
        else {
            throw RegistryError(.unauthorized, "the token's claims do not decode")
        }
        guard now() < claims.exp else {
            throw RegistryError(.unauthorized, "the token expired; ask /v2/token for a new one")
        }
        return claims
    }

    /// The principal a verified token stands for: its grants as exact-name scopes, each kept only
    /// while `key` (the key the token names, looked up again) still holds it.
    public static func principal(_ claims: Claims, key: RegistryPrincipal) -> RegistryPrincipal {
        var scopes: [AccessScope] = []
        for grant in claims.access {
            if grant.type == "registry", grant.name == "catalog" {
                // Listing shows what the key may pull.
                scopes += key.scopes.filter { $0.action.permits(.pull) }.map { AccessScope(action: .pull, repositories: $0.repositories) }
                continue
            }
            guard grant.type == "repository", let repository = try? RepositoryName(grant.name),
                let pattern = try? RepositoryPattern(repository.value)
            else { continue }
            for action in grant.actions.compactMap(RegistryAction.init(rawValue:)) where key.permits(action, on: repository) {
                scopes.append(AccessScope(action: action, repositories: pattern))
            }
        }
        return RegistryPrincipal(name: key.name, scopes: scopes)
    }

    // MARK: Encoding

    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    static func decodeHex(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        func value(_ c: UInt8) -> UInt8? {
            switch c {
            case 0x30...0x39: c - 0x30
            case 0x61...0x66: c - 0x61 + 10
            case 0x41...0x46: c - 0x41 + 10
            default: nil
            }
        }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let high = value(digits[index]), let low = value(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        return bytes
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decodeBase64URL(_ text: String) -> [UInt8]? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.utf8.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64).map { [UInt8]($0) }
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
