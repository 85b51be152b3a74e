/// A contract event: name, inputs (some `indexed`) and whether it is anonymous, with its topic 0.
///
/// Build one from `event Transfer(address indexed from, address indexed to, uint256 value)`
/// (the `event` keyword is optional) or from a JSON ABI entry.
public struct ABIEvent: Sendable, Hashable {
    public let name: String
    public let inputs: [ABIParameter]
    public let anonymous: Bool
    /// The canonical signature, `Transfer(address,address,uint256)`.
    public let signature: String
    /// keccak256(signature): the first topic of every non-anonymous log of this event.
    public let topic0: [UInt8]

    public init(name: String, inputs: [ABIParameter], anonymous: Bool = false) {
        self.name = name
        self.inputs = inputs
        self.anonymous = anonymous
        self.signature = ABIFunction.canonicalSignature(name, inputs)
        self.topic0 = Keccak256.hash(Array(signature.utf8))
    }

    /// Parses `event Name(type indexed a, type b) [anonymous]`.
    public init(parsing text: String) throws(ABIParsingError) {
        let parsed = try ABISignatureParser.parseEvent(text)
        self.init(name: parsed.name, inputs: parsed.inputs, anonymous: parsed.anonymous)
    }

    /// `event Name(type indexed a, ...)`.
    public var humanReadable: String {
        "event \(name)(\(inputs.map(\.humanReadable).joined(separator: ", ")))" + (anonymous ? " anonymous" : "")
    }

    /// Number of topics a log of this event carries.
    public var topicCount: Int { inputs.count(where: \.indexed) + (anonymous ? 0 : 1) }

    /// Decodes a log's topics and data into the event's inputs, in declaration order.
    ///
    /// Indexed inputs of value types (integers, address, bool, `bytesN`) are decoded from their topic.
    /// Indexed strings, bytes, arrays and tuples are stored in the log as the keccak256 hash of their
    /// encoding, which cannot be reversed: they come back as `.fixedBytes` holding that 32-byte hash.
    public func decodeLog(topics: [[UInt8]], data: some Collection<UInt8>) throws(ABIDecodingError) -> ABIDecodedValues {
        guard topics.count == topicCount else {
            throw ABIDecodingError(.topicMismatch, offset: nil, type: signature,
                                   detail: "expected \(topicCount) topics, got \(topics.count)")
        }
        var topicIndex = 0
        if !anonymous {
            guard topics[0] == topic0 else {
                throw ABIDecodingError(.topicMismatch, offset: nil, type: signature,
                                       detail: "topic 0 is \(Hex.encode(topics[0])), expected \(Hex.encode(topic0))")
            }
            topicIndex = 1
        }
        let dataTypes = inputs.filter { !$0.indexed }.map(\.type)
        let dataValues = try ABIDecoder.decode(dataTypes, from: data)
        var values: [ABIValue] = []
        values.reserveCapacity(inputs.count)
        var dataIndex = 0
        for input in inputs {
            guard input.indexed else {
                values.append(dataValues[dataIndex])
                dataIndex += 1
                continue
            }
            let topic = topics[topicIndex]
            guard topic.count == 32 else {
                throw ABIDecodingError(.topicMismatch, offset: nil, type: input.type.description,
                                       detail: "topic \(topicIndex) has \(topic.count) bytes, expected 32")
            }
            if ABIEvent.isHashedWhenIndexed(input.type) {
                values.append(.fixedBytes(topic))
            } else {
                do throws(ABIDecodingError) {
                    values.append(try ABIDecoder.decode([input.type], from: topic)[0])
                } catch {
                    throw ABIDecodingError(error.kind, offset: nil, type: error.type,
                                           detail: "topic \(topicIndex) (\(input.name.isEmpty ? "unnamed" : input.name)): \(error.detail)")
                }
            }
            topicIndex += 1
        }
        return ABIDecodedValues(parameters: inputs, values: values)
    }

    /// Topics for filtering logs by indexed values (`eth_getLogs`): topic 0 (unless anonymous), then
    /// one entry per indexed input, nil where `values` has nil (any value matches).
    public func encodeTopics(_ values: [ABIValue?]) throws(ABIEncodingError) -> [[UInt8]?] {
        let indexed = inputs.filter(\.indexed)
        guard values.count <= indexed.count else {
            throw ABIEncodingError(type: signature, reason: "\(name) has \(indexed.count) indexed inputs, got \(values.count) values")
        }
        var topics: [[UInt8]?] = anonymous ? [] : [topic0]
        for (index, value) in values.enumerated() {
            guard let value else { topics.append(nil); continue }
            do throws(ABIEncodingError) {
                topics.append(try ABIEvent.topic(for: value, as: indexed[index].type))
            } catch {
                throw error.inside("indexed input \(index + 1)")
            }
        }
        return topics
    }

    /// The topic that stores `value` as an indexed input of `type`: its 32-byte encoding for value types,
    /// the keccak256 of its in-place (packed, words padded) encoding for strings, bytes, arrays and tuples.
    public static func topic(for value: ABIValue, as type: ABIType) throws(ABIEncodingError) -> [UInt8] {
        guard isHashedWhenIndexed(type) else { return try ABIEncoder.encode([value], as: [type]) }
        return Keccak256.hash(try ABIIndexedEncoder.encode(value, as: type))
    }

    static func isHashedWhenIndexed(_ type: ABIType) -> Bool {
        switch type {
        case .uint, .int, .address, .bool, .fixedBytes: return false
        case .bytes, .string, .array, .fixedArray, .tuple: return true
        }
    }
}

extension ABIEvent: Codable {
    private enum CodingKeys: String, CodingKey {
        case type, name, inputs, anonymous
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        guard type == "event" else {
            throw DecodingError.dataCorruptedError(forKey: .type, in: container,
                                                   debugDescription: "expected an event entry, got \"\(type)\"")
        }
        self.init(name: try container.decode(String.self, forKey: .name),
                  inputs: try container.decodeIfPresent([ABIParameter].self, forKey: .inputs) ?? [],
                  anonymous: try container.decodeIfPresent(Bool.self, forKey: .anonymous) ?? false)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("event", forKey: .type)
        try container.encode(name, forKey: .name)
        try container.encode(inputs.map(EventInput.init(parameter:)), forKey: .inputs)
        try container.encode(anonymous, forKey: .anonymous)
    }

    /// Event inputs always carry `indexed` in JSON ABIs, false included.
    private struct EventInput: Encodable {
        let parameter: ABIParameter
        private enum Keys: String, CodingKey { case indexed }
        func encode(to encoder: any Encoder) throws {
            try parameter.encode(to: encoder)
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(parameter.indexed, forKey: .indexed)
        }
    }
}
