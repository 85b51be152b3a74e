/// Positional JSON-RPC parameters of mixed types, encoded as a JSON array:
/// `RPCParams(address, BlockTag.latest)` -> `["0x…", "latest"]`.
public struct RPCParams: Encodable, Sendable {
    private let items: [any Encodable & Sendable]

    public init(_ items: any Encodable & Sendable...) { self.items = items }
    public init(array items: [any Encodable & Sendable]) { self.items = items }

    /// No parameters: `[]`.
    public static let none = RPCParams(array: [])

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        for item in items { try container.encode(item) }
    }
}
