import BigInt

// Decoding helpers so wire types expose Swift types (UInt64, BigUInt, [UInt8]) while the JSON carries
// hex quantities and hex data.

extension KeyedDecodingContainer {
    func decodeQuantity(_ key: Key) throws -> BigUInt {
        try decode(Quantity.self, forKey: key).value
    }

    func decodeQuantityIfPresent(_ key: Key) throws -> BigUInt? {
        try decodeIfPresent(Quantity.self, forKey: key)?.value
    }

    func decodeUInt64(_ key: Key) throws -> UInt64 {
        let quantity = try decode(Quantity.self, forKey: key)
        guard let value = quantity.uint64 else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self, debugDescription: "quantity \(quantity.hex) does not fit in 64 bits")
        }
        return value
    }

    func decodeUInt64IfPresent(_ key: Key) throws -> UInt64? {
        guard let quantity = try decodeIfPresent(Quantity.self, forKey: key) else { return nil }
        guard let value = quantity.uint64 else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self, debugDescription: "quantity \(quantity.hex) does not fit in 64 bits")
        }
        return value
    }

    func decodeBytes(_ key: Key) throws -> [UInt8] {
        try decode(HexData.self, forKey: key).bytes
    }

    func decodeBytesIfPresent(_ key: Key) throws -> [UInt8]? {
        try decodeIfPresent(HexData.self, forKey: key)?.bytes
    }
}

extension KeyedEncodingContainer {
    mutating func encodeQuantity(_ value: BigUInt, forKey key: Key) throws {
        try encode(Quantity(value), forKey: key)
    }

    mutating func encodeQuantityIfPresent(_ value: BigUInt?, forKey key: Key) throws {
        if let value { try encode(Quantity(value), forKey: key) }
    }

    mutating func encodeQuantityIfPresent(_ value: UInt64?, forKey key: Key) throws {
        if let value { try encode(Quantity(value), forKey: key) }
    }

    mutating func encodeBytesIfPresent(_ value: [UInt8]?, forKey key: Key) throws {
        if let value { try encode(HexData(value), forKey: key) }
    }
}
