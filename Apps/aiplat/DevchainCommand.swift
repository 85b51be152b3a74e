import ArgumentParser

struct DevchainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devchain",
        abstract: "Run the local EVM JSON-RPC node in the foreground (anvil-compatible flags)."
    )

    func run() async throws {
        throw ValidationError("devchain is not wired yet")
    }
}
