/// Recursive Length Prefix encoding and strict decoding (Ethereum yellow paper, appendix B).
///
/// The decoder accepts only canonical encodings, the same set `pyrlp` accepts: every length in its shortest form,
/// no leading zeros in lengths, single bytes below 0x80 as themselves, nothing after the item.
public enum RLP {
    /// Deepest list nesting the decoder follows (guards the stack against hostile input).
    public static let maxDepth = 512

    /// The RLP encoding of `item`.
    public static func encode(_ item: RLPItem) -> [UInt8] {
        item.encoded
    }

    /// Decodes exactly one item spanning all of `bytes`.
    public static func decode(_ bytes: [UInt8]) throws(RLPError) -> RLPItem {
        try bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(RLPError) in try decode(buffer, baseOffset: 0) }
        }.get()
    }

    /// Decodes exactly one item spanning all of `buffer`; offsets in errors are counted from `baseOffset`.
    public static func decode(_ buffer: UnsafeBufferPointer<UInt8>, baseOffset: Int = 0) throws(RLPError) -> RLPItem {
        guard !buffer.isEmpty else { throw .emptyInput }
        var reader = Reader(buffer: buffer, baseOffset: baseOffset)
        let item = try reader.readItem(end: buffer.count, depth: 0)
        if reader.position < buffer.count {
            throw .trailingBytes(offset: baseOffset + reader.position, count: buffer.count - reader.position)
        }
        return item
    }

    /// The header of the item at `position`: where its payload starts, how long it is, and whether it is a list.
    struct Header {
        var payloadStart: Int
        var payloadLength: Int
        var isList: Bool
    }

    struct Reader {
        let buffer: UnsafeBufferPointer<UInt8>
        let baseOffset: Int
        var position = 0

        init(buffer: UnsafeBufferPointer<UInt8>, baseOffset: Int) {
            self.buffer = buffer
            self.baseOffset = baseOffset
        }

        /// Reads one item that must end at or before `end`.
        mutating func readItem(end: Int, depth: Int) throws(RLPError) -> RLPItem {
            let start = position
            let header = try readHeader(end: end)
            let payloadEnd = header.payloadStart + header.payloadLength
            if header.isList {
                guard depth < RLP.maxDepth else { throw .tooDeep(offset: baseOffset + start) }
                var items = [RLPItem]()
                position = header.payloadStart
                while position < payloadEnd {
                    items.append(try readItem(end: payloadEnd, depth: depth + 1))
                }
                return .list(items)
            }
            position = payloadEnd
            if header.payloadStart == start { return .bytes([buffer[start]]) }
            return .bytes(Array(buffer[header.payloadStart..<payloadEnd]))
        }

        /// Parses the header at `position`; the whole item must fit before `end`.
        mutating func readHeader(end: Int) throws(RLPError) -> Header {
            let start = position
            let prefix = buffer[start]
            let header: Header
            switch prefix {
            case 0x00...0x7f:
                return Header(payloadStart: start, payloadLength: 1, isList: false)
            case 0x80...0xb7:
                header = Header(payloadStart: start + 1, payloadLength: Int(prefix - 0x80), isList: false)
            case 0xb8...0xbf:
                let length = try readLongLength(at: start, lengthOfLength: Int(prefix - 0xb7), end: end)
                header = Header(payloadStart: start + 1 + Int(prefix - 0xb7), payloadLength: length, isList: false)
            case 0xc0...0xf7:
                header = Header(payloadStart: start + 1, payloadLength: Int(prefix - 0xc0), isList: true)
            default:
                let length = try readLongLength(at: start, lengthOfLength: Int(prefix - 0xf7), end: end)
                header = Header(payloadStart: start + 1 + Int(prefix - 0xf7), payloadLength: length, isList: true)
            }
            let available = end - header.payloadStart
            guard header.payloadLength <= available else {
                throw .truncated(
                    offset: baseOffset + start, needed: header.payloadStart - start + header.payloadLength,
                    available: end - start)
            }
            if !header.isList && header.payloadLength == 1 && buffer[header.payloadStart] < 0x80 {
                throw .nonCanonicalSingleByte(offset: baseOffset + start)
            }
            return header
        }

        private func readLongLength(at start: Int, lengthOfLength: Int, end: Int) throws(RLPError) -> Int {
            guard lengthOfLength < end - start else {
                throw .truncated(offset: baseOffset + start, needed: 1 + lengthOfLength, available: end - start)
            }
            guard buffer[start + 1] != 0 else { throw .leadingZeroInLength(offset: baseOffset + start) }
            guard lengthOfLength <= 7 else { throw .lengthTooLarge(offset: baseOffset + start) }
            var length = 0
            for i in 1...lengthOfLength { length = length << 8 | Int(buffer[start + i]) }
            guard length >= 56 else { throw .nonCanonicalLength(offset: baseOffset + start) }
            return length
        }
    }
}
