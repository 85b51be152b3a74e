/// One input or output of a function, event, error or constructor: a type with its name,
/// the `indexed` flag for event inputs, and the compiler's `internalType` when a JSON ABI gave it.
///
/// Codable as the JSON ABI's parameter object:
/// `{"name": "to", "type": "tuple[]", "internalType": "struct S[]", "components": [...], "indexed": true}`.
public struct ABIParameter: Sendable, Hashable {
    /// Parameter name; empty when unnamed.
    public var name: String
    /// Full type, tuple component names included where known.
    public var type: ABIType
    /// Event inputs only: whether the value is a topic rather than part of the data.
    public var indexed: Bool
    /// The compiler's type name (`struct Pool.Key`, `contract IERC20`), when known.
    public var internalType: String?
    /// For tuple types and arrays of tuples: the tuple's fields (empty for other types).
    public var components: [ABIParameter]

    /// A parameter; `components` default to the fields of `type`'s innermost tuple.
    public init(_ name: String = "", type: ABIType, indexed: Bool = false, internalType: String? = nil,
                components: [ABIParameter]? = nil) {
        self.name = name
        self.type = type
        self.indexed = indexed
        self.internalType = internalType
        self.components = components ?? ABIParameter.components(of: type)
    }

    /// The fields of `type`'s innermost tuple as parameters (names from the tuple when known).
    static func components(of type: ABIType) -> [ABIParameter] {
        guard case .tuple(let types, let names) = type.innermostElement else { return [] }
        return types.enumerated().map { index, component in
            ABIParameter(names.flatMap { index < $0.count ? $0[index] : nil } ?? "", type: component)
        }
    }

    /// `type name` as Solidity would print it in a human-readable signature.
    public var humanReadable: String {
        var out = type.description
        if indexed { out += " indexed" }
        if !name.isEmpty { out += " " + name }
        return out
    }
}

extension ABIParameter: Codable {
    private enum CodingKeys: String, CodingKey {
        case name, type, indexed, internalType, components
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
        let typeString = try container.decode(String.self, forKey: .type)
        let indexed = try container.decodeIfPresent(Bool.self, forKey: .indexed) ?? false
        let internalType = try container.decodeIfPresent(String.self, forKey: .internalType)
        let components = try container.decodeIfPresent([ABIParameter].self, forKey: .components)

        let type: ABIType
        if typeString.hasPrefix("tuple") {
            guard let components else {
                throw DecodingError.dataCorruptedError(
                    forKey: .components, in: container,
                    debugDescription: "parameter \"\(name)\" of type \(typeString) has no components")
            }
            let names = components.map(\.name)
            let tuple = ABIType.tuple(components.map(\.type), names: names.allSatisfy(\.isEmpty) ? nil : names)
            do throws(ABIParsingError) {
                type = try ABISignatureParser.applyArraySuffixes(String(typeString.dropFirst(5)), to: tuple,
                                                                 fullText: typeString)
            } catch {
                throw DecodingError.dataCorruptedError(forKey: .type, in: container, debugDescription: error.description)
            }
        } else {
            do throws(ABIParsingError) {
                type = try ABIType(parsing: typeString)
            } catch {
                throw DecodingError.dataCorruptedError(forKey: .type, in: container, debugDescription: error.description)
            }
        }
        self.init(name, type: type, indexed: indexed, internalType: internalType, components: components)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(jsonTypeString, forKey: .type)
        try container.encodeIfPresent(internalType, forKey: .internalType)
        if case .tuple = type.innermostElement {
            try container.encode(components, forKey: .components)
        }
        if indexed { try container.encode(true, forKey: .indexed) }
    }

    /// The JSON ABI's spelling of the type: tuples are `tuple` plus array suffixes.
    var jsonTypeString: String {
        var suffixes: [String] = []
        var current = type
        while true {
            switch current {
            case .array(let element): suffixes.append("[]"); current = element; continue
            case .fixedArray(let element, let count): suffixes.append("[\(count)]"); current = element; continue
            default: break
            }
            break
        }
        guard case .tuple = current else { return type.description }
        return "tuple" + suffixes.reversed().joined()
    }
}
