/// A call, gas estimate or transaction simulation reverted. Carries the raw revert data, the node's
/// error, and the decoded ``reason`` (`Error(string)`, `Panic(uint256)`, or a custom error when the
/// contract's errors were known to the caller).
public struct ContractRevert: Error, Sendable, CustomStringConvertible {
    /// The revert data (selector + ABI-encoded arguments); empty for a bare `revert()`.
    public let data: [UInt8]
    /// The decoded revert data.
    public let reason: RevertReason
    /// The node's error answer, kept whole.
    public let rpcError: JSONRPCError

    /// Nil unless `rpcError` says execution reverted. `errors` are the custom errors the contract
    /// may raise (its ABI's errors), used to decode `data`.
    public init?(rpcError: JSONRPCError, errors: [ABIError] = []) {
        let bytes = rpcError.dataBytes
        guard rpcError.isExecutionReverted || (bytes != nil && rpcError.code == -32000) else { return nil }
        self.data = bytes ?? []
        self.reason = RevertReason.decode(data, errors: errors)
        self.rpcError = rpcError
    }

    /// The reason decoded against `abi`'s custom errors (for a revert caught without them).
    public func reason(using abi: ContractABI) -> RevertReason {
        abi.decodeRevert(data)
    }

    public var description: String {
        switch reason {
        case .error, .unknown: return reason.description
        default: return "execution reverted: \(reason)"
        }
    }
}
