import ArgumentParser
import ModelRegistry
import PlatformCore

/// `aiplat models history NAME [--tag TAG]`: every tag move of a repository (oldest first), read
/// from the registry's database (offline: run it where the registry's data directory is).
struct ModelHistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "Tag history of a repository, from the registry's data directory (offline).")

    @Argument(help: "namespace/name") var name: String
    @Option(help: "Only this tag.") var tag: String?
    @OptionGroup var data: RegistryDataOptions

    func run() async throws {
        let reference = try ModelReference(parsing: name)
        let repository = try RepositoryName(reference.repository)
        let moves = try await data.withService { try await $0.tagHistory(repository, tag: tag ?? reference.tag) }
        for move in moves {
            print("\(move.at)\t\(move.tag)\t\(move.from?.description ?? "-") -> \(move.to?.description ?? "-")\t\(move.actor)")
        }
    }
}
