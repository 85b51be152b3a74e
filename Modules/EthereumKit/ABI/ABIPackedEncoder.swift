import BigInt

/// Solidity's `abi.encodePacked` (also `cast abi-encode --packed` and web3's `solidity_keccak`).
enum ABIPackedEncoder {
    static func encode(_ values: [ABIValue], as types: [ABIType]) throws(ABIEncodingError) -> [UInt8] {
        guard values.count == types.count else {
            throw ABIEncodingError(type: ABIType.tuple(types).description,
                                   reason: "expected \(types.count) value\(types.count == 1 ? "" : "s"), got \(values.count)")
        }
        var out: [UInt8] = []
        out.reserveCapacity(32 * values.count)
        for index in types.indices {
            do throws(ABIEncodingError) {
                try append(values[index], as: types[index], inArray: false, to: &out)
            } catch {
                throw error.inside("argument \(index + 1)")
            }
        }
        return out
    }

    /// Appends the packed form of `value`; inside arrays every element takes a full 32-byte word.
    private static func append(_ value: ABIValue, as type: ABIType, inArray: Bool, to out: inout [UInt8]) throws(ABIEncodingError) {
        switch type {
        case .uint(let bits), .int(let bits):
            // Validates range and produces the 32-byte two's-complement word; keep its low bytes.
            let word = try ABIEncoder.encode([value], as: [type])
            out.append(contentsOf: inArray ? word[...] : word[(32 - bits / 8)...])
        case .address:
            guard case .address(let address) = value else { throw ABIEncoder.mismatch(type, value) }
            if inArray { out.append(contentsOf: repeatElement(0, count: 12)) }
            out.append(contentsOf: address.bytes)
        case .bool:
            guard case .bool(let flag) = value else { throw ABIEncoder.mismatch(type, value) }
            if inArray { out.append(contentsOf: repeatElement(0, count: 31)) }
            out.append(flag ? 1 : 0)
        case .fixedBytes(let size):
            guard let bytes = value.bytesValue else { throw ABIEncoder.mismatch(type, value) }
            guard bytes.count <= size else {
                throw ABIEncodingError(type: type.description, reason: "\(bytes.count) bytes do not fit in \(size)")
            }
            out.append(contentsOf: bytes)
            out.append(contentsOf: repeatElement(0, count: (inArray ? 32 : size) - bytes.count))
        case .bytes, .string:
            guard !inArray else {
                throw ABIEncodingError(type: type.description, reason: "dynamic values inside arrays cannot be packed")
            }
            switch (type, value) {
            case (.bytes, .bytes(let bytes)), (.bytes, .fixedBytes(let bytes)): out.append(contentsOf: bytes)
            case (.string, .string(let string)): out.append(contentsOf: string.utf8)
            default: throw ABIEncoder.mismatch(type, value)
            }
        case .array(let element), .fixedArray(let element, _):
            guard let items = value.elements else { throw ABIEncoder.mismatch(type, value) }
            if case .fixedArray(_, let count) = type, items.count != count {
                throw ABIEncodingError(type: type.description, reason: "expected \(count) elements, got \(items.count)")
            }
            for index in items.indices {
                do throws(ABIEncodingError) {
                    try append(items[index], as: element, inArray: true, to: &out)
                } catch {
                    throw error.inside("[\(index)]")
                }
            }
        case .tuple(let components, _):
            guard let items = value.elements, items.count == components.count else {
                throw ABIEncoder.mismatch(type, value)
            }
            for index in components.indices {
                do throws(ABIEncodingError) {
                    try append(items[index], as: components[index], inArray: inArray, to: &out)
                } catch {
                    throw error.inside(".\(index)")
                }
            }
        }
    }
}
