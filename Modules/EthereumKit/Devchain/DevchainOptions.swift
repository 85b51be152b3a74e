/// Command-line options of the devchain, named after anvil's flags.
public struct DevchainOptions: Sendable, Hashable {
    /// Interface to listen on (default loopback).
    public var host: String
    /// Port; 0 picks a free one (the real port is read from the ready line).
    public var port: Int
    public var chainID: UInt64
    /// Seconds between blocks for interval mining; nil mines each transaction at once (automine).
    public var blockTime: Double?
    /// Number of funded accounts (devchain default 10).
    public var accounts: Int?
    /// Balance of each account in ether (devchain default 10000).
    public var balance: String?
    /// Mnemonic the accounts derive from (default: `test test ... junk`, as anvil and Hardhat).
    public var mnemonic: String?
    /// Further arguments passed through unchanged.
    public var extraArguments: [String]

    public init(
        host: String = "127.0.0.1", port: Int = 0, chainID: UInt64 = 31337, blockTime: Double? = nil,
        accounts: Int? = nil, balance: String? = nil, mnemonic: String? = nil, extraArguments: [String] = []
    ) {
        self.host = host
        self.port = port
        self.chainID = chainID
        self.blockTime = blockTime
        self.accounts = accounts
        self.balance = balance
        self.mnemonic = mnemonic
        self.extraArguments = extraArguments
    }

    /// The arguments after the script path.
    public var arguments: [String] {
        var arguments = ["--host", host, "--port", String(port), "--chain-id", String(chainID)]
        if let blockTime {
            arguments += ["--block-time", blockTime == blockTime.rounded() ? String(Int(blockTime)) : String(blockTime)]
        }
        if let accounts { arguments += ["--accounts", String(accounts)] }
        if let balance { arguments += ["--balance", balance] }
        if let mnemonic { arguments += ["--mnemonic", mnemonic] }
        return arguments + extraArguments
    }
}
