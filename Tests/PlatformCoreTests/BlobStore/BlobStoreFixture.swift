import Foundation
import Testing

@testable import PlatformCore

/// Every BlobStore implementation the conformance suite runs against. An S3 case (against a
/// `moto_server` the test starts on loopback) plugs in here and inherits every check.
enum BlobStoreFixture: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case local = "local directory"

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
        }
    }
}
