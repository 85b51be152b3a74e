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

func randomBytes(_ count: Int) -> [UInt8] {
    var generator = SystemRandomNumberGenerator()
    return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
}
