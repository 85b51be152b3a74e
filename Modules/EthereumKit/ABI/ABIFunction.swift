/// A contract function: name, inputs, outputs and state mutability, with its 4-byte selector.
///
/// Build one from a human-readable signature (`transfer(address,uint256)`,
/// `function balanceOf(address owner) view returns (uint256)`, cast's `balanceOf(address)(uint256)`)
/// or from a JSON ABI entry (`ContractABI`).
public struct ABIFunction: Sendable, Hashable {
    /// Solidity's state mutability of a function.
    public enum StateMutability: String, Sendable, Hashable, Codable {
        case pure, view, nonpayable, payable
    }

    public let name: String
    public let inputs: [ABIParameter]
    public let outputs: [ABIParameter]
    public let stateMutability: StateMutability
    /// The canonical signature, `name(type1,type2)`: what the selector hashes.
    public let signature: String
    /// The first 4 bytes of keccak256(signature).
    public let selector: [UInt8]

    public init(name: String, inputs: [ABIParameter], outputs: [ABIParameter] = [],
                stateMutability: StateMutability = .nonpayable) {
        self.name = name
        self.inputs = inputs
        self.outputs = outputs
        self.stateMutability = stateMutability
        self.signature = ABIFunction.canonicalSignature(name, inputs)
        self.selector = Array(Keccak256.hash(Array(signature.utf8)).prefix(4))
    }

    /// Parses a human-readable signature: `f(uint256,address)`, `function f(uint256 a) view returns (bool)`,
    /// or cast's `f(uint256)(bool)`. Parameter names, `memory`/`calldata` and visibility are accepted.
    public init(parsing text: String) throws(ABIParsingError) {
        let parsed = try ABISignatureParser.parseFunction(text)
        self.init(name: parsed.name, inputs: parsed.inputs, outputs: parsed.outputs,
                  stateMutability: parsed.stateMutability)
    }

    /// Input types, in order.
    public var inputTypes: [ABIType] { inputs.map(\.type) }
    /// Output types, in order.
    public var outputTypes: [ABIType] { outputs.map(\.type) }

    /// Selector as `0x`-prefixed hex (`0xa9059cbb`).
    public var selectorHex: String { Hex.encode(selector) }

    /// `function name(type a, ...) view returns (type, ...)`.
    public var humanReadable: String {
        var out = "function \(name)(\(inputs.map(\.humanReadable).joined(separator: ", ")))"
        if stateMutability != .nonpayable { out += " \(stateMutability.rawValue)" }
        if !outputs.isEmpty { out += " returns (\(outputs.map(\.humanReadable).joined(separator: ", ")))" }
        return out
    }

    /// Calldata: selector followed by the ABI encoding of `arguments`.
    public func encodeCall(_ arguments: [ABIValue]) throws(ABIEncodingError) -> [UInt8] {
        try checkArgumentCount(arguments.count)
        return try ABIEncoder.encode(arguments, as: inputTypes, prefix: selector)
    }

    /// Calldata from command-line style argument strings (see `ABIValue(parsing:as:)`), as `cast calldata` takes them.
    /// Throws `ABIParsingError` for an argument that does not parse or a wrong argument count.
    public func encodeCall(parsing arguments: [String]) throws(ABIParsingError) -> [UInt8] {
        selector + (try encodeArguments(parsing: arguments))
    }

    /// The ABI encoding of `arguments` without the selector (`cast abi-encode`).
    public func encodeArguments(_ arguments: [ABIValue]) throws(ABIEncodingError) -> [UInt8] {
        try checkArgumentCount(arguments.count)
        return try ABIEncoder.encode(arguments, as: inputTypes)
    }

    /// The ABI encoding of command-line style argument strings, without the selector (`cast abi-encode`).
    public func encodeArguments(parsing arguments: [String]) throws(ABIParsingError) -> [UInt8] {
        let values = try parseArguments(arguments)
        do throws(ABIEncodingError) {
            return try ABIEncoder.encode(values, as: inputTypes)
        } catch {
            // Parsed values always match their types; keep the message if that ever changes.
            throw ABIParsingError(subject: "arguments for", input: signature, reason: error.description)
        }
    }

    /// Parses command-line style argument strings into values of the input types.
    public func parseArguments(_ arguments: [String]) throws(ABIParsingError) -> [ABIValue] {
        guard arguments.count == inputs.count else {
            throw ABIParsingError(subject: "arguments for", input: signature,
                                  reason: "expected \(inputs.count) argument\(inputs.count == 1 ? "" : "s"), got \(arguments.count)")
        }
        var values: [ABIValue] = []
        values.reserveCapacity(arguments.count)
        for (argument, input) in zip(arguments, inputs) {
            values.append(try ABIValue(parsing: argument, as: input.type))
        }
        return values
    }

    private func checkArgumentCount(_ count: Int) throws(ABIEncodingError) {
        guard count == inputs.count else {
            throw ABIEncodingError(type: signature, reason: "\(name) takes \(inputs.count) argument\(inputs.count == 1 ? "" : "s"), got \(count)")
        }
    }

    /// Decodes calldata (selector included) into the input values.
    public func decodeInput(_ calldata: some Collection<UInt8>) throws(ABIDecodingError) -> [ABIValue] {
        let bytes = Array(calldata)
        guard bytes.count >= 4, Array(bytes[0..<4]) == selector else {
            throw ABIDecodingError(.selectorMismatch, offset: 0, type: signature,
                                   detail: "expected selector \(selectorHex), got \(Hex.encode(bytes.prefix(4)))")
        }
        return try ABIDecoder.decode(inputTypes, from: bytes[4...])
    }

    /// Decodes return data into the output values.
    public func decodeOutput(_ data: some Collection<UInt8>) throws(ABIDecodingError) -> [ABIValue] {
        try ABIDecoder.decode(outputTypes, from: data)
    }

    /// Decodes return data into the output values, addressable by output name.
    public func decodeNamedOutput(_ data: some Collection<UInt8>) throws(ABIDecodingError) -> ABIDecodedValues {
        ABIDecodedValues(parameters: outputs, values: try decodeOutput(data))
    }

    /// Return data for `values` (what the contract would return), e.g. for mocks and tests.
    public func encodeOutput(_ values: [ABIValue]) throws(ABIEncodingError) -> [UInt8] {
        try ABIEncoder.encode(values, as: outputTypes)
    }

    static func canonicalSignature(_ name: String, _ inputs: [ABIParameter]) -> String {
        var out = name + "("
        for (index, input) in inputs.enumerated() {
            if index > 0 { out += "," }
            input.type.appendCanonical(to: &out)
        }
        return out + ")"
    }
}

extension ABIFunction: Codable {
    private enum CodingKeys: String, CodingKey {
        case type, name, inputs, outputs, stateMutability, constant, payable
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decodeIfPresent(String.self, forKey: .type) ?? "function"
        guard type == "function" else {
            throw DecodingError.dataCorruptedError(forKey: .type, in: container,
                                                   debugDescription: "expected a function entry, got \"\(type)\"")
        }
        let mutability = try ABIFunction.decodeMutability(container)
        self.init(name: try container.decode(String.self, forKey: .name),
                  inputs: try container.decodeIfPresent([ABIParameter].self, forKey: .inputs) ?? [],
                  outputs: try container.decodeIfPresent([ABIParameter].self, forKey: .outputs) ?? [],
                  stateMutability: mutability)
    }

    /// `stateMutability`, or the pre-0.4.16 `constant`/`payable` flags when it is missing.
    private static func decodeMutability(_ container: KeyedDecodingContainer<CodingKeys>) throws -> StateMutability {
        if let mutability = try container.decodeIfPresent(StateMutability.self, forKey: .stateMutability) {
            return mutability
        }
        if try container.decodeIfPresent(Bool.self, forKey: .constant) == true { return .view }
        if try container.decodeIfPresent(Bool.self, forKey: .payable) == true { return .payable }
        return .nonpayable
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("function", forKey: .type)
        try container.encode(name, forKey: .name)
        try container.encode(inputs, forKey: .inputs)
        try container.encode(outputs, forKey: .outputs)
        try container.encode(stateMutability, forKey: .stateMutability)
    }
}
