import ArgumentParser

/// `aiplat chain ...`: Foundry `cast`-style chain commands, with cast's argument order and output.
///
/// Every failure prints one `error: ...` line on stderr and exits non-zero (see `ChainErrorReporter`).
struct ChainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chain",
        abstract: "Ethereum toolkit commands in the style of Foundry's cast.",
        discussion: """
            Commands that talk to a node take --rpc-url (default: $AIPLAT_CHAIN_RPC_URL, $ETH_RPC_URL, \
            then the devchain at http://127.0.0.1:8545). Commands that sign take --private-key, \
            --keystore FILE with --password-file, or $AIPLAT_PRIVATE_KEY.
            """,
        subcommands: [
            // Offline
            KeccakCommand.self, SigCommand.self, CalldataCommand.self, ABIEncodeCommand.self,
            ABIDecodeCommand.self, ToChecksumCommand.self, WalletCommand.self, KeystoreCommand.self,
            MakeTransactionCommand.self,
            // Node
            SendCommand.self, CallCommand.self, ReceiptCommand.self, LogsCommand.self, BalanceCommand.self,
            NonceCommand.self, BlockNumberCommand.self, ChainIDCommand.self, DeployCommand.self,
        ]
    )
}
