import BigInt

extension ABIValue {
    /// Parses a value written as `cast abi-encode` takes it on the command line, e.g. `"1"`, `"0x2a"`,
    /// `"-5"`, `"1.5 ether"`, `"true"`, `"[0x..,0x..]"`, `"(true,hi)"`, `"[(1, \"a, b\")]"`.
    /// See `ABIValueParser` for the full syntax.
    public init(parsing text: String, as type: ABIType) throws(ABIParsingError) {
        self = try ABIValueParser.parse(text, as: type)
    }

    /// How `formatted(_:)` writes a value.
    public enum TextStyle: Sendable {
        /// As `cast abi-decode` prints it: integers of 10000 and more get an exponent hint
        /// (`1000000000000000000 [1e18]`), strings are quoted and escaped.
        case cast
        /// Plain values that `ABIValue(parsing:as:)` reads back: no hints; strings unquoted at the
        /// top level (cast's `--raw` output).
        case raw
    }

    /// The value as text: checksummed addresses, lowercase `0x` hex for bytes, decimal integers,
    /// `[a, b]` for arrays and `(a, b)` for tuples.
    public func formatted(_ style: TextStyle = .cast) -> String {
        var out = ""
        append(to: &out, style: style, nested: false)
        return out
    }

    private func append(to out: inout String, style: TextStyle, nested: Bool) {
        switch self {
        case .uint(let value):
            out += Self.integerText(sign: "", magnitude: value, hint: style == .cast)
        case .int(let value):
            let negative = value.sign == .minus && !value.magnitude.isZero
            out += Self.integerText(sign: negative ? "-" : "", magnitude: value.magnitude, hint: style == .cast)
        case .address(let address):
            out += address.checksummed
        case .bool(let flag):
            out += flag ? "true" : "false"
        case .fixedBytes(let bytes), .bytes(let bytes):
            out += Hex.encode(bytes)
        case .string(let string):
            switch style {
            case .cast: out += "\""; Self.escape(string, into: &out, quotes: false); out += "\""
            case .raw where nested: out += "\""; out += string; out += "\""
            case .raw: Self.escape(string, into: &out, quotes: true)
            }
        case .array(let values):
            out += "["
            for (index, value) in values.enumerated() {
                if index > 0 { out += ", " }
                value.append(to: &out, style: style, nested: true)
            }
            out += "]"
        case .tuple(let values):
            out += "("
            for (index, value) in values.enumerated() {
                if index > 0 { out += ", " }
                value.append(to: &out, style: style, nested: true)
            }
            out += ")"
        }
    }

    /// `1234`, or `1234567890 [1.234e9]` for magnitudes of 10000 and more (4 significant figures,
    /// trailing zeros trimmed), as Foundry's `format_uint_exp`.
    static func integerText(sign: String, magnitude: BigUInt, hint: Bool) -> String {
        let digits = magnitude.description
        guard hint, magnitude >= 10_000 else { return sign + digits }
        var mantissa = String(digits.prefix(4))
        while mantissa.hasSuffix("0") { mantissa.removeLast() }
        if mantissa.count > 1 { mantissa.insert(".", at: mantissa.index(after: mantissa.startIndex)) }
        return "\(sign)\(digits) [\(sign)\(mantissa)e\(digits.count - 1)]"
    }

    /// Escapes like Rust's `{:?}` for strings: `\"`, `\\`, `\n`, `\r`, `\t`, `\0`, `\u{..}` for other controls.
    private static func escape(_ string: String, into out: inout String, quotes: Bool) {
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "'" where quotes: out += "\\'"
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\0": out += "\\0"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f {
                    out += "\\u{" + String(scalar.value, radix: 16) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
    }
}

extension ABIValue {
    /// The value as JSON text, as `cast abi-decode --json` writes each value: integers as JSON numbers
    /// when they fit 64 bits and as decimal strings otherwise, addresses checksummed, bytes as `0x`
    /// hex strings, arrays and tuples as arrays.
    public func jsonText() -> String {
        var out = ""
        appendJSON(to: &out)
        return out
    }

    private func appendJSON(to out: inout String) {
        switch self {
        case .uint(let value):
            out += value.bitWidth <= 64 ? value.description : "\"\(value)\""
        case .int(let value):
            out += value.magnitude.bitWidth <= 63 ? value.description : "\"\(value)\""
        case .address(let address):
            out += "\"" + address.checksummed + "\""
        case .bool(let flag):
            out += flag ? "true" : "false"
        case .fixedBytes(let bytes), .bytes(let bytes):
            out += "\"" + Hex.encode(bytes) + "\""
        case .string(let string):
            out += JSONValue.quoted(string)
        case .array(let values), .tuple(let values):
            out += "["
            for (index, value) in values.enumerated() {
                if index > 0 { out += "," }
                value.appendJSON(to: &out)
            }
            out += "]"
        }
    }
}

extension ABIValue: CustomStringConvertible {
    /// The value as `cast abi-decode` prints it (see `formatted(_:)`).
    public var description: String { formatted(.cast) }
}
