import ArgumentParser

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the aiplat HTTP server."
    )

    func run() async throws {
        throw ValidationError("serve is not wired yet")
    }
}
