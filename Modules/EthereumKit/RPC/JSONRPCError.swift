/// An error object a JSON-RPC server answered with, kept whole: `code`, `message` and `data`
/// (where nodes put revert data), plus the method it answered.
public struct JSONRPCError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    public let code: Int
    public let message: String
    public let data: JSONValue?
    /// The method of the request this error answered (not part of the wire object).
    public var method: String?

    public init(code: Int, message: String, data: JSONValue? = nil, method: String? = nil) {
        self.code = code
        self.message = message
        self.data = data
        self.method = method
    }

    // Well-known codes (JSON-RPC 2.0 and EIP-1474).
    public static let parseErrorCode = -32700
    public static let invalidRequestCode = -32600
    public static let methodNotFoundCode = -32601
    public static let invalidParamsCode = -32602
    public static let internalErrorCode = -32603
    /// geth and most nodes answer a reverted `eth_call`/`eth_estimateGas` with code 3 and the revert data.
    public static let executionRevertedCode = 3

    private enum CodingKeys: String, CodingKey { case code, message, data }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = try container.decode(Int.self, forKey: .code)
        message = (try? container.decodeIfPresent(String.self, forKey: .message)) ?? ""
        data = try container.decodeIfPresent(JSONValue.self, forKey: .data)
        method = nil
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(code, forKey: .code)
        try container.encode(message, forKey: .message)
        try container.encodeIfPresent(data, forKey: .data)
    }

    /// The bytes carried in `data`, found where geth, anvil, Hardhat, Ganache and Nethermind put them:
    /// a hex string, `"Reverted 0x..."`, or a nested object's `data` field.
    public var dataBytes: [UInt8]? { Self.bytes(in: data, depth: 0) }

    /// True when the message says the call or transaction reverted.
    public var isExecutionReverted: Bool {
        code == Self.executionRevertedCode || message.lowercased().contains("revert")
    }

    public var description: String {
        var text = "JSON-RPC error \(code)"
        if let method { text += " from \(method)" }
        text += ": \(message)"
        if let data { text += " (data: \(String(data.description.prefix(200))))" }
        return text
    }

    private static func bytes(in value: JSONValue?, depth: Int) -> [UInt8]? {
        guard let value, depth < 4 else { return nil }
        switch value {
        case .string(let text):
            var hex = Substring(text)
            if hex.hasPrefix("Reverted ") { hex = hex.dropFirst("Reverted ".count) }
            guard hex.hasPrefix("0x") else { return nil }
            return try? Hex.decode(hex)
        case .object(let members):
            return bytes(in: members["data"], depth: depth + 1)
                ?? bytes(in: members["result"], depth: depth + 1)
        default:
            return nil
        }
    }
}
