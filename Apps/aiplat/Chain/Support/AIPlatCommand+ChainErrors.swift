import ArgumentParser

extension AIPlatCommand {
    /// The entry point: ArgumentParser's own `main()`, except that `aiplat chain ...` reports every
    /// failure as one `error: ...` line on stderr (see `ChainErrorReporter`) instead of
    /// ArgumentParser's multi-line "Error: ... Usage: ..." block. Other command groups keep the
    /// default reporting.
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let isChainCommand = arguments.first == ChainCommand.configuration.commandName
        do {
            var command = try await asyncParseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if isChainCommand {
                ChainErrorReporter.exit(with: error, root: Self.self)
            }
            exit(withError: error)
        }
    }
}
