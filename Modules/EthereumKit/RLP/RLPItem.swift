import BigInt
import Foundation

/// A value in Ethereum's Recursive Length Prefix encoding: a byte string or a list of items.
///
/// Integers are byte strings holding their minimal big-endian form (zero is the empty string); use
/// `RLPItem(_: UInt64)` / `RLPItem(_: BigUInt)` to build them and `uint64(field:)` / `bigUInt(field:)` to read them.
public enum RLPItem: Sendable, Hashable {
    case bytes([UInt8])
    case list([RLPItem])

    /// An unsigned integer as its minimal big-endian bytes (zero is the empty string).
    public init(_ value: UInt64) {
        let byteCount = (64 - value.leadingZeroBitCount + 7) / 8
        self = .bytes((0..<byteCount).reversed().map { UInt8(truncatingIfNeeded: value >> (UInt64($0) * 8)) })
    }

    /// An unsigned big integer as its minimal big-endian bytes (zero is the empty string).
    public init(_ value: BigUInt) {
        self = .bytes([UInt8](value.serialize()))
    }

    /// An address as 20 bytes, or the empty string for `nil` (a contract creation's `to`).
    public init(_ address: Address?) {
        self = .bytes(address?.bytes ?? [])
    }

    /// The RLP encoding of this item.
    public var encoded: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(encodedLength)
        encode(into: &out)
        return out
    }

    /// Appends the RLP encoding of this item to `out`.
    public func encode(into out: inout [UInt8]) {
        switch self {
        case .bytes(let bytes):
            if bytes.count == 1 && bytes[0] < 0x80 {
                out.append(bytes[0])
            } else {
                Self.appendHeader(length: bytes.count, shortBase: 0x80, into: &out)
                out.append(contentsOf: bytes)
            }
        case .list(let items):
            Self.appendHeader(length: items.reduce(0) { $0 + $1.encodedLength }, shortBase: 0xc0, into: &out)
            for item in items { item.encode(into: &out) }
        }
    }

    /// Length in bytes of `encoded`, computed without encoding.
    public var encodedLength: Int {
        switch self {
        case .bytes(let bytes):
            if bytes.count == 1 && bytes[0] < 0x80 { return 1 }
            return Self.headerLength(bytes.count) + bytes.count
        case .list(let items):
            let payload = items.reduce(0) { $0 + $1.encodedLength }
            return Self.headerLength(payload) + payload
        }
    }

    /// The byte string, or nil for a list.
    public var bytesValue: [UInt8]? {
        if case .bytes(let bytes) = self { return bytes }
        return nil
    }

    /// The items of a list, or nil for a byte string.
    public var listValue: [RLPItem]? {
        if case .list(let items) = self { return items }
        return nil
    }

    /// The byte string; throws `RLPError.expectedBytes(field)` for a list.
    public func bytes(field: String) throws(RLPError) -> [UInt8] {
        guard case .bytes(let bytes) = self else { throw .expectedBytes(field: field) }
        return bytes
    }

    /// The list items; throws `RLPError.expectedList(field)` for a byte string.
    public func list(field: String) throws(RLPError) -> [RLPItem] {
        guard case .list(let items) = self else { throw .expectedList(field: field) }
        return items
    }

    /// A canonical unsigned integer of at most 8 bytes (no leading zero bytes).
    public func uint64(field: String) throws(RLPError) -> UInt64 {
        let bytes = try canonicalIntegerBytes(field: field, maxBytes: 8)
        return bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// A canonical unsigned integer of at most `maxBytes` bytes (no leading zero bytes); 32 by default (uint256).
    public func bigUInt(field: String, maxBytes: Int = 32) throws(RLPError) -> BigUInt {
        BigUInt(Data(try canonicalIntegerBytes(field: field, maxBytes: maxBytes)))
    }

    private func canonicalIntegerBytes(field: String, maxBytes: Int) throws(RLPError) -> [UInt8] {
        let bytes = try bytes(field: field)
        guard bytes.first != 0 else { throw .nonCanonicalInteger(field: field) }
        guard bytes.count <= maxBytes else { throw .integerTooLarge(field: field, maxBytes: maxBytes) }
        return bytes
    }

    // MARK: Headers

    @inline(__always)
    static func headerLength(_ length: Int) -> Int {
        length < 56 ? 1 : 1 + (Int.bitWidth - length.leadingZeroBitCount + 7) / 8
    }

    static func appendHeader(length: Int, shortBase: UInt8, into out: inout [UInt8]) {
        if length < 56 {
            out.append(shortBase + UInt8(length))
        } else {
            let lengthBytes = (Int.bitWidth - length.leadingZeroBitCount + 7) / 8
            out.append(shortBase + 55 + UInt8(lengthBytes))
            for i in (0..<lengthBytes).reversed() {
                out.append(UInt8(truncatingIfNeeded: length >> (i * 8)))
            }
        }
    }
}
