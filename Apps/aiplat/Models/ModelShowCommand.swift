import ArgumentParser
import Foundation
import ModelRegistry
import PlatformCore

/// `aiplat models show NAME[:TAG|@DIGEST]`: the manifest digest, the ModelPack config and the files.
struct ModelShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a model: digest, format, parameters, files.")

    @Argument(help: "[registry/]namespace/name[:tag|@sha256:...]") var name: String
    @OptionGroup var options: RegistryOptions
    @Flag(help: "Print the config blob as JSON.") var json = false

    func run() async throws {
        let reference = try ModelReference(parsing: name)
        let puller = ModelPuller(client: try options.client(for: reference), cache: try options.cache())
        let resolved = try await puller.resolve(reference)
        let manifest = resolved.manifest
        let configDigest = try BlobDigest(parsing: manifest.config.digest)
        if !puller.cache.has(configDigest) {
            _ = try await puller.client.downloadBlob(reference.repository, configDigest, to: puller.cache.partial(configDigest), progress: { _ in })
            try puller.cache.commit(configDigest)
        }
        let configBytes = try Data(contentsOf: puller.cache.blob(configDigest))
        if json {
            print(String(decoding: configBytes, as: UTF8.self))
            return
        }
        let config = try? JSONDecoder().decode(ModelPackConfig.self, from: configBytes)
        print("name          \(reference.repository)\(reference.digest == nil ? ":\(reference.reference)" : "")")
        print("digest        \(resolved.digest)")
        print("artifactType  \(manifest.artifactType ?? "-")")
        if let model = config?.config {
            print("format        \(model.format ?? "-")")
            print("architecture  \(model.architecture ?? "-")")
            print("parameters    \(model.parameterCount.map { "\($0) (\(model.paramSize ?? ""))" } ?? "-")")
            print("precision     \(model.precision ?? "-")")
            print("quantization  \(model.quantization ?? "-")")
            if let tensors = model.tensorCount { print("tensors       \(tensors)") }
            if let operators = model.capabilities?.operators { print("operators     \(operators.joined(separator: " "))") }
            if let deterministic = model.capabilities?.deterministic { print("deterministic \(deterministic ? "yes" : "no")") }
        }
        print("files")
        for layer in manifest.layers {
            print("  \(layer.annotations?[ModelPackMediaType.filepathAnnotation] ?? "-")\t\(layer.size)\t\(layer.mediaType)\t\(layer.digest)")
        }
    }
}
