import BigInt

/// A JSON-RPC quantity: an unsigned integer written as `0x`-prefixed hex without leading zeros
/// (`"0x0"`, `"0x1a"`), as every Ethereum node sends block numbers, balances, gas and nonces.
public struct Quantity: Sendable, Hashable, Codable, Comparable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    public var value: BigUInt

    public init(_ value: BigUInt) { self.value = value }
    public init(_ value: UInt64) { self.value = BigUInt(value) }
    public init(integerLiteral value: UInt64) { self.value = BigUInt(value) }

    /// Parses a hex quantity (`0x` required). Leading zeros are accepted, as some nodes send them.
    public init(hex text: String) throws(QuantityError) {
        guard text.hasPrefix("0x") || text.hasPrefix("0X") else {
            throw QuantityError(input: text, reason: "expected a 0x-prefixed hex quantity")
        }
        let digits = text.dropFirst(2)
        guard !digits.isEmpty else { throw QuantityError(input: text, reason: "no hex digits after 0x") }
        guard digits.count <= 64, digits.allSatisfy(\.isHexDigit), let value = BigUInt(digits, radix: 16) else {
            throw QuantityError(input: text, reason: digits.count > 64 ? "more than 256 bits" : "non-hex character")
        }
        self.value = value
    }

    /// The value when it fits in 64 bits.
    public var uint64: UInt64? { value.bitWidth <= 64 ? UInt64(value) : nil }

    /// `0x`-prefixed lowercase hex without leading zeros; zero is `0x0`.
    public var hex: String { "0x" + String(value, radix: 16) }

    public var description: String { hex }

    public static func < (lhs: Quantity, rhs: Quantity) -> Bool { lhs.value < rhs.value }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            do {
                try self.init(hex: text)
            } catch {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
            }
        } else if let number = try? container.decode(UInt64.self) {
            // A few nodes send small quantities as plain JSON numbers; accept them rather than fail.
            self.init(number)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected a hex quantity string")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }
}

/// Why a text was refused as a hex quantity.
public struct QuantityError: Error, Sendable, Equatable, CustomStringConvertible {
    public let input: String
    public let reason: String
    public var description: String { "invalid quantity \"\(input.prefix(80))\": \(reason)" }
}

extension BigUInt {
    /// The value as `UInt64`, or nil when it does not fit.
    var exactUInt64: UInt64? { bitWidth <= 64 ? UInt64(self) : nil }
}
