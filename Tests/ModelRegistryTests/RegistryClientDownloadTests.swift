import Foundation
import Logging
import NIOCore
import NIOPosix
import PlatformCore
import Synchronization
import Testing
@testable import ModelRegistry

/// `RegistryClient.downloadBlob` against a loopback HTTP server that cuts the first response off
/// mid-body: the partial file keeps every byte that arrived (including a batch not yet full), and
/// the next call asks only for the rest, by `Range`, and verifies the whole blob.
@Suite struct RegistryClientDownloadTests {
    /// Answers a blob GET: the first without `Range` with the whole length announced but only
    /// `cutAt` bytes sent before the connection closes; one with `Range: bytes=N-` with a 206 of the rest.
    final class CuttingBlobServer: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let blob: [UInt8]
        let cutAt: Int
        let ranges = Mutex<[String]>([])
        private let pending = Mutex(ByteBuffer())

        init(blob: [UInt8], cutAt: Int) {
            self.blob = blob
            self.cutAt = cutAt
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var incoming = unwrapInboundIn(data)
            let head: String? = pending.withLock { buffer in
                buffer.writeBuffer(&incoming)
                let text = String(buffer: buffer)
                guard text.contains("\r\n\r\n") else { return nil }
                buffer.clear()
                return text
            }
            guard let head else { return }
            let range = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("range:") }.map { String($0.dropFirst(6)).trimmingCharacters(in: .whitespaces) }
            ranges.withLock { $0.append(range ?? "") }
            var response = context.channel.allocator.buffer(capacity: blob.count + 256)
            if let range, let start = Int(range.dropFirst("bytes=".count).dropLast()) {
                response.writeString("HTTP/1.1 206 Partial Content\r\nContent-Length: \(blob.count - start)\r\nContent-Range: bytes \(start)-\(blob.count - 1)/\(blob.count)\r\n\r\n")
                response.writeBytes(blob[start...])
                context.writeAndFlush(wrapOutboundOut(response), promise: nil)
            } else {
                response.writeString("HTTP/1.1 200 OK\r\nContent-Length: \(blob.count)\r\n\r\n")
                response.writeBytes(blob[..<cutAt])
                let channel = context.channel
                context.writeAndFlush(wrapOutboundOut(response)).whenComplete { _ in channel.close(promise: nil) }
            }
        }
    }

    @Test func aDownloadCutOffMidBodyKeepsWhatArrivedAndTheNextFetchesOnlyTheRest() async throws {
        let blob = (0..<((9 << 20) + 77)).map { UInt8(truncatingIfNeeded: $0 &* 40_503 >> 5) }
        // Past two full batches and into a third that is never filled.
        let cutAt = (5 << 20) + 1234
        let handler = CuttingBlobServer(blob: blob, cutAt: cutAt)
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(handler) } }
            .bind(host: "127.0.0.1", port: 0).get()
        defer { server.close(promise: nil) }
        let port = try #require(server.localAddress?.port)
        let client = RegistryClient(
            baseURL: "http://127.0.0.1:\(port)", apiKey: nil, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let digest = BlobDigest.of(blob)
        let partial = FileManager.default.temporaryDirectory.appendingPathComponent("partial-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: partial) }

        await #expect(throws: RegistryClientError.self) {
            _ = try await client.downloadBlob("org/m", digest, to: partial, progress: { _ in })
        }
        #expect(try Data(contentsOf: partial) == Data(blob[..<cutAt]))

        let fetched = try await client.downloadBlob("org/m", digest, to: partial, progress: { _ in })
        #expect(fetched == Int64(blob.count - cutAt))
        #expect(try Data(contentsOf: partial) == Data(blob))
        #expect(handler.ranges.withLock { $0 } == ["", "bytes=\(cutAt)-"])
    }
}
