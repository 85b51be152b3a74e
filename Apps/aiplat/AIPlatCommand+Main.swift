import ArgumentParser

extension AIPlatCommand {
    /// The entry point: ArgumentParser's own `main()`, except that every failure is reported as one
    /// `error: ...` line on stderr (see `ChainErrorReporter`) instead of ArgumentParser's multi-line
    /// "Error: ... Usage: ..." block. Help and version still print and exit 0; usage mistakes exit 64,
    /// everything else 1.
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        do {
            var command = try await asyncParseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            ChainErrorReporter.exit(with: error, root: Self.self)
        }
    }
}
