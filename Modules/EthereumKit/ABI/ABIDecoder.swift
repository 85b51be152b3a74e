import BigInt

/// Strict ABI v2 decoder.
///
/// Rejects what eth-abi's strict mode rejects: data that ends early, offsets that point back into
/// their own head or past the end, lengths larger than the data, integers/addresses/bools with
/// bits set above their size, non-zero padding, invalid UTF-8 in strings. Trailing bytes after the
/// encoding are ignored, as eth-abi and Solidity do.
///
/// Hostile data cannot make it allocate much: every length is checked against the bytes left
/// before anything is reserved, and the total number of elements produced from data-supplied
/// lengths is capped by the data size (offsets may alias, so without that cap a few kilobytes
/// could describe billions of nested elements).
struct ABIDecoder: ~Copyable {
    private let data: UnsafeBufferPointer<UInt8>
    /// `data.baseAddress`, never nil (empty input is decoded from an empty slice of a real buffer).
    private let base: UnsafePointer<UInt8>
    /// Elements that data-supplied array lengths may still produce.
    private var elementBudget: Int
    /// Bytes that `bytes`/`string` values may still copy out.
    private var byteBudget: Int

    private init(data: UnsafeBufferPointer<UInt8>, base: UnsafePointer<UInt8>) {
        self.data = data
        self.base = base
        self.elementBudget = data.count + 64
        self.byteBudget = data.count
    }

    /// Decodes the tuple `types` from `bytes`, whose first byte is the start of the encoding.
    static func decode(_ types: [ABIType], from bytes: UnsafeBufferPointer<UInt8>) throws(ABIDecodingError) -> [ABIValue] {
        if let base = bytes.baseAddress {
            var decoder = ABIDecoder(data: bytes, base: base)
            return try decoder.decodeTuple(types, at: 0, typeName: { ABIType.tuple(types).description })
        }
        // An empty buffer may have no address: decode from an empty slice of a real one.
        let placeholder: [UInt8] = [0]
        return try placeholder.withUnsafeBufferPointer { buffer in
            catching { () throws(ABIDecodingError) in try decode(types, from: UnsafeBufferPointer(rebasing: buffer[0..<0])) }
        }.get()
    }

    static func decode(_ types: [ABIType], from bytes: some Collection<UInt8>) throws(ABIDecodingError) -> [ABIValue] {
        let body = { (buffer: UnsafeBufferPointer<UInt8>) in
            catching { () throws(ABIDecodingError) in try decode(types, from: buffer) }
        }
        if let result = bytes.withContiguousStorageIfAvailable(body) { return try result.get() }
        return try Array(bytes).withUnsafeBufferPointer(body).get()
    }

    /// Carries a typed error out of a closure whose signature cannot throw it.
    private static func catching<T>(_ body: () throws(ABIDecodingError) -> T) -> Result<T, ABIDecodingError> {
        do throws(ABIDecodingError) { return .success(try body()) } catch { return .failure(error) }
    }

    // MARK: - Containers

    /// Decodes a tuple whose encoding starts at `start`. Offsets of dynamic components are relative to `start`.
    private mutating func decodeTuple(_ components: [ABIType], at start: Int,
                                      typeName: () -> String) throws(ABIDecodingError) -> [ABIValue] {
        var headSize = 0
        for component in components { headSize = min(headSize &+ component.headSize, Int.max / 2) }
        try require(start, headSize, typeName)
        var values: [ABIValue] = []
        values.reserveCapacity(components.count)
        var head = start
        for component in components {
            if component.isDynamic {
                let target = try offset(at: head, base: start, headEnd: start + headSize, component)
                values.append(try decode(component, at: target))
                head += 32
            } else {
                values.append(try decode(component, at: head))
                head += component.headSize
            }
        }
        return values
    }

    /// Decodes `count` elements of `element` laid out as a tuple starting at `start`.
    private mutating func decodeElements(_ element: ABIType, count: Int, at start: Int,
                                         typeName: () -> String) throws(ABIDecodingError) -> [ABIValue] {
        let dynamic = element.isDynamic
        let stride = dynamic ? 32 : element.headSize
        // The head alone must fit in what is left; this bounds `count` before anything is reserved.
        let (headSize, overflow) = stride.multipliedReportingOverflow(by: count)
        if overflow || headSize > data.count - min(start, data.count) {
            throw ABIDecodingError(.insufficientData, offset: start, type: typeName(),
                                   detail: "\(count) elements need \(overflow ? "more than \(Int.max)" : String(headSize)) bytes, only \(max(0, data.count - start)) left")
        }
        var values: [ABIValue] = []
        values.reserveCapacity(count)
        var head = start
        for _ in 0..<count {
            if dynamic {
                let target = try offset(at: head, base: start, headEnd: start + headSize, element)
                values.append(try decode(element, at: target))
                head += 32
            } else {
                values.append(try decode(element, at: head))
                head += stride
            }
        }
        return values
    }

    // MARK: - Values

    /// Decodes one value whose encoding starts at `position` (in place for static types, the tail for dynamic ones).
    private mutating func decode(_ type: ABIType, at position: Int) throws(ABIDecodingError) -> ABIValue {
        switch type {
        case .uint(let bits):
            try require(position, 32, type)
            let word = base + position
            try checkZeroPrefix(word, count: 32 - bits / 8, position: position, type: type)
            return .uint(Self.unsigned(word))
        case .int(let bits):
            try require(position, 32, type)
            let word = base + position
            let fill: UInt8 = word[32 - bits / 8] & 0x80 != 0 ? 0xff : 0x00
            for index in 0..<(32 - bits / 8) where word[index] != fill {
                throw ABIDecodingError(.dirtyHighBits, offset: position, type: type.description,
                                       detail: "bits above \(bits) are not the sign extension in \(Self.hexWord(word))")
            }
            return .int(Self.signed(word))
        case .address:
            try require(position, 32, type)
            let word = base + position
            try checkZeroPrefix(word, count: 12, position: position, type: type)
            return .address(Address(validatedBytes: Array(UnsafeBufferPointer(start: word + 12, count: 20))))
        case .bool:
            try require(position, 32, type)
            let word = base + position
            for index in 0..<31 where word[index] != 0 {
                throw ABIDecodingError(.dirtyHighBits, offset: position, type: "bool",
                                       detail: "expected 0 or 1, got \(Self.hexWord(word))")
            }
            guard word[31] <= 1 else {
                throw ABIDecodingError(.invalidBool, offset: position, type: "bool",
                                       detail: "expected 0 or 1, got \(word[31])")
            }
            return .bool(word[31] == 1)
        case .fixedBytes(let size):
            try require(position, 32, type)
            let word = base + position
            for index in size..<32 where word[index] != 0 {
                throw ABIDecodingError(.nonZeroPadding, offset: position, type: type.description,
                                       detail: "padding after \(size) bytes is not zero in \(Self.hexWord(word))")
            }
            return .fixedBytes(Array(UnsafeBufferPointer(start: word, count: size)))
        case .bytes:
            return .bytes(try byteString(at: position, type))
        case .string:
            let bytes = try byteString(at: position, type)
            guard let string = String(validating: bytes, as: UTF8.self) else {
                throw ABIDecodingError(.invalidUTF8, offset: position + 32, type: "string",
                                       detail: "\(bytes.count) bytes are not valid UTF-8")
            }
            return .string(string)
        case .array(let element):
            let count = try length(at: position, type)
            try spend(count, at: position, type)
            return .array(try decodeElements(element, count: count, at: position + 32, typeName: { type.description }))
        case .fixedArray(let element, let count):
            return .array(try decodeElements(element, count: count, at: position, typeName: { type.description }))
        case .tuple(let components, _):
            return .tuple(try decodeTuple(components, at: position, typeName: { type.description }))
        }
    }

    private mutating func byteString(at position: Int, _ type: ABIType) throws(ABIDecodingError) -> [UInt8] {
        let count = try length(at: position, type)
        let start = position + 32
        let paddedCount = (count + 31) & ~31
        guard paddedCount <= data.count - start else {
            throw ABIDecodingError(.insufficientData, offset: start, type: type.description,
                                   detail: "length \(count) needs \(paddedCount) bytes, only \(data.count - start) left")
        }
        let content = base + start
        for index in count..<paddedCount where content[index] != 0 {
            throw ABIDecodingError(.nonZeroPadding, offset: start + index, type: type.description,
                                   detail: "padding after \(count) bytes is not zero")
        }
        byteBudget -= count
        guard byteBudget >= 0 else {
            throw ABIDecodingError(.tooManyElements, offset: position, type: type.description,
                                   detail: "byte strings add up to more than the \(data.count) bytes of data (aliased offsets)")
        }
        return Array(UnsafeBufferPointer(start: content, count: count))
    }

    // MARK: - Words

    private func require(_ position: Int, _ count: Int, _ type: ABIType) throws(ABIDecodingError) {
        try require(position, count) { type.description }
    }

    private func require(_ position: Int, _ count: Int, _ typeName: () -> String) throws(ABIDecodingError) {
        guard position >= 0, count <= data.count, position <= data.count - count else {
            throw ABIDecodingError(.insufficientData, offset: position, type: typeName(),
                                   detail: "needs \(count) bytes, only \(max(0, data.count - position)) left")
        }
    }

    /// Reads a word that must hold a small non-negative integer (an offset or a length).
    private func smallInteger(at position: Int, _ type: ABIType, what: String,
                              kind: ABIDecodingError.Kind) throws(ABIDecodingError) -> Int {
        try require(position, 32, type)
        let word = base + position
        for index in 0..<24 where word[index] != 0 {
            throw ABIDecodingError(kind, offset: position, type: type.description,
                                   detail: "\(what) \(Self.hexWord(word)) is far beyond the data (\(data.count) bytes)")
        }
        let value = UInt64(bigEndian: UnsafeRawPointer(word + 24).loadUnaligned(as: UInt64.self))
        guard value <= UInt64(data.count) else {
            throw ABIDecodingError(kind, offset: position, type: type.description,
                                   detail: "\(what) \(value) is beyond the data (\(data.count) bytes)")
        }
        return Int(value)
    }

    /// Reads the offset of a dynamic value in a head and returns the absolute position it points to.
    private func offset(at position: Int, base: Int, headEnd: Int, _ type: ABIType) throws(ABIDecodingError) -> Int {
        let relative = try smallInteger(at: position, type, what: "offset", kind: .invalidOffset)
        let target = base + relative
        guard target >= headEnd, target < data.count else {
            throw ABIDecodingError(.invalidOffset, offset: position, type: type.description,
                                   detail: target < headEnd
                                       ? "offset \(relative) points into the head (which ends at \(headEnd - base))"
                                       : "offset \(relative) points past the end of the data (\(data.count) bytes)")
        }
        return target
    }

    private func length(at position: Int, _ type: ABIType) throws(ABIDecodingError) -> Int {
        try smallInteger(at: position, type, what: "length", kind: .invalidLength)
    }

    private mutating func spend(_ count: Int, at position: Int, _ type: ABIType) throws(ABIDecodingError) {
        elementBudget -= count
        guard elementBudget >= 0 else {
            throw ABIDecodingError(.tooManyElements, offset: position, type: type.description,
                                   detail: "array lengths add up to more elements than \(data.count) bytes can encode")
        }
    }

    private func checkZeroPrefix(_ word: UnsafePointer<UInt8>, count: Int, position: Int,
                                 type: ABIType) throws(ABIDecodingError) {
        for index in 0..<count where word[index] != 0 {
            throw ABIDecodingError(.dirtyHighBits, offset: position, type: type.description,
                                   detail: "high bits set in \(Self.hexWord(word))")
        }
    }

    private static func limbs(_ word: UnsafePointer<UInt8>) -> SIMD4<UInt64> {
        let raw = UnsafeRawPointer(word)
        return SIMD4(UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self)),
                     UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self)),
                     UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
                     UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)))
    }

    /// BigInt's generic initializers are not specialized across modules (~300 ns each); its
    /// non-generic ones take ~20 ns for one word and ~50 ns for an array of words.
    static func bigUInt(_ limbs: SIMD4<UInt64>) -> BigUInt {
        if limbs[3] == 0 && limbs[2] == 0 {
            if limbs[1] == 0 { return BigUInt(integerLiteral: limbs[0]) }
            return BigUInt(words: [UInt(limbs[0]), UInt(limbs[1])])
        }
        return BigUInt(words: [UInt(limbs[0]), UInt(limbs[1]), UInt(limbs[2]), UInt(limbs[3])])
    }

    static func unsigned(_ word: UnsafePointer<UInt8>) -> BigUInt {
        bigUInt(limbs(word))
    }

    static func signed(_ word: UnsafePointer<UInt8>) -> BigInt {
        var value = limbs(word)
        guard value[3] & (1 << 63) != 0 else { return BigInt(sign: .plus, magnitude: bigUInt(value)) }
        // Two's complement: magnitude = ~value + 1.
        var carry: UInt64 = 1
        for i in 0..<4 {
            let (sum, overflow) = (~value[i]).addingReportingOverflow(carry)
            value[i] = sum
            carry = overflow ? 1 : 0
        }
        return BigInt(sign: .minus, magnitude: bigUInt(value))
    }

    static func hexWord(_ word: UnsafePointer<UInt8>) -> String {
        Hex.encode(UnsafeBufferPointer(start: word, count: 32))
    }
}
