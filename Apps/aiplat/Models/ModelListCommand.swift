import ArgumentParser
import ModelRegistry

/// `aiplat models ls [NAME]`: the repositories the key may pull, or the tags of one.
struct ModelListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ls", abstract: "List model repositories, or the tags of one.")

    @Argument(help: "[registry/]namespace/name") var name: String?
    @OptionGroup var options: RegistryOptions

    func run() async throws {
        if let name {
            let reference = try ModelReference(parsing: name)
            let client = try options.client(for: reference)
            for tag in try await client.tags(reference.repository) { print("\(reference.repository):\(tag)") }
        } else {
            for repository in try await options.client(for: nil).catalog() { print(repository) }
        }
    }
}
