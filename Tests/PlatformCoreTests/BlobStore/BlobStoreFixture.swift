import Foundation
import Testing

@testable import PlatformCore

/// Every BlobStore implementation the conformance suite runs against: the local directory, and
/// S3 against a `moto_server` each test starts on loopback, addressed path-style
/// (`127.0.0.1:PORT/bucket/key`) and virtual-hosted (`bucket.localhost:PORT/key`).
enum BlobStoreFixture: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case local = "local directory"
    case s3 = "S3 (moto_server), path-style"
    case s3VirtualHosted = "S3 (moto_server), virtual-hosted"

    var testDescription: String { rawValue }

    /// A fresh, empty store for `body`; everything it wrote is removed afterwards. `reopen` gives
    /// a second instance over the same storage (a restarted process, with no state in memory).
    func withStore<T>(_ body: (_ store: any BlobStore, _ reopen: () throws -> any BlobStore) async throws -> T) async throws -> T {
        switch self {
        case .local:
            return try await withTemporaryDirectory { directory in
                let root = directory + "/blobs"
                return try await body(try LocalBlobStore(root: root), { try LocalBlobStore(root: root) })
            }
        case .s3, .s3VirtualHosted:
            let moto = try await MotoServer.start()
            defer { moto.stop() }
            let configuration =
                self == .s3 ? Self.s3Configuration(endpoint: moto.endpoint) : Self.virtualHostedConfiguration(moto)
            let store = S3BlobStore(configuration: configuration)
            try await store.createBucket()
            return try await body(store, { S3BlobStore(configuration: configuration) })
        }
    }

    /// Virtual-hosted: the bucket goes into the Host name, `<bucket>.localhost:PORT`. Names under
    /// `localhost` are loopback (RFC 6761; libcurl, under URLSession, resolves them itself), and
    /// moto reads the bucket from such a Host header as S3 does from `<bucket>.s3.amazonaws.com`.
    static func virtualHostedConfiguration(_ moto: MotoServer) -> S3Configuration {
        var configuration = s3Configuration(endpoint: moto.endpoint.replacingOccurrences(of: "127.0.0.1", with: "localhost"))
        configuration.pathStyle = false
        return configuration
    }

    /// Path-style, the smallest part size S3 allows (so multipart paths run on small blobs), a prefix.
    static func s3Configuration(endpoint: String) -> S3Configuration {
        S3Configuration(
            endpoint: endpoint, bucket: "aiplat-test-\(UUID().uuidString.prefix(8).lowercased())", region: "us-east-1",
            keyPrefix: "registry/", pathStyle: true, accessKeyID: "testing", secretAccessKey: "testing", partSize: 5 << 20)
    }
}
