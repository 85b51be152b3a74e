/// The "in-place" encoding Solidity hashes to make the topic of an indexed `string`, `bytes`, array
/// or struct: raw contents for a top-level `string`/`bytes`; inside arrays and structs, elementary
/// values as 32-byte words and `string`/`bytes` contents zero-padded to a multiple of 32 bytes,
/// all concatenated without offsets or length prefixes.
enum ABIIndexedEncoder {
    static func encode(_ value: ABIValue, as type: ABIType) throws(ABIEncodingError) -> [UInt8] {
        switch (type, value) {
        case (.bytes, .bytes(let bytes)), (.bytes, .fixedBytes(let bytes)): return bytes
        case (.string, .string(let string)): return Array(string.utf8)
        default:
            var out: [UInt8] = []
            try appendInPlace(value, as: type, to: &out)
            return out
        }
    }

    private static func appendInPlace(_ value: ABIValue, as type: ABIType, to out: inout [UInt8]) throws(ABIEncodingError) {
        switch type {
        case .uint, .int, .address, .bool, .fixedBytes:
            out.append(contentsOf: try ABIEncoder.encode([value], as: [type]))
        case .bytes, .string:
            let content: [UInt8]
            switch (type, value) {
            case (.bytes, .bytes(let bytes)), (.bytes, .fixedBytes(let bytes)): content = bytes
            case (.string, .string(let string)): content = Array(string.utf8)
            default: throw ABIEncoder.mismatch(type, value)
            }
            out.append(contentsOf: content)
            out.append(contentsOf: repeatElement(0, count: ABIEncoder.padded(content.count) - content.count))
        case .array(let element), .fixedArray(let element, _):
            guard let items = value.elements else { throw ABIEncoder.mismatch(type, value) }
            if case .fixedArray(_, let count) = type, items.count != count {
                throw ABIEncodingError(type: type.description, reason: "expected \(count) elements, got \(items.count)")
            }
            for index in items.indices {
                do throws(ABIEncodingError) {
                    try appendInPlace(items[index], as: element, to: &out)
                } catch {
                    throw error.inside("[\(index)]")
                }
            }
        case .tuple(let components, _):
            guard let items = value.elements, items.count == components.count else { throw ABIEncoder.mismatch(type, value) }
            for index in components.indices {
                do throws(ABIEncodingError) {
                    try appendInPlace(items[index], as: components[index], to: &out)
                } catch {
                    throw error.inside(".\(index)")
                }
            }
        }
    }
}
