import BigInt

/// Which block a read applies to: a named tag or a block number (`"latest"`, `"0x1b4"`).
public enum BlockTag: Sendable, Hashable, Codable, CustomStringConvertible {
    case latest
    case pending
    case earliest
    case safe
    case finalized
    case number(UInt64)

    /// Parses a tag name, a `0x` hex number or a decimal number (as `cast` accepts them).
    public init(parsing text: String) throws(BlockTagError) {
        switch text.lowercased() {
        case "latest": self = .latest
        case "pending": self = .pending
        case "earliest": self = .earliest
        case "safe": self = .safe
        case "finalized": self = .finalized
        default:
            if let quantity = try? Quantity(hex: text), let number = quantity.uint64 {
                self = .number(number)
            } else if let number = UInt64(text) {
                self = .number(number)
            } else {
                throw BlockTagError(input: text)
            }
        }
    }

    /// The wire form: the tag name or the hex block number.
    public var wireValue: String {
        switch self {
        case .latest: return "latest"
        case .pending: return "pending"
        case .earliest: return "earliest"
        case .safe: return "safe"
        case .finalized: return "finalized"
        case .number(let number): return Quantity(number).hex
        }
    }

    public var description: String { wireValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(wireValue)
    }
}

/// Why a text was refused as a block tag.
public struct BlockTagError: Error, Sendable, Equatable, CustomStringConvertible {
    public let input: String
    public var description: String {
        "invalid block \"\(input.prefix(80))\": expected latest, pending, earliest, safe, finalized or a block number"
    }
}
