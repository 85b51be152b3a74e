import Foundation
import BigInt

/// EIP-712 `encodeType` / `encodeData` over a set of struct types.
struct TypedDataEncoder {
    let types: [String: [TypedData.Field]]
    /// typeHash by struct name: an array of a thousand structs hashes its encodeType once.
    private var typeHashes: [String: [UInt8]] = [:]

    init(types: [String: [TypedData.Field]]) {
        self.types = types
    }

    // MARK: - encodeType

    func encodeType(_ typeName: String) throws(TypedDataError) -> String {
        guard let fields = types[typeName] else {
            throw TypedDataError(path: "types", reason: "no definition of type \"\(typeName)\"")
        }
        var dependencies = Set<String>()
        try collectDependencies(of: typeName, fields: fields, into: &dependencies)
        dependencies.remove(typeName)
        var out = ""
        for name in [typeName] + dependencies.sorted() {
            out += name + "("
            for (index, field) in (types[name] ?? []).enumerated() {
                if index > 0 { out += "," }
                out += field.type + " " + field.name
            }
            out += ")"
        }
        return out
    }

    private func collectDependencies(of typeName: String, fields: [TypedData.Field],
                                     into found: inout Set<String>) throws(TypedDataError) {
        found.insert(typeName)
        for field in fields {
            let base = Self.baseName(field.type)
            if found.contains(base) { continue }
            if let nested = types[base] {
                try collectDependencies(of: base, fields: nested, into: &found)
            } else if (try? Self.atomicType(base)) == nil {
                throw TypedDataError(path: "types.\(typeName).\(field.name)", reason: "no definition of type \"\(base)\"")
            }
        }
    }

    /// `Person[][3]` -> `Person`.
    static func baseName(_ type: String) -> String {
        guard let bracket = type.firstIndex(of: "[") else { return type }
        return String(type[..<bracket])
    }

    /// An elementary Solidity type allowed in typed data (no tuples).
    static func atomicType(_ name: String) throws(ABIParsingError) -> ABIType {
        guard !name.contains("("), !name.contains("[") else {
            throw ABIParsingError(subject: "EIP-712 type", input: name, reason: "not an elementary type")
        }
        return try ABIType(parsing: name)
    }

    // MARK: - encodeData

    mutating func encodeData(_ typeName: String, _ value: [String: TypedData.Value], path: String) throws(TypedDataError) -> [UInt8] {
        guard let fields = types[typeName] else {
            throw TypedDataError(path: path, reason: "no definition of type \"\(typeName)\"")
        }
        let known = Set(fields.map(\.name))
        for key in value.keys.sorted() where !known.contains(key) {
            throw TypedDataError(path: "\(path).\(key)", reason: "unknown field: type \(typeName) has no field \"\(key)\"")
        }
        var out: [UInt8] = []
        out.reserveCapacity(32 * (fields.count + 1))
        if let typeHash = typeHashes[typeName] {
            out += typeHash
        } else {
            let typeHash = Keccak256.hash(Array(try encodeType(typeName).utf8))
            typeHashes[typeName] = typeHash
            out += typeHash
        }
        for field in fields {
            out += try encodeField(field.type, value[field.name], path: "\(path).\(field.name)")
        }
        return out
    }

    /// The 32-byte encoding of one field value (hashes for structs, arrays, `string` and `bytes`).
    private mutating func encodeField(_ type: String, _ value: TypedData.Value?, path: String) throws(TypedDataError) -> [UInt8] {
        if types[type] != nil {
            switch value {
            case nil, .null?: return [UInt8](repeating: 0, count: 32)
            case .object(let object)?: return Keccak256.hash(try encodeData(type, object, path: path))
            case let other?: throw TypedDataError(path: path, reason: "expected an object of type \(type), got \(other.kindName)")
            }
        }
        if type.hasSuffix("]") {
            return try encodeArray(type, value, path: path)
        }
        let atomic: ABIType
        do throws(ABIParsingError) {
            atomic = try Self.atomicType(type)
        } catch {
            throw TypedDataError(path: path, reason: "no definition of type \"\(type)\"")
        }
        guard let value, value != .null else {
            if atomic == .string || atomic == .bytes { return [UInt8](repeating: 0, count: 32) }
            throw TypedDataError(path: path, reason: "missing value of type \(type)")
        }
        switch atomic {
        case .string:
            guard case .string(let text) = value else {
                throw TypedDataError(path: path, reason: "expected a string, got \(value.kindName)")
            }
            return Keccak256.hash(Array(text.utf8))
        case .bytes:
            return Keccak256.hash(try Self.bytes(value, path: path))
        case .fixedBytes(let size):
            let bytes = try Self.bytes(value, path: path)
            guard bytes.count <= size else {
                throw TypedDataError(path: path, reason: "\(bytes.count) bytes do not fit in bytes\(size)")
            }
            return bytes + [UInt8](repeating: 0, count: 32 - bytes.count)
        case .bool:
            return Self.word(try Self.bool(value, path: path) ? 1 : 0)
        case .address:
            guard case .string(let text) = value else {
                throw TypedDataError(path: path, reason: "expected an address string, got \(value.kindName)")
            }
            let address: Address
            do {
                address = try Address(hex: text)
            } catch {
                throw TypedDataError(path: path, reason: "invalid address \"\(text)\": \(error)")
            }
            return [UInt8](repeating: 0, count: 12) + address.bytes
        case .uint, .int:
            let integer = try Self.integer(value, path: path)
            do throws(ABIEncodingError) {
                return try ABIEncoder.encode([.int(integer)], as: [atomic])
            } catch {
                throw TypedDataError(path: path, reason: "value \(integer) is out of range for \(type)")
            }
        default:
            throw TypedDataError(path: path, reason: "type \(type) is not allowed in typed data")
        }
    }

    private mutating func encodeArray(_ type: String, _ value: TypedData.Value?, path: String) throws(TypedDataError) -> [UInt8] {
        guard let open = type.lastIndex(of: "[") else {
            throw TypedDataError(path: path, reason: "malformed array type \"\(type)\"")
        }
        let elementType = String(type[..<open])
        let lengthText = type[type.index(after: open)..<type.index(before: type.endIndex)]
        var expectedCount: Int?
        if !lengthText.isEmpty {
            guard let count = Int(lengthText), count >= 0 else {
                throw TypedDataError(path: path, reason: "malformed array length in \"\(type)\"")
            }
            expectedCount = count
        }
        guard case .array(let items)? = value else {
            throw TypedDataError(path: path, reason: "expected an array for \(type), got \(value?.kindName ?? "nothing")")
        }
        if let expectedCount, items.count != expectedCount {
            throw TypedDataError(path: path, reason: "expected \(expectedCount) elements for \(type), got \(items.count)")
        }
        var concatenated: [UInt8] = []
        concatenated.reserveCapacity(32 * items.count)
        for (index, item) in items.enumerated() {
            concatenated += try encodeField(elementType, item, path: "\(path)[\(index)]")
        }
        return Keccak256.hash(concatenated)
    }

    // MARK: - Value coercions

    private static func word(_ byte: UInt8) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        out[31] = byte
        return out
    }

    /// `0x` hex, or any other string as its UTF-8 bytes (eth-account and MetaMask do the same).
    private static func bytes(_ value: TypedData.Value, path: String) throws(TypedDataError) -> [UInt8] {
        switch value {
        case .string(let text):
            if text.hasPrefix("0x") || text.hasPrefix("0X"), let decoded = try? Hex.decode(text, allowOdd: true) { return decoded }
            return Array(text.utf8)
        case .number(let text):
            guard let magnitude = BigUInt(text, radix: 10) else {
                throw TypedDataError(path: path, reason: "expected bytes, got \(value.kindName)")
            }
            return magnitude.isZero ? [0] : Array(magnitude.serialize())
        default:
            throw TypedDataError(path: path, reason: "expected bytes as a 0x hex string, got \(value.kindName)")
        }
    }

    private static func bool(_ value: TypedData.Value, path: String) throws(TypedDataError) -> Bool {
        switch value {
        case .bool(let flag): return flag
        case .number(let text) where text == "0" || text == "1": return text == "1"
        case .string(let text) where ["true", "false", "0", "1"].contains(text): return text == "true" || text == "1"
        default: throw TypedDataError(path: path, reason: "expected a bool, got \(value.kindName)")
        }
    }

    /// A JSON integer, a decimal string or a `0x` hex string (negative with a leading `-`).
    private static func integer(_ value: TypedData.Value, path: String) throws(TypedDataError) -> BigInt {
        let text: String
        switch value {
        case .number(let number): text = number
        case .string(let string): text = string
        default: throw TypedDataError(path: path, reason: "expected an integer, got \(value.kindName)")
        }
        var digits = Substring(text)
        var negative = false
        if digits.hasPrefix("-") { negative = true; digits = digits.dropFirst() }
        var radix = 10
        if digits.hasPrefix("0x") || digits.hasPrefix("0X") { radix = 16; digits = digits.dropFirst(2) }
        let valid = !digits.isEmpty && digits.count <= 80
            && digits.allSatisfy { radix == 16 ? $0.isHexDigit : ($0.isASCII && $0.isNumber) }
        guard valid, let magnitude = BigUInt(digits, radix: radix) else {
            throw TypedDataError(path: path, reason: "expected an integer, got \(value.kindName)")
        }
        return negative ? -BigInt(magnitude) : BigInt(magnitude)
    }
}
