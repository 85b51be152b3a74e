import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import PlatformCore

/// Receives one blob `GET` for ``RegistryClient/downloadBlob(_:_:to:progress:)``: a 200 or 206
/// body streams into a ``BlobDownloadSink`` straight from the event loop (no hop to a task per
/// piece); any other status keeps up to 64 KiB of the body for the error.
// @unchecked Sendable: AsyncHTTPClient calls a delegate's methods one at a time, on the task's
// event loop, and the caller reads `sink` only after the task's future has completed.
final class BlobDownloadDelegate: HTTPClientResponseDelegate, @unchecked Sendable {
    struct Outcome: Sendable {
        let status: Int
        /// The body of a response that is not a blob (an error, or the nothing of a 416).
        let body: Data
    }

    private let partial: String
    private let held: Int64
    private let heldHasher: SHA256Hasher
    private let progress: @Sendable (Int64) -> Void
    private var status = 0
    private var other = ByteBuffer()
    /// Where a 200 or 206 body goes; created by its head.
    private(set) var sink: BlobDownloadSink?

    /// `held` bytes of the blob are already in `partial`, and `heldHasher` was fed them.
    init(partial: String, held: Int64, heldHasher: SHA256Hasher, progress: @escaping @Sendable (Int64) -> Void) {
        self.partial = partial
        self.held = held
        self.heldHasher = heldHasher
        self.progress = progress
    }

    func didReceiveHead(task: HTTPClient.Task<Outcome>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        status = Int(head.status.code)
        guard status == 200 || status == 206 else { return task.eventLoop.makeSucceededVoidFuture() }
        do {
            // A 200 to a ranged request: the server ignored the range, so start over.
            let resumed = status == 206
            sink = try BlobDownloadSink(
                path: partial, offset: resumed ? held : 0, hasher: resumed ? heldHasher : SHA256Hasher(), progress: progress)
            return task.eventLoop.makeSucceededVoidFuture()
        } catch {
            return task.eventLoop.makeFailedFuture(error)
        }
    }

    func didReceiveBodyPart(task: HTTPClient.Task<Outcome>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        if let sink { return sink.append(buffer, on: task.eventLoop) }
        if other.readableBytes < 1 << 16 {
            var piece = buffer
            other.writeBuffer(&piece)
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didFinishRequest(task: HTTPClient.Task<Outcome>) throws -> Outcome {
        Outcome(status: status, body: Data(other.readableBytesView))
    }
}
