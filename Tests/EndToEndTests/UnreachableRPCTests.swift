import EthereumKit
import Foundation
import Testing

@Suite("An RPC endpoint that cannot be reached")
struct UnreachableRPCTests {
    /// A loopback port that refuses connections: bound but never listening, and held for the whole
    /// test so that no other test's server (devchains start on port 0 in parallel) can take it.
    final class RefusingPort: Sendable {
        let port: Int
        private let fd: Int32

        init() throws {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            try #require(fd >= 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
                }
            }
            if !bound { close(fd) }
            try #require(bound)
            self.fd = fd
            self.port = Int(UInt16(bigEndian: address.sin_port))
        }

        var url: String { "http://127.0.0.1:\(port)" }

        deinit { close(fd) }
    }

    @Test("a refused connection is a typed error naming the URL, after the configured retries")
    func connectionRefused() async throws {
        let refusing = try RefusingPort()
        let url = refusing.url
        let retry = RetryPolicy(maxAttempts: 3, initialBackoff: .milliseconds(10), maxBackoff: .milliseconds(20))
        let client = try EthereumClient(url: url, configuration: .init(requestTimeout: .seconds(5), retry: retry))
        // No wall-clock bound here: CPU-heavy suites running beside this one can stall any test for
        // seconds. That the refusal is seen at once shows in the kind (not a timeout) and the attempts.
        let error = await #expect(throws: RPCTransportError.self) { _ = try await client.chainID() }
        #expect(error?.kind == .unreachable)
        #expect(error?.notDelivered == true)
        #expect(error?.attempts == 3)
        #expect(error?.url == url)
        #expect(error?.description == "cannot reach RPC at \(url): connection refused (after 3 attempts)")
        withExtendedLifetime(refusing) {}
    }

    @Test("a transaction is also retried when the connection was refused (it never left)")
    func refusedSendIsRetried() async throws {
        let refusing = try RefusingPort()
        let url = refusing.url
        let retry = RetryPolicy(maxAttempts: 2, initialBackoff: .milliseconds(10), maxBackoff: .milliseconds(10))
        let client = try EthereumClient(url: url, configuration: .init(retry: retry))
        let error = await #expect(throws: RPCTransportError.self) { _ = try await client.sendRawTransaction([0x01]) }
        #expect(error?.attempts == 2)
        #expect(error?.method == "eth_sendRawTransaction")
        withExtendedLifetime(refusing) {}
    }

    @Test("a URL that is not http(s) is refused up front", arguments: ["ws://127.0.0.1:8545", "127.0.0.1:8545", "http://", ""])
    func invalidURL(url: String) throws {
        let error = #expect(throws: RPCTransportError.self) { _ = try EthereumClient(url: url) }
        #expect(error?.kind == .invalidURL)
        #expect(error?.description.hasPrefix("invalid RPC URL") == true)
    }

    @Test("withClient shuts its own HTTP client down and passes errors through")
    func withClient() async throws {
        let refusing = try RefusingPort()
        let url = refusing.url
        await #expect(throws: RPCTransportError.self) {
            try await JSONRPCClient.withClient(url: url, configuration: .init(retry: .none)) { rpc in
                try await rpc.send(method: "eth_chainId", as: Quantity.self)
            }
        }
        withExtendedLifetime(refusing) {}
    }
}
