import ArgumentParser
import ModelRegistry

/// `aiplat auth keys ls`: one line per key, never the key itself.
struct ListKeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ls", abstract: "List API keys: name, state, creation time and scopes.")

    @OptionGroup var store: RegistryDataOptions

    func run() async throws {
        let keys = try await store.withKeyStore { try await $0.list() }
        for key in keys {
            let state = key.revokedAt.map { "revoked \($0)" } ?? "active"
            print("\(key.name)\t\(state)\tcreated \(key.createdAt)\t\(key.scopes.map(\.description).joined(separator: " "))")
        }
    }
}
