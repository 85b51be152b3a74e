import BigInt

/// Why a call reverted, decoded from its revert data.
public enum RevertReason: Sendable, Hashable, CustomStringConvertible {
    /// `Error(string)` (selector `0x08c379a0`): `require(cond, "message")`, `revert("message")`, Vyper's `assert x, "message"`.
    case error(String)
    /// `Panic(uint256)` (selector `0x4e487b71`): a Solidity runtime check, with what the code means.
    case panic(code: BigUInt, meaning: String)
    /// A custom error from the given list, with its decoded inputs.
    case custom(ABIError, [ABIValue])
    /// No revert data (`revert()`, `require(cond)` without a message, out of gas, ...).
    case empty
    /// Data that is none of the above (or does not decode as what its selector claims).
    case unknown([UInt8])

    /// Selector of `Error(string)`.
    public static let errorSelector: [UInt8] = [0x08, 0xc3, 0x79, 0xa0]
    /// Selector of `Panic(uint256)`.
    public static let panicSelector: [UInt8] = [0x4e, 0x48, 0x7b, 0x71]

    /// Decodes revert data; `errors` are the custom errors the contract may raise (its ABI's errors).
    /// Never throws: data that does not decode becomes `.unknown`.
    public static func decode(_ data: some Collection<UInt8>, errors: [ABIError] = []) -> RevertReason {
        let bytes = Array(data)
        if bytes.isEmpty { return .empty }
        guard bytes.count >= 4 else { return .unknown(bytes) }
        let selector = Array(bytes[0..<4])
        let body = bytes[4...]
        if selector == errorSelector {
            // Lenient about UTF-8: a message with invalid bytes is still the best explanation there is.
            if let values = try? ABIDecoder.decode([.bytes], from: body), case .bytes(let message) = values[0] {
                return .error(String(decoding: message, as: UTF8.self))
            }
            return .unknown(bytes)
        }
        if selector == panicSelector {
            if let values = try? ABIDecoder.decode([.uint256], from: body), case .uint(let code) = values[0] {
                return .panic(code: code, meaning: panicMeaning(code))
            }
            return .unknown(bytes)
        }
        for error in errors where error.selector == selector {
            if let values = try? ABIDecoder.decode(error.inputs.map(\.type), from: body) {
                return .custom(error, values)
            }
        }
        return .unknown(bytes)
    }

    /// What a Solidity panic code means (from the Solidity documentation).
    public static func panicMeaning(_ code: BigUInt) -> String {
        switch code {
        case 0x00: return "generic compiler panic"
        case 0x01: return "assertion failed"
        case 0x11: return "arithmetic overflow or underflow"
        case 0x12: return "division or modulo by zero"
        case 0x21: return "conversion to an invalid enum value"
        case 0x22: return "incorrectly encoded storage byte array"
        case 0x31: return "pop() on an empty array"
        case 0x32: return "array index out of bounds"
        case 0x41: return "out of memory (too much memory allocated or array too large)"
        case 0x51: return "call to a zero-initialized internal function"
        default: return "unknown panic code"
        }
    }

    public var description: String {
        switch self {
        case .error(let message): return "execution reverted: \(message)"
        case .panic(let code, let meaning): return "panic: \(meaning) (0x\(String(code, radix: 16, uppercase: false)))"
        case .custom(let error, let values):
            return "custom error \(error.name)(\(values.map { $0.formatted(.raw) }.joined(separator: ", ")))"
        case .empty: return "execution reverted without data"
        case .unknown(let bytes): return "execution reverted with unrecognized data \(Hex.encode(bytes))"
        }
    }
}
