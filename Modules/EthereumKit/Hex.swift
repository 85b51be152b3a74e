/// Hex encoding and decoding in the form Ethereum tools print: lowercase, `0x`-prefixed.
public enum Hex {
    /// Why a hex string was refused.
    public struct DecodingError: Error, Sendable, Equatable, CustomStringConvertible {
        public let input: String
        public let reason: String
        public var description: String { "invalid hex \"\(input.prefix(80))\": \(reason)" }
    }

    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Lowercase hex of `bytes`, with a `0x` prefix unless `prefix` is false.
    public static func encode(_ bytes: some Collection<UInt8>, prefix: Bool = true) -> String {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2 + 2)
        if prefix { out.append(UInt8(ascii: "0")); out.append(UInt8(ascii: "x")) }
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes hex with or without `0x`; an odd number of digits gets a leading zero only when `allowOdd`.
    public static func decode(_ string: some StringProtocol, allowOdd: Bool = false) throws(DecodingError) -> [UInt8] {
        var utf8 = Array(string.utf8)
        if utf8.count >= 2, utf8[0] == UInt8(ascii: "0"), utf8[1] | 0x20 == UInt8(ascii: "x") {
            utf8.removeFirst(2)
        }
        if utf8.count % 2 != 0 {
            guard allowOdd else { throw DecodingError(input: String(string), reason: "odd number of hex digits") }
            utf8.insert(UInt8(ascii: "0"), at: 0)
        }
        var out = [UInt8]()
        out.reserveCapacity(utf8.count / 2)
        var i = 0
        while i < utf8.count {
            guard let hi = nibble(utf8[i]), let lo = nibble(utf8[i + 1]) else {
                throw DecodingError(input: String(string), reason: "non-hex character at offset \(i)")
            }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }

    @inline(__always)
    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
