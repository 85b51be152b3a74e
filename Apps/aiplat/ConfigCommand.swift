import ArgumentParser
import PlatformCore

/// `aiplat config show|docs`: what the platform will run with, and the reference of every key.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Show the effective configuration or print the key reference.",
        subcommands: [Show.self, Docs.self]
    )

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print every key's effective value and where it came from (default, file, env, flag).")

        @Option(name: .customLong("data-dir"), help: "Data directory whose config.json is read.") var dataDirectory: String?
        @Option(help: "A JSON config file to read instead of <data-dir>/config.json.") var config: String?

        func run() async throws {
            var flags: [String: String] = [:]
            flags["data_dir"] = dataDirectory
            print(try PlatformConfiguration.load(flags: flags, configFile: config).describe())
        }
    }

    struct Docs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the Markdown reference of every key (the text of docs/configuration.md).")

        func run() async throws {
            print(PlatformConfiguration.markdownReference(), terminator: "")
        }
    }
}
