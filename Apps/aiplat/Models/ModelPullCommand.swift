import ArgumentParser
import ModelRegistry
import Foundation

/// `aiplat models pull NAME[:TAG|@DIGEST] [DIR]`: pulls into the local cache (verified, resumable,
/// offline for cached digests) and writes the model's files to DIR (default: the name's last part).
struct ModelPullCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull", abstract: "Pull a model into the local cache and write its files to DIR; prints the manifest digest.")

    @Argument(help: "[registry/]namespace/name[:tag|@sha256:...]") var name: String
    @Argument(help: "Where to write the files (default: ./<name's last part>).") var directory: String?
    @Flag(help: "Write independent, writable copies instead of read-only hard links to the cache files.") var copy = false
    @OptionGroup var options: RegistryOptions

    func run() async throws {
        let reference = try ModelReference(parsing: name)
        var puller = ModelPuller(client: try options.client(for: reference), cache: try options.cache())
        puller.copy = copy
        let resolved = try await puller.resolve(reference)
        let fetched = try await puller.fetchBlobs(reference.repository, resolved.manifest)
        let target = directory ?? String(reference.repository.split(separator: "/").last ?? "model")
        try puller.materialize(resolved.manifest, into: URL(fileURLWithPath: target))
        try puller.writeRecord(resolved, reference: reference, into: URL(fileURLWithPath: target))
        if resolved.fromCache && fetched == 0 {
            FileHandle.standardError.write(Data("pulled \(reference) from the local cache\n".utf8))
        }
        print(resolved.digest)
    }
}
