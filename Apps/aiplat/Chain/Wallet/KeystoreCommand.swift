import ArgumentParser

/// `aiplat chain keystore ...`: V3 keystore files (cast: `wallet import`, `wallet decrypt-keystore`).
struct KeystoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keystore",
        abstract: "Write a private key to a V3 keystore file, or read it back.",
        subcommands: [KeystoreImportCommand.self, KeystoreExportCommand.self])
}
