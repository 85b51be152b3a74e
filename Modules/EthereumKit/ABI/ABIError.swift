/// A Solidity custom error (`error InsufficientFunds(uint256 available, uint256 required)`), as
/// declared in a contract's ABI. Reverts with it carry its 4-byte selector and ABI-encoded inputs.
/// (Not a Swift `Error`: see `RevertReason` for decoding revert data.)
public struct ABIError: Sendable, Hashable {
    public let name: String
    public let inputs: [ABIParameter]
    /// The canonical signature, `InsufficientFunds(uint256,uint256)`.
    public let signature: String
    /// The first 4 bytes of keccak256(signature).
    public let selector: [UInt8]

    public init(name: String, inputs: [ABIParameter]) {
        self.name = name
        self.inputs = inputs
        self.signature = ABIFunction.canonicalSignature(name, inputs)
        self.selector = Array(Keccak256.hash(Array(signature.utf8)).prefix(4))
    }

    /// Parses `error Name(type a, ...)` (the `error` keyword is optional).
    public init(parsing text: String) throws(ABIParsingError) {
        let parsed = try ABISignatureParser.parseError(text)
        self.init(name: parsed.name, inputs: parsed.inputs)
    }

    /// `error Name(type a, ...)`.
    public var humanReadable: String {
        "error \(name)(\(inputs.map(\.humanReadable).joined(separator: ", ")))"
    }

    /// Revert data for this error with `arguments`: selector followed by their encoding.
    public func encode(_ arguments: [ABIValue]) throws(ABIEncodingError) -> [UInt8] {
        guard arguments.count == inputs.count else {
            throw ABIEncodingError(type: signature, reason: "\(name) takes \(inputs.count) argument\(inputs.count == 1 ? "" : "s"), got \(arguments.count)")
        }
        return try ABIEncoder.encode(arguments, as: inputs.map(\.type), prefix: selector)
    }

    /// Decodes revert data (selector included) into the error's inputs.
    public func decode(_ data: some Collection<UInt8>) throws(ABIDecodingError) -> [ABIValue] {
        let bytes = Array(data)
        guard bytes.count >= 4, Array(bytes[0..<4]) == selector else {
            throw ABIDecodingError(.selectorMismatch, offset: 0, type: signature,
                                   detail: "expected selector \(Hex.encode(selector)), got \(Hex.encode(bytes.prefix(4)))")
        }
        return try ABIDecoder.decode(inputs.map(\.type), from: bytes[4...])
    }
}

extension ABIError: Codable {
    private enum CodingKeys: String, CodingKey {
        case type, name, inputs
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        guard type == "error" else {
            throw DecodingError.dataCorruptedError(forKey: .type, in: container,
                                                   debugDescription: "expected an error entry, got \"\(type)\"")
        }
        self.init(name: try container.decode(String.self, forKey: .name),
                  inputs: try container.decodeIfPresent([ABIParameter].self, forKey: .inputs) ?? [])
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("error", forKey: .type)
        try container.encode(name, forKey: .name)
        try container.encode(inputs, forKey: .inputs)
    }
}
