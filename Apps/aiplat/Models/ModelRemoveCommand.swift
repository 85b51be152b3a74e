import ArgumentParser
import ModelRegistry

/// `aiplat models rm NAME:TAG|NAME@DIGEST`: removes a tag, or a manifest and every tag on it
/// (its blobs go at the next `gc`).
struct ModelRemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove a tag, or a manifest by digest.")

    @Argument(help: "[registry/]namespace/name:tag or name@sha256:...") var name: String
    @OptionGroup var options: RegistryOptions

    func run() async throws {
        let reference = try ModelReference(parsing: name)
        guard reference.digest != nil || reference.tag != nil else { throw ValidationError("rm needs NAME:TAG or NAME@DIGEST") }
        try await options.client(for: reference).deleteManifest(reference.repository, reference: reference.reference)
        print("removed \(reference)")
    }
}
