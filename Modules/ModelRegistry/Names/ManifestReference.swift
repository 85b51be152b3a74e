import PlatformCore

/// What a manifest URL names: a tag (mutable) or a digest (immutable).
public enum ManifestReference: Sendable, Hashable, CustomStringConvertible {
    case tag(String)
    case digest(BlobDigest)

    /// The longest tag accepted, in characters.
    public static let maxTagLength = 128

    /// Parses a digest (`sha256:...`) or a tag (`[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}`).
    /// - Throws: ``RegistryError`` `DIGEST_INVALID` for a malformed digest, `MANIFEST_INVALID` for
    ///   a malformed tag.
    public init(_ text: String) throws {
        if text.contains(":") {
            do {
                self = .digest(try BlobDigest(parsing: text))
            } catch {
                throw RegistryError(.digestInvalid, "\(error)", detail: String(text.prefix(300)))
            }
            return
        }
        self = .tag(try Self.validateTag(text))
    }

    /// - Throws: ``RegistryError`` `MANIFEST_INVALID` naming the rule the tag breaks.
    public static func validateTag(_ text: String) throws -> String {
        let bytes = Array(text.utf8)
        func isWord(_ byte: UInt8) -> Bool {
            (0x61...0x7a).contains(byte) || (0x41...0x5a).contains(byte) || (0x30...0x39).contains(byte) || byte == UInt8(ascii: "_")
        }
        let valid = !bytes.isEmpty && bytes.count <= maxTagLength && isWord(bytes[0])
            && bytes.dropFirst().allSatisfy { isWord($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
        guard valid else {
            throw RegistryError(
                .manifestInvalid,
                "invalid tag \"\(text.prefix(80))\": expected 1 to 128 letters, digits, _, . and -, not starting with . or -",
                detail: String(text.prefix(300)))
        }
        return text
    }

    public var description: String {
        switch self {
        case .tag(let tag): tag
        case .digest(let digest): digest.description
        }
    }
}
