import ArgumentParser

/// `aiplat auth ...`: credentials for the platform's APIs.
struct AuthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auth",
        abstract: "Manage API keys for the registry and the other APIs.",
        subcommands: [KeysCommand.self]
    )
}

/// `aiplat auth keys create|ls|revoke`, run offline against a data directory.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create, list and revoke API keys (offline, against the data directory's database).",
        subcommands: [CreateKeyCommand.self, ListKeysCommand.self, RevokeKeyCommand.self]
    )
}
