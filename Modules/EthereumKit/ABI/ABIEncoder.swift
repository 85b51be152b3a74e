import BigInt

/// ABI v2 head/tail encoder.
///
/// Two passes: the first validates every value against its type and computes the exact size of
/// the encoding; the second writes into one zero-filled buffer of that size (so padding is never
/// written and nothing is copied twice). Both passes are linear in the size of the value tree.
enum ABIEncoder {
    /// Encodes `values` as the tuple `types`, after `prefix` (e.g. a 4-byte selector).
    static func encode(_ values: [ABIValue], as types: [ABIType], prefix: [UInt8] = []) throws(ABIEncodingError) -> [UInt8] {
        guard values.count == types.count else {
            throw ABIEncodingError(type: ABIType.tuple(types).description,
                                   reason: "expected \(types.count) value\(types.count == 1 ? "" : "s"), got \(values.count)")
        }
        var size = 0
        for index in types.indices {
            let type = types[index]
            do throws(ABIEncodingError) {
                size += try encodedSize(type, values[index])
            } catch {
                throw error.inside("argument \(index + 1)")
            }
            if type.isDynamic { size += 32 }
        }
        var out = [UInt8](repeating: 0, count: prefix.count + size)
        out.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            for index in prefix.indices { base[index] = prefix[index] }
            _ = writeTuple(types, values, to: base + prefix.count, at: 0)
        }
        return out
    }

    // MARK: - Pass 1: validate and size

    /// Bytes `value` takes when encoded as `type`: the tail for dynamic types, the in-place bytes otherwise.
    static func encodedSize(_ type: ABIType, _ value: ABIValue) throws(ABIEncodingError) -> Int {
        switch type {
        case .uint(let bits):
            try checkUInt(value, bits: bits, type: type)
            return 32
        case .int(let bits):
            try checkInt(value, bits: bits, type: type)
            return 32
        case .address:
            guard case .address = value else { throw mismatch(type, value) }
            return 32
        case .bool:
            guard case .bool = value else { throw mismatch(type, value) }
            return 32
        case .fixedBytes(let size):
            switch value {
            case .fixedBytes(let bytes), .bytes(let bytes):
                guard bytes.count <= size else {
                    throw ABIEncodingError(type: type.description, reason: "\(bytes.count) bytes do not fit in \(size)")
                }
                return 32
            default:
                throw mismatch(type, value)
            }
        case .bytes:
            switch value {
            case .bytes(let bytes), .fixedBytes(let bytes): return 32 + padded(bytes.count)
            default: throw mismatch(type, value)
            }
        case .string:
            guard case .string(let string) = value else { throw mismatch(type, value) }
            return 32 + padded(string.utf8.count)
        case .array(let element):
            guard case .array(let items) = value else { throw mismatch(type, value) }
            return 32 + (try elementsSize(element, items))
        case .fixedArray(let element, let count):
            let items: [ABIValue]
            switch value {
            case .array(let values), .tuple(let values): items = values
            default: throw mismatch(type, value)
            }
            guard items.count == count else {
                throw ABIEncodingError(type: type.description, reason: "expected \(count) elements, got \(items.count)")
            }
            return try elementsSize(element, items)
        case .tuple(let components, _):
            let items: [ABIValue]
            switch value {
            case .tuple(let values), .array(let values): items = values
            default: throw mismatch(type, value)
            }
            guard items.count == components.count else {
                throw ABIEncodingError(type: type.description,
                                       reason: "expected \(components.count) components, got \(items.count)")
            }
            var total = 0
            for index in components.indices {
                let component = components[index]
                do throws(ABIEncodingError) {
                    total += try encodedSize(component, items[index])
                } catch {
                    throw error.inside(".\(index)")
                }
                if component.isDynamic { total += 32 }
            }
            return total
        }
    }

    private static func elementsSize(_ element: ABIType, _ items: [ABIValue]) throws(ABIEncodingError) -> Int {
        // Fast path for the common uintN[]: no call per element unless one needs the general checks.
        if case .uint(let bits) = element {
            for index in items.indices {
                if case .uint(let magnitude) = items[index], magnitude.bitWidth <= bits { continue }
                do throws(ABIEncodingError) {
                    try checkUInt(items[index], bits: bits, type: element)
                } catch {
                    throw error.inside("[\(index)]")
                }
            }
            return 32 * items.count
        }
        let dynamic = element.isDynamic
        var total = dynamic ? 32 * items.count : 0
        for index in items.indices {
            do throws(ABIEncodingError) {
                total += try encodedSize(element, items[index])
            } catch {
                throw error.inside("[\(index)]")
            }
        }
        return total
    }

    static func checkUInt(_ value: ABIValue, bits: Int, type: ABIType) throws(ABIEncodingError) {
        let magnitude: BigUInt
        switch value {
        case .uint(let unsigned): magnitude = unsigned
        case .int(let signed):
            guard signed.sign == .plus || signed.magnitude.isZero else {
                throw ABIEncodingError(type: type.description, reason: "negative value \(signed) for an unsigned type")
            }
            magnitude = signed.magnitude
        default: throw mismatch(type, value)
        }
        guard magnitude.bitWidth <= bits else {
            throw ABIEncodingError(type: type.description, reason: "value \(magnitude) does not fit in \(bits) bits")
        }
    }

    static func checkInt(_ value: ABIValue, bits: Int, type: ABIType) throws(ABIEncodingError) {
        let negative: Bool
        let magnitude: BigUInt
        switch value {
        case .uint(let unsigned): negative = false; magnitude = unsigned
        case .int(let signed): negative = signed.sign == .minus && !signed.magnitude.isZero; magnitude = signed.magnitude
        default: throw mismatch(type, value)
        }
        let width = magnitude.bitWidth
        let fits = width < bits || (negative && width == bits && magnitude.trailingZeroBitCount == bits - 1)
        guard fits else {
            throw ABIEncodingError(type: type.description,
                                   reason: "value \(negative ? "-" : "")\(magnitude) does not fit in \(bits) bits (signed)")
        }
    }

    static func mismatch(_ type: ABIType, _ value: ABIValue) -> ABIEncodingError {
        ABIEncodingError(type: type.description, reason: "expected a value of type \(type), got \(value.kindName)")
    }

    @inline(__always)
    static func padded(_ count: Int) -> Int { (count + 31) & ~31 }

    // MARK: - Pass 2: write (values already validated)

    /// Writes `value` at `offset` and returns the number of bytes written (the size pass's figure).
    static func write(_ type: ABIType, _ value: ABIValue, to base: UnsafeMutablePointer<UInt8>, at offset: Int) -> Int {
        switch type {
        case .uint:
            if let magnitude = value.uintValue { writeWord(magnitude, negative: false, to: base + offset) }
            return 32
        case .int:
            switch value {
            case .int(let signed): writeWord(signed.magnitude, negative: signed.sign == .minus, to: base + offset)
            case .uint(let unsigned): writeWord(unsigned, negative: false, to: base + offset)
            default: break
            }
            return 32
        case .address:
            if case .address(let address) = value { copy(address.bytes, to: base + offset + 12) }
            return 32
        case .bool:
            if case .bool(true) = value { base[offset + 31] = 1 }
            return 32
        case .fixedBytes:
            if let bytes = value.bytesValue { copy(bytes, to: base + offset) }
            return 32
        case .bytes:
            let bytes = value.bytesValue ?? []
            writeLength(bytes.count, to: base + offset)
            copy(bytes, to: base + offset + 32)
            return 32 + padded(bytes.count)
        case .string:
            guard case .string(let string) = value else { return 32 }
            let count = string.utf8.count
            writeLength(count, to: base + offset)
            let target = base + offset + 32
            let copied: Void? = string.utf8.withContiguousStorageIfAvailable { utf8 in
                if let source = utf8.baseAddress { target.update(from: source, count: utf8.count) }
            }
            if copied == nil {
                var index = 0
                for byte in string.utf8 { target[index] = byte; index += 1 }
            }
            return 32 + padded(count)
        case .array(let element):
            let items = value.elements ?? []
            writeLength(items.count, to: base + offset)
            return 32 + writeElements(element, items, to: base, at: offset + 32)
        case .fixedArray(let element, _):
            return writeElements(element, value.elements ?? [], to: base, at: offset)
        case .tuple(let components, _):
            return writeTuple(components, value.elements ?? [], to: base, at: offset)
        }
    }

    private static func writeElements(_ element: ABIType, _ items: [ABIValue],
                                      to base: UnsafeMutablePointer<UInt8>, at start: Int) -> Int {
        if element.isDynamic {
            var head = start
            var tail = start + 32 * items.count
            for item in items {
                writeLength(tail - start, to: base + head)
                tail += write(element, item, to: base, at: tail)
                head += 32
            }
            return tail - start
        }
        var position = start
        if case .uint = element {
            for item in items {
                if case .uint(let magnitude) = item {
                    writeWord(magnitude, negative: false, to: base + position)
                } else {
                    _ = write(element, item, to: base, at: position)
                }
                position += 32
            }
            return position - start
        }
        for item in items {
            position += write(element, item, to: base, at: position)
        }
        return position - start
    }

    static func writeTuple(_ components: [ABIType], _ items: [ABIValue],
                           to base: UnsafeMutablePointer<UInt8>, at start: Int) -> Int {
        var headSize = 0
        for component in components { headSize += component.headSize }
        var head = start
        var tail = start + headSize
        for index in components.indices where index < items.count {
            let component = components[index]
            if component.isDynamic {
                writeLength(tail - start, to: base + head)
                tail += write(component, items[index], to: base, at: tail)
                head += 32
            } else {
                head += write(component, items[index], to: base, at: head)
            }
        }
        return tail - start
    }

    @inline(__always)
    static func writeLength(_ length: Int, to word: UnsafeMutablePointer<UInt8>) {
        UnsafeMutableRawPointer(word + 24).storeBytes(of: UInt64(length).bigEndian, as: UInt64.self)
    }

    /// Writes a 256-bit big-endian two's-complement word (the value is known to fit).
    static func writeWord(_ magnitude: BigUInt, negative: Bool, to word: UnsafeMutablePointer<UInt8>) {
        // Plain locals rather than SIMD lanes: dynamic lane indexing goes through memory.
        let words = magnitude.words
        let count = words.count
        var l0: UInt64 = count > 0 ? UInt64(words[0]) : 0
        var l1: UInt64 = count > 1 ? UInt64(words[1]) : 0
        var l2: UInt64 = count > 2 ? UInt64(words[2]) : 0
        var l3: UInt64 = count > 3 ? UInt64(words[3]) : 0
        if negative && count > 0 {
            // Two's complement: ~x + 1, carrying through the limbs.
            var carry: Bool
            (l0, carry) = (~l0).addingReportingOverflow(1)
            (l1, carry) = (~l1).addingReportingOverflow(carry ? 1 : 0)
            (l2, carry) = (~l2).addingReportingOverflow(carry ? 1 : 0)
            l3 = ~l3 &+ (carry ? 1 : 0)
        }
        let raw = UnsafeMutableRawPointer(word)
        raw.storeBytes(of: l3.bigEndian, toByteOffset: 0, as: UInt64.self)
        raw.storeBytes(of: l2.bigEndian, toByteOffset: 8, as: UInt64.self)
        raw.storeBytes(of: l1.bigEndian, toByteOffset: 16, as: UInt64.self)
        raw.storeBytes(of: l0.bigEndian, toByteOffset: 24, as: UInt64.self)
    }

    @inline(__always)
    static func copy(_ bytes: [UInt8], to target: UnsafeMutablePointer<UInt8>) {
        bytes.withUnsafeBufferPointer { source in
            if let address = source.baseAddress { target.update(from: address, count: source.count) }
        }
    }
}
