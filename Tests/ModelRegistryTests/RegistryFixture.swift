import Foundation
import Logging
import ModelRegistry
import PlatformCore
import Testing

/// A registry over a fresh SQLite file and blob directory, removed by `close()`.
struct RegistryFixture {
    let directory: String
    let database: SQLiteDatabase
    let store: LocalBlobStore
    let service: RegistryService

    static func make(limits: RegistryLimits = RegistryLimits(), anonymousPull: [String] = []) async throws -> RegistryFixture {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("aiplat-registry-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let database = try SQLiteDatabase(path: directory + "/aiplat.sqlite")
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        try await RegistryService.migrate(database, logger: logger)
        let store = try LocalBlobStore(root: directory + "/blobs")
        let service = RegistryService(
            database: database, blobs: store, limits: limits, anonymousPull: try anonymousPull.map(RepositoryPattern.init),
            logger: logger)
        return RegistryFixture(directory: directory, database: database, store: store, service: service)
    }

    func close() async {
        try? await database.close()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// Chunks of bytes as an async sequence, the shape request bodies arrive in.
struct Chunks: AsyncSequence, Sendable {
    typealias Element = [UInt8]
    let chunks: [[UInt8]]
    init(_ chunks: [[UInt8]]) { self.chunks = chunks }
    init(_ bytes: [UInt8]) { self.chunks = [bytes] }

    struct AsyncIterator: AsyncIteratorProtocol {
        var remaining: [[UInt8]]
        mutating func next() async -> [UInt8]? { remaining.isEmpty ? nil : remaining.removeFirst() }
    }
    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(remaining: chunks) }
}

/// Random bytes read from /dev/urandom in one call: generating megabytes byte by byte in a debug
/// build takes seconds of a test-pool thread.
func randomBytes(_ count: Int) -> [UInt8] {
    guard count > 0, let handle = FileHandle(forReadingAtPath: "/dev/urandom") else { return [] }
    defer { try? handle.close() }
    return Array(handle.readData(ofLength: count))
}

/// Builds OCI manifests the way clients write them.
enum Manifests {
    static func descriptor(_ mediaType: String, _ bytes: [UInt8], artifactType: String? = nil) -> [String: Any] {
        var result: [String: Any] = ["mediaType": mediaType, "digest": BlobDigest.of(bytes).description, "size": bytes.count]
        if let artifactType { result["artifactType"] = artifactType }
        return result
    }

    static func image(
        config: [UInt8], layers: [[UInt8]], artifactType: String? = nil, subject: (digest: BlobDigest, size: Int)? = nil,
        annotations: [String: String]? = nil, configMediaType: String = "application/vnd.oci.image.config.v1+json"
    ) -> [UInt8] {
        var object: [String: Any] = [
            "schemaVersion": 2,
            "mediaType": ManifestMediaType.ociManifest,
            "config": descriptor(configMediaType, config),
            "layers": layers.map { descriptor("application/vnd.oci.image.layer.v1.tar", $0) },
        ]
        if let artifactType { object["artifactType"] = artifactType }
        if let subject {
            object["subject"] = ["mediaType": ManifestMediaType.ociManifest, "digest": subject.digest.description, "size": subject.size]
        }
        if let annotations { object["annotations"] = annotations }
        return json(object)
    }

    static func index(_ manifests: [[UInt8]]) -> [UInt8] {
        json([
            "schemaVersion": 2, "mediaType": ManifestMediaType.ociIndex,
            "manifests": manifests.map { descriptor(ManifestMediaType.ociManifest, $0) },
        ])
    }

    static func json(_ object: Any) -> [UInt8] {
        // Sorted keys: the same object gives the same bytes, so digests are reproducible.
        Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data())
    }
}

/// Expects `body` to throw a ``RegistryError`` with `code`.
func expectRegistryError(
    _ code: RegistryError.Code, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
) async {
    do {
        try await body()
        Issue.record("expected \(code), nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as RegistryError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected \(code), got \(error)", sourceLocation: sourceLocation)
    }
}
