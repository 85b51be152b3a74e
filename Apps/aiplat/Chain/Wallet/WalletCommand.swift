import ArgumentParser

/// `aiplat chain wallet ...` (cast wallet): keys, addresses and message signatures.
struct WalletCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wallet",
        abstract: "Create keys, derive addresses, sign and verify messages (EIP-191, EIP-712).",
        subcommands: [
            WalletNewCommand.self, WalletAddressCommand.self, WalletSignCommand.self,
            WalletVerifyCommand.self, WalletSignTypedDataCommand.self,
        ])
}
