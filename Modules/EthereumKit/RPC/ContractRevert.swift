/// A call, gas estimate or transaction simulation reverted. Carries the raw revert data and the
/// node's error; ``reason`` decodes `Error(string)` and `Panic(uint256)`, and ``reason(using:)``
/// decodes custom errors given the contract's ABI.
public struct ContractRevert: Error, Sendable, CustomStringConvertible {
    /// The revert data (selector + ABI-encoded arguments); empty for a bare `revert()`.
    public let data: [UInt8]
    /// The node's error answer, kept whole.
    public let rpcError: JSONRPCError

    /// Nil unless `rpcError` says execution reverted.
    public init?(rpcError: JSONRPCError) {
        let bytes = rpcError.dataBytes
        guard rpcError.isExecutionReverted || (bytes != nil && rpcError.code == -32000) else { return nil }
        self.data = bytes ?? []
        self.rpcError = rpcError
    }

    public var description: String {
        "execution reverted" + (data.isEmpty ? "" : " (data: \(Hex.encode(data.prefix(68))))")
    }
}
