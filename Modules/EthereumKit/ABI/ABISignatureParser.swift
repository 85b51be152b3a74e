/// Recursive-descent parser for ABI type strings and human-readable signatures
/// (`transfer(address,uint256)`, `function f(uint a) view returns (bool)`, `event E(address indexed a)`,
/// `error E(uint256 x)`, and cast's `f(uint256)(bool)`).
struct ABISignatureParser {
    /// Nesting limit for tuples and array dimensions: deep enough for any real contract, shallow
    /// enough that recursive code over the type can never exhaust the stack.
    static let maxDepth = 64

    private let text: String
    private let bytes: [UInt8]
    private let subject: String
    private var position = 0
    private var depth = 0

    private init(_ text: String, subject: String) {
        self.text = text
        self.bytes = Array(text.utf8)
        self.subject = subject
    }

    // MARK: - Entry points

    static func parseType(_ text: String) throws(ABIParsingError) -> ABIType {
        var parser = ABISignatureParser(text, subject: "ABI type")
        parser.skipSpaces()
        let type = try parser.parseType()
        try parser.expectEnd()
        return type
    }

    /// A parameter list such as `(uint256 a, (bool,string)[] b)` or `uint256,address` (parentheses optional).
    static func parseParameterList(_ text: String, allowIndexed: Bool = false) throws(ABIParsingError) -> [ABIParameter] {
        var parser = ABISignatureParser(text, subject: "parameter list")
        parser.skipSpaces()
        let parameters: [ABIParameter]
        if parser.peek == UInt8(ascii: "(") {
            parameters = try parser.parseParameterList(allowIndexed: allowIndexed)
        } else if parser.atEnd {
            parameters = []
        } else {
            parameters = try parser.parseBareParameterList(allowIndexed: allowIndexed)
        }
        try parser.expectEnd()
        return parameters
    }

    struct FunctionSignature {
        var name: String
        var inputs: [ABIParameter]
        var outputs: [ABIParameter]
        var stateMutability: ABIFunction.StateMutability
    }

    static func parseFunction(_ text: String) throws(ABIParsingError) -> FunctionSignature {
        var parser = ABISignatureParser(text, subject: "function signature")
        parser.skipSpaces()
        var name = try parser.requireIdentifier("a function name")
        if name == "function" {
            parser.skipSpaces()
            name = try parser.requireIdentifier("a function name")
        } else if ["event", "error", "constructor", "fallback", "receive"].contains(name),
                  parser.peekAfterSpaces != UInt8(ascii: "(") {
            throw parser.error("expected a function, found \"\(name)\"", at: 0)
        }
        let inputs = try parser.parseParameterList(allowIndexed: false)
        var outputs: [ABIParameter] = []
        var mutability = ABIFunction.StateMutability.nonpayable
        var sawOutputs = false
        while true {
            parser.skipSpaces()
            if parser.atEnd { break }
            if parser.peek == UInt8(ascii: "("), !sawOutputs {
                outputs = try parser.parseParameterList(allowIndexed: false)
                sawOutputs = true
                continue
            }
            let start = parser.position
            guard let word = parser.identifier() else {
                throw parser.error("unexpected \(parser.describeCurrent())", at: parser.position)
            }
            switch word {
            case "returns" where !sawOutputs:
                parser.skipSpaces()
                outputs = try parser.parseParameterList(allowIndexed: false)
                sawOutputs = true
            case "view": mutability = .view
            case "pure": mutability = .pure
            case "payable": mutability = .payable
            case "nonpayable": mutability = .nonpayable
            case "external", "public", "internal", "private", "virtual", "override", "constant":
                if word == "constant" { mutability = .view }
            default:
                throw parser.error("unexpected \"\(word)\"", at: start)
            }
        }
        return FunctionSignature(name: name, inputs: inputs, outputs: outputs, stateMutability: mutability)
    }

    static func parseEvent(_ text: String) throws(ABIParsingError) -> (name: String, inputs: [ABIParameter], anonymous: Bool) {
        var parser = ABISignatureParser(text, subject: "event signature")
        parser.skipSpaces()
        var name = try parser.requireIdentifier("an event name")
        if name == "event" {
            parser.skipSpaces()
            name = try parser.requireIdentifier("an event name")
        }
        let inputs = try parser.parseParameterList(allowIndexed: true)
        parser.skipSpaces()
        var anonymous = false
        if !parser.atEnd {
            let start = parser.position
            let word = parser.identifier()
            guard word == "anonymous" else {
                throw parser.error("unexpected \(word.map { "\"\($0)\"" } ?? parser.describeCurrent())", at: start)
            }
            anonymous = true
        }
        try parser.expectEnd()
        return (name, inputs, anonymous)
    }

    static func parseError(_ text: String) throws(ABIParsingError) -> (name: String, inputs: [ABIParameter]) {
        var parser = ABISignatureParser(text, subject: "error signature")
        parser.skipSpaces()
        var name = try parser.requireIdentifier("an error name")
        if name == "error" {
            parser.skipSpaces()
            name = try parser.requireIdentifier("an error name")
        }
        let inputs = try parser.parseParameterList(allowIndexed: false)
        try parser.expectEnd()
        return (name, inputs)
    }

    /// Applies JSON-ABI array suffixes (`[]`, `[3][]`) to `base`.
    static func applyArraySuffixes(_ suffixes: String, to base: ABIType, fullText: String) throws(ABIParsingError) -> ABIType {
        var parser = ABISignatureParser(suffixes, subject: "ABI type")
        var type = base
        try parser.parseArraySuffixes(into: &type)
        guard parser.atEnd else {
            throw ABIParsingError(subject: "ABI type", input: fullText, reason: "unexpected text after \"tuple\"")
        }
        return type
    }

    // MARK: - Types

    private mutating func parseType() throws(ABIParsingError) -> ABIType {
        var type: ABIType
        let start = position
        if peek == UInt8(ascii: "(") {
            type = try parseTupleType()
        } else if let word = identifier() {
            if word == "tuple", peek == UInt8(ascii: "(") {
                type = try parseTupleType()
            } else {
                type = try elementaryType(word, at: start)
            }
        } else if atEnd {
            throw error("expected a type, found the end of the input", at: position)
        } else if peek == UInt8(ascii: ")") {
            throw error("unbalanced parentheses: unexpected ')'", at: position)
        } else {
            throw error("expected a type, found \(describeCurrent())", at: position)
        }
        try parseArraySuffixes(into: &type)
        return type
    }

    private mutating func parseArraySuffixes(into type: inout ABIType) throws(ABIParsingError) {
        while peek == UInt8(ascii: "[") {
            let open = position
            position += 1
            try enterNesting(at: open)
            skipSpaces()
            if peek == UInt8(ascii: "]") {
                position += 1
                type = .array(type)
                continue
            }
            guard let count = number() else {
                if atEnd { throw error("unterminated array suffix: expected ']'", at: position) }
                throw error("expected an array length or ']', found \(describeCurrent())", at: position)
            }
            guard count > 0 else {
                throw error("fixed array length must be positive, got 0", at: open)
            }
            skipSpaces()
            guard peek == UInt8(ascii: "]") else {
                if atEnd { throw error("unterminated array suffix: expected ']'", at: position) }
                throw error("expected ']', found \(describeCurrent())", at: position)
            }
            position += 1
            type = .fixedArray(type, count)
        }
    }

    private mutating func parseTupleType() throws(ABIParsingError) -> ABIType {
        let parameters = try parseParameterList(allowIndexed: false)
        let names = parameters.map(\.name)
        return .tuple(parameters.map(\.type), names: names.allSatisfy(\.isEmpty) ? nil : names)
    }

    private mutating func elementaryType(_ word: String, at start: Int) throws(ABIParsingError) -> ABIType {
        switch word {
        case "address": return .address
        case "bool": return .bool
        case "string": return .string
        case "bytes": return .bytes
        case "byte": return .fixedBytes(1)
        case "uint": return .uint(256)
        case "int": return .int(256)
        case "function":
            throw error("the function type is not supported", at: start)
        default: break
        }
        for (prefix, isSigned) in [("uint", false), ("int", true)] where word.hasPrefix(prefix) {
            let digits = word.dropFirst(prefix.count)
            guard let bits = Self.decimal(digits) else { break }
            guard bits % 8 == 0, (8...256).contains(bits) else {
                throw error("invalid bit size \(digits) for \(prefix): must be a multiple of 8 in 8...256", at: start)
            }
            return isSigned ? .int(bits) : .uint(bits)
        }
        if word.hasPrefix("bytes"), let size = Self.decimal(word.dropFirst(5)) {
            guard (1...32).contains(size) else {
                throw error("invalid size \(word.dropFirst(5)) for bytes: must be in 1...32", at: start)
            }
            return .fixedBytes(size)
        }
        if word.hasPrefix("fixed") || word.hasPrefix("ufixed") {
            throw error("fixed-point types are not supported", at: start)
        }
        throw error("unknown type \"\(word)\"", at: start)
    }

    /// Parses the decimal digits of a type suffix; nil if not all digits or absurdly long.
    private static func decimal(_ digits: Substring) -> Int? {
        guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(digits)
    }

    // MARK: - Parameters

    private mutating func parseParameterList(allowIndexed: Bool) throws(ABIParsingError) -> [ABIParameter] {
        skipSpaces()
        let open = position
        guard peek == UInt8(ascii: "(") else {
            if atEnd { throw error("expected '(', found the end of the input", at: position) }
            throw error("expected '(', found \(describeCurrent())", at: position)
        }
        position += 1
        try enterNesting(at: open)
        defer { depth -= 1 }
        skipSpaces()
        if peek == UInt8(ascii: ")") {
            position += 1
            return []
        }
        var parameters: [ABIParameter] = []
        while true {
            parameters.append(try parseParameter(allowIndexed: allowIndexed))
            skipSpaces()
            switch peek {
            case UInt8(ascii: ","):
                position += 1
            case UInt8(ascii: ")"):
                position += 1
                return parameters
            case nil:
                throw error("unbalanced parentheses: missing ')' for '(' at offset \(open)", at: position)
            default:
                throw error("expected ',' or ')', found \(describeCurrent())", at: position)
            }
        }
    }

    /// `uint256 a, bool b` without surrounding parentheses (to the end of the input).
    private mutating func parseBareParameterList(allowIndexed: Bool) throws(ABIParsingError) -> [ABIParameter] {
        var parameters: [ABIParameter] = []
        while true {
            parameters.append(try parseParameter(allowIndexed: allowIndexed))
            skipSpaces()
            if atEnd { return parameters }
            guard peek == UInt8(ascii: ",") else {
                throw error("expected ',', found \(describeCurrent())", at: position)
            }
            position += 1
        }
    }

    private mutating func parseParameter(allowIndexed: Bool) throws(ABIParsingError) -> ABIParameter {
        skipSpaces()
        let type = try parseType()
        var indexed = false
        var name = ""
        while true {
            skipSpaces()
            let start = position
            guard let word = identifier() else { break }
            guard name.isEmpty else {
                throw error("unexpected \"\(word)\" after parameter name \"\(name)\"", at: start)
            }
            if word == "indexed" {
                guard allowIndexed else { throw error("\"indexed\" is only allowed on event parameters", at: start) }
                guard !indexed else { throw error("\"indexed\" given twice", at: start) }
                indexed = true
            } else if word == "memory" || word == "calldata" || word == "storage" {
                continue
            } else if word == "payable" && type == .address {
                continue
            } else {
                name = word
            }
        }
        return ABIParameter(name, type: type, indexed: indexed)
    }

    // MARK: - Lexing

    private var atEnd: Bool { position >= bytes.count }
    private var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

    private var peekAfterSpaces: UInt8? {
        var index = position
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") { index += 1 }
        return index < bytes.count ? bytes[index] : nil
    }

    private mutating func skipSpaces() {
        while let byte = peek, byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
            || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
            position += 1
        }
    }

    private mutating func enterNesting(at offset: Int) throws(ABIParsingError) {
        depth += 1
        if depth > Self.maxDepth {
            throw error("nesting deeper than \(Self.maxDepth) levels", at: offset)
        }
    }

    private static func isIdentifierStart(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "$")
    }

    private static func isIdentifierPart(_ byte: UInt8) -> Bool {
        isIdentifierStart(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    private mutating func identifier() -> String? {
        guard let first = peek, Self.isIdentifierStart(first) else { return nil }
        let start = position
        position += 1
        while let byte = peek, Self.isIdentifierPart(byte) { position += 1 }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    private mutating func requireIdentifier(_ what: String) throws(ABIParsingError) -> String {
        guard let word = identifier() else {
            if atEnd { throw error("expected \(what), found the end of the input", at: position) }
            throw error("expected \(what), found \(describeCurrent())", at: position)
        }
        return word
    }

    private mutating func number() -> Int? {
        let start = position
        while let byte = peek, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { position += 1 }
        guard position > start, position - start <= 9 else {
            position = start
            return nil
        }
        return Int(String(decoding: bytes[start..<position], as: UTF8.self))
    }

    private mutating func expectEnd() throws(ABIParsingError) {
        skipSpaces()
        guard atEnd else {
            if peek == UInt8(ascii: ")") {
                throw error("unbalanced parentheses: unexpected ')'", at: position)
            }
            throw error("unexpected \(describeCurrent())", at: position)
        }
    }

    private func describeCurrent() -> String {
        guard position < bytes.count else { return "the end of the input" }
        let byte = bytes[position]
        if byte >= 0x20 && byte < 0x7f { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x" + String(byte, radix: 16)
    }

    private func error(_ reason: String, at offset: Int?) -> ABIParsingError {
        ABIParsingError(subject: subject, input: text, reason: reason, offset: offset)
    }
}
