import ArgumentParser
import ModelRegistry
import Foundation

/// `aiplat models import DIR [NAME:TAG]`: pushes a Hugging Face model directory (config.json,
/// tokenizer files, weights); the name defaults to `hf/<directory name>:latest`.
struct ModelImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Push a Hugging Face model directory (default name hf/<dir>:latest).")

    @Argument(help: "A Hugging Face model directory (with config.json).") var directory: String
    @Argument(help: "[registry/]namespace/name:tag") var name: String?
    @OptionGroup var options: RegistryOptions

    func run() async throws {
        let base = URL(fileURLWithPath: directory).standardizedFileURL.lastPathComponent.lowercased()
            .replacingOccurrences(of: "[^a-z0-9._-]+", with: "-", options: .regularExpression)
        let reference = try ModelReference(parsing: name ?? "hf/\(base):latest")
        let pusher = ModelPusher(client: try options.client(for: reference), cache: try options.cache())
        let digest = try await pusher.push(directory, to: reference, requireHuggingFace: true)
        print("\(reference.repository):\(reference.tag ?? "latest") \(digest)")
    }
}
