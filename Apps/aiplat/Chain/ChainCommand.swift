import ArgumentParser

/// `aiplat chain ...`: Foundry `cast`-style chain commands.
struct ChainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chain",
        abstract: "Ethereum toolkit commands in the style of Foundry's cast.",
        subcommands: []
    )
}
