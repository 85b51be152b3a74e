/// Decoded values together with the parameters they belong to, addressable by position or name.
public struct ABIDecodedValues: Sendable, Hashable, RandomAccessCollection {
    public let parameters: [ABIParameter]
    public let values: [ABIValue]

    public init(parameters: [ABIParameter], values: [ABIValue]) {
        self.parameters = parameters
        self.values = values
    }

    public var startIndex: Int { values.startIndex }
    public var endIndex: Int { values.endIndex }
    public subscript(position: Int) -> ABIValue { values[position] }

    /// The value of the first parameter called `name`, or nil.
    public subscript(name: String) -> ABIValue? {
        guard let index = parameters.firstIndex(where: { $0.name == name }), index < values.count else { return nil }
        return values[index]
    }

    /// `name: value` pairs (`#index` for unnamed parameters), in order.
    public var named: [(name: String, value: ABIValue)] {
        zip(parameters.indices, values).map { index, value in
            let name = parameters[index].name
            return (name.isEmpty ? "#\(index)" : name, value)
        }
    }
}
