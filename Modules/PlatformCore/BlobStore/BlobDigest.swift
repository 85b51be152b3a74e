/// The content address of a blob: `sha256:` and 64 lowercase hex digits, as OCI writes it.
///
/// Parsing is strict (only `sha256`, only lowercase hex, exactly 64 digits), so a digest taken from
/// a URL or a manifest can be used as a file name without further checks.
public struct BlobDigest: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    /// The 64 lowercase hex digits.
    public let hex: String

    /// The algorithm prefix every digest carries.
    public static let algorithm = "sha256"

    /// Parses `sha256:<64 lowercase hex>`.
    /// - Throws: ``BlobStoreError`` `.invalidDigest` naming the text and what was expected.
    public init(parsing text: String) throws {
        let prefix = Self.algorithm + ":"
        guard text.hasPrefix(prefix) else {
            throw BlobStoreError(.invalidDigest, "invalid digest \"\(text.prefix(80))\": expected sha256:<64 lowercase hex digits>")
        }
        let hex = text.dropFirst(prefix.count)
        guard hex.utf8.count == 64, hex.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
            throw BlobStoreError(.invalidDigest, "invalid digest \"\(text.prefix(80))\": expected sha256:<64 lowercase hex digits>")
        }
        self.hex = String(hex)
    }

    /// The digest of a finished hash.
    public init(_ digest: SHA256Digest) {
        self.hex = digest.hex
    }

    /// The digest of `bytes`.
    public static func of(_ bytes: some ContiguousBytesSequence) -> BlobDigest {
        BlobDigest(SHA256Hasher.hash(bytes))
    }

    /// `sha256:<hex>`.
    public var description: String { "\(Self.algorithm):\(hex)" }

    public static func < (lhs: BlobDigest, rhs: BlobDigest) -> Bool { lhs.hex < rhs.hex }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        try self.init(parsing: text)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
