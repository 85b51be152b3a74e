import ArgumentParser
import ModelRegistry
import Foundation

/// `aiplat models push PATH NAME:TAG`: packages a model file or directory as a ModelPack artifact
/// and pushes it; prints the manifest digest.
struct ModelPushCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push", abstract: "Push a model file or directory as a ModelPack artifact; prints the manifest digest.")

    @Argument(help: "A model file (.onnx, .safetensors, .gguf) or a model directory.") var path: String
    @Argument(help: "[registry/]namespace/name:tag") var name: String
    @OptionGroup var options: RegistryOptions

    @Option(help: .hidden) var chunkSize: Int = 16 << 20
    /// Throttles uploads (tests interrupt a push mid-transfer with it).
    @Option(help: .hidden) var maxBytesPerSecond: Int64?

    func validate() throws {
        guard chunkSize > 0 else { throw ValidationError("--chunk-size must be positive") }
    }

    func run() async throws {
        let reference = try ModelReference(parsing: name)
        var pusher = ModelPusher(client: try options.client(for: reference), cache: try options.cache())
        pusher.chunkSize = chunkSize
        pusher.maxBytesPerSecond = maxBytesPerSecond
        print(try await pusher.push(path, to: reference))
    }
}
