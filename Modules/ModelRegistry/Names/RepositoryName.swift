/// A repository name in the OCI distribution grammar:
/// `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*`, at most 255 bytes.
///
/// The grammar admits no `..`, no empty segment and no leading `/`, so a valid name is also safe
/// to use in a path or a SQL `LIKE`-free query.
public struct RepositoryName: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The name as written, e.g. `org/models/bert`.
    public let value: String

    /// The longest name accepted, in bytes.
    public static let maxLength = 255

    /// - Throws: ``RegistryError`` `NAME_INVALID` saying which rule the text breaks.
    public init(_ text: String) throws {
        guard !text.isEmpty, text.utf8.count <= Self.maxLength else {
            throw RegistryError(
                .nameInvalid, "invalid repository name \"\(text.prefix(80))\": must be 1 to \(Self.maxLength) bytes",
                detail: String(text.prefix(300)))
        }
        for component in text.split(separator: "/", omittingEmptySubsequences: false) {
            guard Self.isValidComponent(Array(component.utf8)) else {
                throw RegistryError(
                    .nameInvalid,
                    "invalid repository name \"\(text.prefix(80))\": each /-separated part must be lowercase letters and digits, joined by ., _, __ or dashes",
                    detail: text)
            }
        }
        self.value = text
    }

    /// `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`
    static func isValidComponent(_ bytes: [UInt8]) -> Bool {
        func isAlphanumeric(_ byte: UInt8) -> Bool { (0x61...0x7a).contains(byte) || (0x30...0x39).contains(byte) }
        var index = 0
        func alphanumericRun() -> Bool {
            let start = index
            while index < bytes.count, isAlphanumeric(bytes[index]) { index += 1 }
            return index > start
        }
        guard alphanumericRun() else { return false }
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "."):
                index += 1
            case UInt8(ascii: "_"):
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "_") { index += 1 }
            case UInt8(ascii: "-"):
                while index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
            default:
                return false
            }
            guard alphanumericRun() else { return false }
        }
        return true
    }

    public var description: String { value }

    public static func < (lhs: RepositoryName, rhs: RepositoryName) -> Bool { lhs.value < rhs.value }
}
