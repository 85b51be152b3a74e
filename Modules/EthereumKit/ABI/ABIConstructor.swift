/// A contract's constructor: its inputs are ABI-encoded and appended to the creation bytecode.
public struct ABIConstructor: Sendable, Hashable {
    public let inputs: [ABIParameter]
    public let stateMutability: ABIFunction.StateMutability

    public init(inputs: [ABIParameter], stateMutability: ABIFunction.StateMutability = .nonpayable) {
        self.inputs = inputs
        self.stateMutability = stateMutability
    }

    /// Deployment data: `bytecode` followed by the encoded constructor arguments.
    public func encodeDeployment(bytecode: [UInt8], arguments: [ABIValue]) throws(ABIEncodingError) -> [UInt8] {
        guard arguments.count == inputs.count else {
            throw ABIEncodingError(type: ABIType.tuple(inputs.map(\.type)).description,
                                   reason: "the constructor takes \(inputs.count) argument\(inputs.count == 1 ? "" : "s"), got \(arguments.count)")
        }
        return try ABIEncoder.encode(arguments, as: inputs.map(\.type), prefix: bytecode)
    }
}

extension ABIConstructor: Codable {
    private enum CodingKeys: String, CodingKey {
        case type, inputs, stateMutability, payable
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        var mutability = try container.decodeIfPresent(ABIFunction.StateMutability.self, forKey: .stateMutability)
        if mutability == nil, try container.decodeIfPresent(Bool.self, forKey: .payable) == true { mutability = .payable }
        self.init(inputs: try container.decodeIfPresent([ABIParameter].self, forKey: .inputs) ?? [],
                  stateMutability: mutability ?? .nonpayable)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("constructor", forKey: .type)
        try container.encode(inputs, forKey: .inputs)
        try container.encode(stateMutability, forKey: .stateMutability)
    }
}
