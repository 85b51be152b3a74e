import ArgumentParser
import Foundation
import ModelRegistry
import PlatformCore

/// `aiplat models tag SOURCE TARGET`: points a new tag at SOURCE's manifest. TARGET is a tag, or
/// `name:tag` in the same registry (blobs are mounted across repositories, not copied).
struct ModelTagCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tag", abstract: "Tag a model: SOURCE NAME:TAG or SOURCE TAG.")

    @Argument(help: "[registry/]namespace/name[:tag|@sha256:...]") var source: String
    @Argument(help: "A tag, or namespace/name:tag") var target: String
    @OptionGroup var options: RegistryOptions

    func run() async throws {
        let from = try ModelReference(parsing: source)
        let to = target.contains("/") ? try ModelReference(parsing: target) : try ModelReference(parsing: "\(from.repository):\(target)")
        guard to.digest == nil, let tag = to.tag else { throw ValidationError("the target needs a tag") }
        let client = try options.client(for: from)
        let fetched = try await client.manifest(from.repository, reference: from.reference)
        if to.repository != from.repository {
            let manifest = try JSONDecoder().decode(ModelPackManifest.Manifest.self, from: fetched.bytes)
            for descriptor in [manifest.config] + manifest.layers {
                let digest = try BlobDigest(parsing: descriptor.digest)
                guard try await client.mountBlob(to.repository, digest, from: from.repository) else {
                    throw RegistryClientError(status: 202, code: nil, message: "could not mount \(digest) from \(from.repository)", request: "POST /v2/\(to.repository)/blobs/uploads/")
                }
            }
        }
        print(try await client.putManifest(to.repository, reference: tag, bytes: fetched.bytes, mediaType: fetched.mediaType))
    }
}
