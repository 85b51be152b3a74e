/// A 20-byte Ethereum account address.
///
/// `description` is the EIP-55 checksummed form; `hex` is lowercase (the form JSON-RPC nodes print and `Codable` writes).
public struct Address: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The 20 address bytes.
    public let bytes: [UInt8]

    /// 0x0000000000000000000000000000000000000000.
    public static let zero = Address(validatedBytes: [UInt8](repeating: 0, count: 20))

    init(validatedBytes: [UInt8]) {
        self.bytes = validatedBytes
    }

    /// An address from exactly 20 bytes.
    public init(bytes: some Collection<UInt8>) throws(AddressError) {
        let bytes = Array(bytes)
        guard bytes.count == 20 else {
            throw AddressError(input: Hex.encode(bytes), reason: "expected 20 bytes, got \(bytes.count)")
        }
        self.bytes = bytes
    }

    /// Parses 40 hex digits with or without `0x`.
    ///
    /// Any letter case is accepted unless `strict` is true: then a mixed-case string must carry a correct EIP-55
    /// checksum (all-lowercase and all-uppercase strings have no checksum and are accepted either way).
    public init(hex: String, strict: Bool = false) throws(AddressError) {
        let digits = hex.hasPrefix("0x") || hex.hasPrefix("0X") ? hex.dropFirst(2) : hex[...]
        guard digits.utf8.count == 40 else {
            let count = digits.utf8.count
            let detail = count % 2 == 1 ? "\(count) hex digits" : count == 2 ? "1 byte" : "\(count / 2) bytes"
            throw AddressError(input: hex, reason: "expected 20 bytes (40 hex digits), got \(detail)")
        }
        let decoded: [UInt8]
        do {
            decoded = try Hex.decode(digits)
        } catch {
            throw AddressError(input: hex, reason: error.reason)
        }
        self.bytes = decoded
        if strict {
            let hasLower = digits.utf8.contains { (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }
            let hasUpper = digits.utf8.contains { (UInt8(ascii: "A")...UInt8(ascii: "F")).contains($0) }
            if hasLower && hasUpper && String(digits) != String(checksummed.dropFirst(2)) {
                throw AddressError(input: hex, reason: "bad EIP-55 checksum (expected \(checksummed))")
            }
        }
    }

    /// The address of `publicKey`: the last 20 bytes of keccak256(x || y).
    public init(publicKey: PublicKey) {
        let hash = Keccak256.hash(publicKey.rawBytes)
        self.bytes = Array(hash[12..<32])
    }

    /// Lowercase `0x`-prefixed hex.
    public var hex: String { Hex.encode(bytes) }

    /// The EIP-55 mixed-case checksum form: a hex letter is uppercase when the matching nibble of
    /// keccak256(lowercase hex without 0x) is >= 8.
    public var checksummed: String {
        let lower = Array(Hex.encode(bytes, prefix: false).utf8)
        let hash = Keccak256.hash(lower)
        var out = [UInt8]()
        out.reserveCapacity(42)
        out.append(UInt8(ascii: "0"))
        out.append(UInt8(ascii: "x"))
        for (i, c) in lower.enumerated() {
            let nibble = i % 2 == 0 ? hash[i / 2] >> 4 : hash[i / 2] & 0x0f
            out.append(c >= UInt8(ascii: "a") && nibble >= 8 ? c - 32 : c)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// True when `string` is a correctly EIP-55-checksummed address (exactly the form `checksummed` prints).
    public static func isValidChecksum(_ string: String) -> Bool {
        guard let address = try? Address(hex: string) else { return false }
        return address.checksummed == (string.hasPrefix("0x") ? string : "0x" + string)
    }

    public var description: String { checksummed }

    public static func < (lhs: Address, rhs: Address) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let string = try container.decode(String.self)
        do {
            self = try Address(hex: string)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }
}

/// Why a string or bytes were refused as an address.
public struct AddressError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The rejected input (hex of the bytes when bytes were given).
    public let input: String
    /// What was wrong with it.
    public let reason: String

    public var description: String { "invalid address \"\(input.prefix(140))\": \(reason)" }
}
