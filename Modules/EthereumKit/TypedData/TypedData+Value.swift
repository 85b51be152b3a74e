import Foundation

extension TypedData {
    /// A JSON value of a typed-data `domain` or `message`. Numbers keep their exact text, so
    /// 256-bit integers written as JSON numbers survive (read them with `TypedData(json:)`).
    public indirect enum Value: Sendable, Hashable {
        case null
        case bool(Bool)
        /// A JSON number, as written (`12`, `-3`, `115792089237316195423570985008687907853269984665640564039457584007913129639935`).
        case number(String)
        case string(String)
        case array([Value])
        case object([String: Value])

        /// Fields of an `.object`.
        public var objectValue: [String: Value]? {
            if case .object(let fields) = self { return fields }
            return nil
        }

        /// Short description of the kind of value, for error messages.
        var kindName: String {
            switch self {
            case .null: return "null"
            case .bool: return "a bool"
            case .number(let text): return "the number \(text)"
            case .string(let text): return "the string \"\(text.count > 40 ? String(text.prefix(37)) + "..." : text)\""
            case .array(let items): return "an array of \(items.count)"
            case .object: return "an object"
            }
        }
    }
}

extension TypedData.Value: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(String(value)) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: TypedData.Value...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, TypedData.Value)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
    public init(nilLiteral: ()) { self = .null }
}

extension TypedData.Value: Codable {
    /// Decoding through `JSONDecoder` keeps integers exactly up to 38 digits (via `Decimal`);
    /// `TypedData(json:)` keeps every number exactly.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let integer = try? container.decode(Int64.self) {
            self = .number(String(integer))
        } else if let integer = try? container.decode(UInt64.self) {
            self = .number(String(integer))
        } else if let decimal = try? container.decode(Decimal.self) {
            self = .number(decimal.description)
        } else if let items = try? container.decode([TypedData.Value].self) {
            self = .array(items)
        } else if let fields = try? container.decode([String: TypedData.Value].self) {
            self = .object(fields)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "unsupported JSON value")
        }
    }

    /// Numbers beyond 64 bits are written as decimal strings, which typed data accepts for integers.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let flag): try container.encode(flag)
        case .number(let text):
            if let integer = Int64(text) { try container.encode(integer) }
            else if let integer = UInt64(text) { try container.encode(integer) }
            else { try container.encode(text) }
        case .string(let text): try container.encode(text)
        case .array(let items): try container.encode(items)
        case .object(let fields): try container.encode(fields)
        }
    }
}
