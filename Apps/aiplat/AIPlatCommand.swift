import ArgumentParser
import PlatformCore

@main
struct AIPlatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aiplat",
        abstract: "aiplat: the self-hosted platform for AI-powered blockchain apps.",
        version: PlatformVersion.current,
        subcommands: [
            ServeCommand.self, DevchainCommand.self, ChainCommand.self, ConfigCommand.self, InferCommand.self, ModelsCommand.self,
            AuthCommand.self,
        ]
    )
}
