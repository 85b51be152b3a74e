import EthereumKit

/// A function call given cast-style: a signature with arguments, or raw `0x` calldata.
struct CallTarget: Sendable {
    /// The function, when a signature was given (its outputs decode the result).
    let function: ABIFunction?
    let calldata: [UInt8]

    /// `signature` may be nil (no calldata: a plain transfer), `0x...` calldata (then no arguments
    /// may follow), or a function signature whose arguments follow.
    init(signature: String?, arguments: [String]) throws {
        guard let signature else {
            guard arguments.isEmpty else {
                throw ChainCLIError("arguments given without a function signature")
            }
            self.function = nil
            self.calldata = []
            return
        }
        if signature.hasPrefix("0x") || signature.hasPrefix("0X") {
            guard arguments.isEmpty else {
                throw ChainCLIError("raw calldata takes no arguments, got \(arguments.count)")
            }
            self.function = nil
            self.calldata = try ChainArguments.hexBytes(signature, name: "calldata")
            return
        }
        let function = try ChainArguments.function(signature)
        self.function = function
        self.calldata = try ChainArguments.encodeCall(function, arguments: arguments)
    }
}
