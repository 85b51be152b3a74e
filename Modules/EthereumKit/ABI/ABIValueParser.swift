import BigInt

/// Parses values written the way `cast abi-encode` / `cast calldata` take them on the command line
/// (alloy's `DynSolType::coerce_str` syntax):
///
/// - `bool`: `true` or `false`
/// - `uintN`: decimal, `0x` hex, `0b` binary or `0o` octal; optional fraction and exponent
///   (`1.5e3`) and unit (`ether`, `gwei`/`nano`/`nanoether`, `wei`): `1.5 ether`
/// - `intN`: an optional `+`/`-` sign, then as `uintN` (hex is the magnitude)
/// - `address`: 40 hex digits, `0x` optional; `bytesN`: exactly 2N hex digits; `bytes`: hex
/// - `string`: the text; in arrays and tuples it ends at `,` or the closing bracket, unless it is
///   quoted with `"` or `'`
/// - arrays `[a, b]`, tuples `(a, b)`, nested freely
struct ABIValueParser {
    private let text: String
    private let bytes: [UInt8]
    private let rootType: ABIType
    private var position = 0
    /// The closing bracket of the innermost array or tuple being parsed, if any.
    private var listEnd: UInt8?

    private init(_ text: String, type: ABIType) {
        self.text = text
        self.bytes = Array(text.utf8)
        self.rootType = type
    }

    static func parse(_ text: String, as type: ABIType) throws(ABIParsingError) -> ABIValue {
        var parser = ABIValueParser(text, type: type)
        let value = try parser.parseValue(type)
        parser.skipSpaces()
        guard parser.atEnd else {
            throw parser.error("unexpected \(parser.describeCurrent()) after the value", at: parser.position)
        }
        return value
    }

    // MARK: - Values

    private mutating func parseValue(_ type: ABIType) throws(ABIParsingError) -> ABIValue {
        switch type {
        case .bool:
            let start = position
            let word = letters()
            switch word {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: throw error("expected true or false, found \(word.isEmpty ? describeCurrent() : "\"\(word)\"")", at: start)
            }
        case .uint(let bits):
            let start = position
            let magnitude = try unsignedNumber()
            guard magnitude.bitWidth <= bits else {
                throw error("number too large for uint\(bits)", at: start)
            }
            return .uint(magnitude)
        case .int(let bits):
            let start = position
            var negative = false
            if peek == UInt8(ascii: "-") { negative = true; position += 1 } else if peek == UInt8(ascii: "+") { position += 1 }
            let magnitude = try unsignedNumber()
            let width = magnitude.bitWidth
            let fits = width < bits || (negative && width == bits && magnitude.trailingZeroBitCount == bits - 1)
            guard fits else { throw error("number out of range for int\(bits)", at: start) }
            return .int(negative ? -BigInt(magnitude) : BigInt(magnitude))
        case .address:
            let start = position
            let digits = try hexDigits()
            guard digits.count == 40, let raw = try? Hex.decode(digits) else {
                throw error("an address needs 40 hex digits, got \(digits.count)", at: start)
            }
            return .address(Address(validatedBytes: raw))
        case .fixedBytes(let size):
            let start = position
            let digits = try hexDigits()
            guard digits.count == 2 * size, let raw = try? Hex.decode(digits) else {
                throw error("bytes\(size) needs \(2 * size) hex digits, got \(digits.count)", at: start)
            }
            return .fixedBytes(raw)
        case .bytes:
            let start = position
            let digits = try hexDigits()
            guard let raw = try? Hex.decode(digits) else {
                throw error("odd number of hex digits (\(digits.count))", at: start)
            }
            return .bytes(raw)
        case .string:
            return .string(try string())
        case .array(let element):
            return .array(try list(element, count: nil))
        case .fixedArray(let element, let count):
            return .array(try list(element, count: count))
        case .tuple(let components, _):
            return .tuple(try tuple(components))
        }
    }

    private mutating func list(_ element: ABIType, count: Int?) throws(ABIParsingError) -> [ABIValue] {
        skipSpaces()
        let open = position
        guard peek == UInt8(ascii: "[") else { throw error("expected '[', found \(describeCurrent())", at: position) }
        position += 1
        let outer = listEnd
        listEnd = UInt8(ascii: "]")
        defer { listEnd = outer }
        var values: [ABIValue] = []
        skipSpaces()
        if peek == UInt8(ascii: "]") {
            position += 1
        } else {
            while true {
                skipSpaces()
                values.append(try parseValue(element))
                skipSpaces()
                if peek == UInt8(ascii: ",") { position += 1; continue }
                if peek == UInt8(ascii: "]") { position += 1; break }
                if atEnd { throw error("missing ']' for '[' at offset \(open)", at: position) }
                throw error("expected ',' or ']', found \(describeCurrent())", at: position)
            }
        }
        if let count, values.count != count {
            throw error("expected \(count) elements, got \(values.count)", at: open)
        }
        return values
    }

    private mutating func tuple(_ components: [ABIType]) throws(ABIParsingError) -> [ABIValue] {
        skipSpaces()
        let open = position
        guard peek == UInt8(ascii: "(") else { throw error("expected '(', found \(describeCurrent())", at: position) }
        position += 1
        let outer = listEnd
        listEnd = UInt8(ascii: ")")
        defer { listEnd = outer }
        var values: [ABIValue] = []
        for (index, component) in components.enumerated() {
            skipSpaces()
            if index > 0 {
                guard peek == UInt8(ascii: ",") else {
                    if peek == UInt8(ascii: ")") {
                        throw error("expected \(components.count) tuple components, got \(index)", at: open)
                    }
                    throw error("expected ',', found \(describeCurrent())", at: position)
                }
                position += 1
                skipSpaces()
            }
            values.append(try parseValue(component))
        }
        skipSpaces()
        guard peek == UInt8(ascii: ")") else {
            if atEnd { throw error("missing ')' for '(' at offset \(open)", at: position) }
            if peek == UInt8(ascii: ",") { throw error("more than \(components.count) tuple components", at: position) }
            throw error("expected ')', found \(describeCurrent())", at: position)
        }
        position += 1
        return values
    }

    private mutating func string() throws(ABIParsingError) -> String {
        guard let first = peek else { return "" }
        if first == UInt8(ascii: "\"") || first == UInt8(ascii: "'") {
            let open = position
            position += 1
            let start = position
            while let byte = peek, byte != first { position += 1 }
            guard !atEnd else { throw error("unterminated quoted string", at: open) }
            let content = String(decoding: bytes[start..<position], as: UTF8.self)
            position += 1
            return content
        }
        let start = position
        if let listEnd {
            while let byte = peek, byte != UInt8(ascii: ","), byte != listEnd { position += 1 }
            guard position > start else { throw error("expected a string, found \(describeCurrent())", at: start) }
        } else {
            position = bytes.count
        }
        var end = position
        while end > start, bytes[end - 1] == UInt8(ascii: " ") || bytes[end - 1] == UInt8(ascii: "\t") { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    // MARK: - Numbers

    /// `literal(.digits)?(e[+-]?digits)?\s*unit?`
    private mutating func unsignedNumber() throws(ABIParsingError) -> BigUInt {
        let start = position
        var radix = 10
        if position + 1 < bytes.count, bytes[position] == UInt8(ascii: "0") {
            switch bytes[position + 1] | 0x20 {
            case UInt8(ascii: "x"): radix = 16
            case UInt8(ascii: "b"): radix = 2
            case UInt8(ascii: "o"): radix = 8
            default: break
            }
            if radix != 10 { position += 2 }
        }
        let digitsStart = position
        while let byte = peek, Self.digitValue(byte).map({ $0 < radix }) == true { position += 1 }
        guard position > digitsStart else {
            throw error("expected \(radix == 10 ? "a number" : "digits after the prefix"), found \(describeCurrent())", at: position)
        }
        if radix != 10, let byte = peek, Self.digitValue(byte) != nil {
            throw error("invalid digit '\(Character(Unicode.Scalar(byte)))' for base \(radix)", at: position)
        }
        var digits = String(decoding: bytes[digitsStart..<position], as: UTF8.self)
        guard var value = Self.bigUInt(digits, radix: radix) else {
            throw error("number too large for 256 bits", at: start)
        }
        var fraction = ""
        if radix == 10, peek == UInt8(ascii: ".") {
            position += 1
            let fractionStart = position
            while let byte = peek, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { position += 1 }
            guard position > fractionStart else { throw error("expected digits after '.'", at: position) }
            fraction = String(decoding: bytes[fractionStart..<position], as: UTF8.self)
        }
        var exponent = 0
        if radix == 10, let byte = peek, byte | 0x20 == UInt8(ascii: "e") {
            position += 1
            var negative = false
            if peek == UInt8(ascii: "-") { negative = true; position += 1 } else if peek == UInt8(ascii: "+") { position += 1 }
            let exponentStart = position
            while let byte = peek, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { position += 1 }
            guard position > exponentStart, position - exponentStart <= 4,
                  let magnitude = Int(String(decoding: bytes[exponentStart..<position], as: UTF8.self)) else {
                throw error("invalid exponent", at: exponentStart)
            }
            exponent = negative ? -magnitude : magnitude
        }
        let beforeUnit = position
        skipSpaces()
        let unitStart = position
        let unit = letters()
        switch unit {
        case "ether": exponent += 18
        case "gwei", "nano", "nanoether": exponent += 9
        case "wei": break
        case "":
            position = beforeUnit
        default:
            throw error("unknown unit \"\(unit)\" (expected ether, gwei or wei)", at: unitStart)
        }
        guard exponent >= 0 else { throw error("negative exponent", at: start) }
        if !fraction.isEmpty {
            let significant = String(fraction.reversed().drop(while: { $0 == "0" }).reversed())
            guard significant.count <= exponent else {
                throw error(exponent == 0 ? "fractional value not allowed" : "more than \(exponent) decimals", at: start)
            }
            digits += significant
            exponent -= significant.count
            guard let combined = Self.bigUInt(digits, radix: 10) else { throw error("number too large for 256 bits", at: start) }
            value = combined
        }
        if exponent > 0 {
            guard exponent <= 78 else { throw error("number too large for 256 bits", at: start) }
            value *= BigUInt(10).power(exponent)
        }
        guard value.bitWidth <= 256 else { throw error("number too large for 256 bits", at: start) }
        return value
    }

    private static func bigUInt(_ digits: String, radix: Int) -> BigUInt? {
        let trimmed = digits.drop(while: { $0 == "0" })
        if trimmed.isEmpty { return 0 }
        let maxDigits = [2: 256, 8: 86, 10: 78, 16: 64][radix] ?? 256
        guard trimmed.count <= maxDigits, let value = BigUInt(trimmed, radix: radix), value.bitWidth <= 256 else { return nil }
        return value
    }

    private static func digitValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return Int(byte - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return Int(byte - UInt8(ascii: "A")) + 10
        default: return nil
        }
    }

    /// `(0x)?[0-9a-fA-F]*`; empty only with the prefix.
    private mutating func hexDigits() throws(ABIParsingError) -> String {
        let start = position
        var hasPrefix = false
        if position + 1 < bytes.count, bytes[position] == UInt8(ascii: "0"), bytes[position + 1] | 0x20 == UInt8(ascii: "x") {
            position += 2
            hasPrefix = true
        }
        let digitsStart = position
        while let byte = peek, Self.digitValue(byte) != nil { position += 1 }
        if !hasPrefix && position == digitsStart {
            throw error("expected hex digits, found \(describeCurrent())", at: start)
        }
        return String(decoding: bytes[digitsStart..<position], as: UTF8.self)
    }

    // MARK: - Lexing

    private var atEnd: Bool { position >= bytes.count }
    private var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func skipSpaces() {
        while let byte = peek, byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") {
            position += 1
        }
    }

    private mutating func letters() -> String {
        let start = position
        while let byte = peek, (byte | 0x20) >= UInt8(ascii: "a"), (byte | 0x20) <= UInt8(ascii: "z") { position += 1 }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    private func describeCurrent() -> String {
        guard position < bytes.count else { return "the end of the input" }
        let byte = bytes[position]
        if byte >= 0x20 && byte < 0x7f { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x" + String(byte, radix: 16)
    }

    private func error(_ reason: String, at offset: Int?) -> ABIParsingError {
        ABIParsingError(subject: "value for \(rootType)", input: text, reason: reason, offset: offset)
    }
}
