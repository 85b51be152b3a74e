import Foundation
import Testing

@testable import PlatformCore

/// Chunks of bytes as an async sequence, the shape request bodies arrive in.
struct ByteChunks: AsyncSequence, Sendable {
    typealias Element = [UInt8]
    let chunks: [[UInt8]]
    /// Thrown after the chunks, as a client that goes away mid-body.
    var failure: (any Error & Sendable)?

    struct AsyncIterator: AsyncIteratorProtocol {
        var remaining: [[UInt8]]
        var failure: (any Error & Sendable)?
        mutating func next() async throws -> [UInt8]? {
            if remaining.isEmpty {
                if let failure {
                    self.failure = nil
                    throw failure
                }
                return nil
            }
            return remaining.removeFirst()
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(remaining: chunks, failure: failure) }
}

struct ClientWentAway: Error {}

/// Random bytes read from /dev/urandom in one call: generating megabytes byte by byte in a debug
/// build takes seconds of a test-pool thread.
func randomBytes(_ count: Int) -> [UInt8] {
    guard count > 0, let handle = FileHandle(forReadingAtPath: "/dev/urandom") else { return [] }
    defer { try? handle.close() }
    return Array(handle.readData(ofLength: count))
}
