import BigInt
import Foundation
import Testing
@testable import EthereumKit

/// Loads `Vectors/<name>.json` and converts its generic JSON values into `ABIValue`s.
enum ABIVectors {
    struct Missing: Error, CustomStringConvertible {
        let description: String
    }

    static func load(_ name: String) throws -> [String: Any] {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Vectors") else {
            throw Missing(description: "missing vector file Vectors/\(name).json")
        }
        let data = try Data(contentsOf: url)
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw Missing(description: "Vectors/\(name).json is not a JSON object")
        }
        return object
    }

    static func cases(_ file: [String: Any], _ key: String) throws -> [[String: Any]] {
        guard let cases = file[key] as? [[String: Any]] else { throw Missing(description: "no \(key) cases") }
        return cases
    }

    static func bytes(_ json: Any?) throws -> [UInt8] {
        guard let text = json as? String else { throw Missing(description: "expected a hex string, got \(String(describing: json))") }
        return try Hex.decode(text)
    }

    /// The JSON the generators write: integers as decimal strings, bytes and addresses as hex,
    /// arrays and tuples as arrays.
    static func value(_ json: Any, as type: ABIType) throws -> ABIValue {
        func fail() -> Missing { Missing(description: "cannot read \(json) as \(type)") }
        switch type {
        case .uint:
            guard let text = json as? String, let value = BigUInt(text, radix: 10) else { throw fail() }
            return .uint(value)
        case .int:
            guard let text = json as? String, let value = BigInt(text, radix: 10) else { throw fail() }
            return .int(value)
        case .address:
            guard let text = json as? String else { throw fail() }
            return .address(try Address(hex: text))
        case .bool:
            guard let flag = json as? Bool else { throw fail() }
            return .bool(flag)
        case .fixedBytes:
            return .fixedBytes(try bytes(json))
        case .bytes:
            return .bytes(try bytes(json))
        case .string:
            guard let text = json as? String else { throw fail() }
            return .string(text)
        case .array(let element), .fixedArray(let element, _):
            guard let items = json as? [Any] else { throw fail() }
            return .array(try items.map { try value($0, as: element) })
        case .tuple(let components, _):
            guard let items = json as? [Any], items.count == components.count else { throw fail() }
            return .tuple(try zip(items, components).map { try value($0, as: $1) })
        }
    }

    static func types(_ json: Any?) throws -> [ABIType] {
        guard let strings = json as? [String] else { throw Missing(description: "expected type strings") }
        return try strings.map { try ABIType(parsing: $0) }
    }

    static func values(_ json: Any?, as types: [ABIType]) throws -> [ABIValue] {
        guard let items = json as? [Any], items.count == types.count else { throw Missing(description: "expected \(types.count) values") }
        return try zip(items, types).map { try value($0, as: $1) }
    }
}
