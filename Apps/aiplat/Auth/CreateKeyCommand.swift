import ArgumentParser
import ModelRegistry

/// `aiplat auth keys create --name N --scope ACTION:PATTERN ...`: prints the new key once.
struct CreateKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create an API key and print it (once: only its hash is stored).",
        discussion: """
            Scopes are ACTION:PATTERN with ACTION one of pull, push, delete, admin and PATTERN a repository \
            glob where * matches any run of characters (org/* covers org/a and org/a/b). push implies pull; \
            admin implies everything.
            """
    )

    @OptionGroup var store: RegistryDataOptions
    @Option(help: "A name for the key (letters, digits, ., _, -, @); shown by ls and recorded in tag history.") var name: String
    @Option(name: .customLong("scope"), help: "ACTION:PATTERN, e.g. 'pull:org/*'; repeat for several.") var scopes: [String] = []

    func validate() throws {
        guard !scopes.isEmpty else { throw ValidationError("give at least one --scope ACTION:PATTERN (e.g. --scope 'pull:org/*')") }
        for scope in scopes {
            do {
                _ = try AccessScope(parsing: scope)
            } catch {
                throw ValidationError("\(error)")
            }
        }
    }

    func run() async throws {
        let parsed = try scopes.map(AccessScope.init(parsing:))
        let key = try await store.withKeyStore { try await $0.create(name: name, scopes: parsed) }
        print(key)
    }
}
