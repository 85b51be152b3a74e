import ArgumentParser
import ModelRegistry

/// `aiplat auth keys revoke NAME`: the key stops working at once (history keeps its name).
struct RevokeKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke an API key by name.")

    @OptionGroup var store: RegistryDataOptions
    @Argument(help: "The key's name.") var name: String

    func run() async throws {
        let revoked = try await store.withKeyStore { try await $0.revoke(name: name) }
        guard revoked else { throw ValidationError("no active API key named \"\(name)\"") }
        print("revoked \(name)")
    }
}
