/// A Solidity ABI type, as the contract ABI specification (v2) defines it.
///
/// `description` is the canonical form used in signatures (`uint256`, `(address,uint256)[2]`);
/// `ABIType(parsing:)` reads that form and the usual aliases (`uint`, `int`, `tuple(...)`).
/// Tuple component names are annotations: they are kept where known (human-readable signatures,
/// JSON ABIs) but are not part of a type's identity, so two tuple types with the same component
/// types compare equal whatever their names.
public enum ABIType: Sendable {
    /// `uintN`, N a multiple of 8 in 8...256.
    case uint(Int)
    /// `intN`, N a multiple of 8 in 8...256 (two's complement).
    case int(Int)
    /// `address` (20 bytes).
    case address
    /// `bool`.
    case bool
    /// `bytesN`, N in 1...32.
    case fixedBytes(Int)
    /// `bytes`, dynamic.
    case bytes
    /// `string`, dynamic UTF-8.
    case string
    /// `T[]`, dynamic length.
    indirect case array(ABIType)
    /// `T[n]`.
    indirect case fixedArray(ABIType, Int)
    /// `(T1,T2,...)`, with the components' names when known (same count as the types, or nil).
    case tuple([ABIType], names: [String]? = nil)

    /// `uint256`.
    public static let uint256 = ABIType.uint(256)
    /// `int256`.
    public static let int256 = ABIType.int(256)
    /// `bytes32`.
    public static let bytes32 = ABIType.fixedBytes(32)

    /// Whether values of this type are encoded in the tail (behind an offset) rather than in place.
    public var isDynamic: Bool {
        switch self {
        case .uint, .int, .address, .bool, .fixedBytes: return false
        case .bytes, .string, .array: return true
        case .fixedArray(let element, let count): return count > 0 && element.isDynamic
        case .tuple(let components, _): return components.contains { $0.isDynamic }
        }
    }

    /// Bytes this type takes in the head of an enclosing tuple: 32 for dynamic types (the offset),
    /// the full static encoding size otherwise. Saturates instead of overflowing for absurd
    /// fixed-array sizes, so callers can compare it with a data length safely.
    public var headSize: Int {
        switch self {
        case .uint, .int, .address, .bool, .fixedBytes, .bytes, .string, .array: return 32
        case .fixedArray(let element, let count):
            if element.isDynamic && count > 0 { return 32 }
            let (product, overflow) = element.headSize.multipliedReportingOverflow(by: count)
            return overflow ? Int.max / 2 : min(product, Int.max / 2)
        case .tuple(let components, _):
            if components.contains(where: { $0.isDynamic }) { return 32 }
            var total = 0
            for component in components {
                total = min(total &+ component.headSize, Int.max / 2)
            }
            return total
        }
    }

    /// Component names of a tuple type (nil for other types or when unknown).
    public var componentNames: [String]? {
        if case .tuple(_, let names) = self { return names }
        return nil
    }

    /// The same type with tuple component names removed at every level.
    public var withoutNames: ABIType {
        switch self {
        case .array(let element): return .array(element.withoutNames)
        case .fixedArray(let element, let count): return .fixedArray(element.withoutNames, count)
        case .tuple(let components, _): return .tuple(components.map(\.withoutNames))
        default: return self
        }
    }

    /// The innermost element type of an array type, or the type itself.
    var innermostElement: ABIType {
        switch self {
        case .array(let element), .fixedArray(let element, _): return element.innermostElement
        default: return self
        }
    }
}

extension ABIType: CustomStringConvertible {
    /// Canonical type string, as used in function signatures: `uint256`, `(address,bool)[]`.
    public var description: String {
        var out = ""
        appendCanonical(to: &out)
        return out
    }

    func appendCanonical(to out: inout String) {
        switch self {
        case .uint(let bits): out += "uint"; out += String(bits)
        case .int(let bits): out += "int"; out += String(bits)
        case .address: out += "address"
        case .bool: out += "bool"
        case .fixedBytes(let size): out += "bytes"; out += String(size)
        case .bytes: out += "bytes"
        case .string: out += "string"
        case .array(let element): element.appendCanonical(to: &out); out += "[]"
        case .fixedArray(let element, let count):
            element.appendCanonical(to: &out); out += "["; out += String(count); out += "]"
        case .tuple(let components, _):
            out += "("
            for (index, component) in components.enumerated() {
                if index > 0 { out += "," }
                component.appendCanonical(to: &out)
            }
            out += ")"
        }
    }
}

extension ABIType: Hashable {
    /// Structural equality that ignores tuple component names.
    public static func == (lhs: ABIType, rhs: ABIType) -> Bool {
        switch (lhs, rhs) {
        case (.uint(let a), .uint(let b)), (.int(let a), .int(let b)), (.fixedBytes(let a), .fixedBytes(let b)):
            return a == b
        case (.address, .address), (.bool, .bool), (.bytes, .bytes), (.string, .string):
            return true
        case (.array(let a), .array(let b)):
            return a == b
        case (.fixedArray(let a, let n), .fixedArray(let b, let m)):
            return n == m && a == b
        case (.tuple(let a, _), .tuple(let b, _)):
            return a == b
        default:
            return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .uint(let bits): hasher.combine(0); hasher.combine(bits)
        case .int(let bits): hasher.combine(1); hasher.combine(bits)
        case .address: hasher.combine(2)
        case .bool: hasher.combine(3)
        case .fixedBytes(let size): hasher.combine(4); hasher.combine(size)
        case .bytes: hasher.combine(5)
        case .string: hasher.combine(6)
        case .array(let element): hasher.combine(7); element.hash(into: &hasher)
        case .fixedArray(let element, let count): hasher.combine(8); hasher.combine(count); element.hash(into: &hasher)
        case .tuple(let components, _):
            hasher.combine(9)
            hasher.combine(components.count)
            for component in components { component.hash(into: &hasher) }
        }
    }
}

extension ABIType {
    /// Parses a type string: canonical (`(uint256,address)[2]`) or with aliases
    /// (`uint`, `int`, `tuple(...)`, spaces after commas).
    public init(parsing string: String) throws(ABIParsingError) {
        self = try ABISignatureParser.parseType(string)
    }
}
