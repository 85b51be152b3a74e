/// The key-derivation function protecting a V3 keystore, with its cost parameters.
public enum KeystoreKDF: Sendable, Hashable {
    /// scrypt (geth's and eth-account's default). `n` must be a power of two below 2^(16r) (RFC 7914),
    /// and the work area (128 * r * n bytes) at most `KeystoreKDF.maxScryptMemory`.
    case scrypt(n: Int = 262_144, r: Int = 8, p: Int = 1)
    /// PBKDF2-HMAC-SHA256 with `iterations` rounds.
    case pbkdf2(iterations: Int = 262_144)

    /// geth's "standard" scrypt parameters (n = 2^18, r = 8, p = 1): about a second and 256 MiB.
    public static let standard = KeystoreKDF.scrypt()
    /// geth's "light" scrypt parameters (n = 2^12, r = 8, p = 6).
    public static let light = KeystoreKDF.scrypt(n: 4096, r: 8, p: 6)

    /// The most memory a keystore's scrypt parameters may ask for (1 GiB): files from elsewhere can't exhaust memory.
    public static let maxScryptMemory = 1 << 30

    /// The name a keystore file gives this KDF (`crypto.kdf`).
    public var name: String {
        switch self {
        case .scrypt: "scrypt"
        case .pbkdf2: "pbkdf2"
        }
    }

    /// Checks the parameters before any work is done, so a hostile file fails fast with a clear reason.
    func validate() throws(KeystoreError) {
        switch self {
        case .scrypt(let n, let r, let p):
            guard n > 1, n & (n - 1) == 0 else { throw .invalidParameter(name: "n", reason: "must be a power of two above 1, got \(n)") }
            guard r > 0, r <= 1024 else { throw .invalidParameter(name: "r", reason: "must be in 1...1024, got \(r)") }
            guard p > 0, p <= 1024 else { throw .invalidParameter(name: "p", reason: "must be in 1...1024, got \(p)") }
            guard n.trailingZeroBitCount < 16 * r else {
                throw .invalidParameter(name: "n", reason: "must be below 2^(16 * r) = 2^\(16 * r) (RFC 7914), got \(n)")
            }
            let (memory, overflow) = (128 * r).multipliedReportingOverflow(by: n + 2)
            guard !overflow, memory <= Self.maxScryptMemory else {
                throw .invalidParameter(name: "n", reason: "n = \(n), r = \(r) needs more than the 1 GiB scrypt limit")
            }
        case .pbkdf2(let iterations):
            guard iterations > 0, iterations <= Int(Int32.max) else {
                throw .invalidParameter(name: "c", reason: "must be in 1...\(Int32.max), got \(iterations)")
            }
        }
    }
}
