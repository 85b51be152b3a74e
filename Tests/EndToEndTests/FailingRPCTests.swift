import BigInt
import EthereumKit
import Foundation
import Testing

@Suite("The JSON-RPC client in front of failing endpoints")
struct FailingRPCTests {
    static let fastRetry = RetryPolicy(maxAttempts: 3, initialBackoff: .milliseconds(5), maxBackoff: .milliseconds(10))

    static func result(_ json: String, for body: String) -> CannedHTTPServer.Response {
        .json(#"{"jsonrpc":"2.0","id":\#(CannedHTTPServer.requestID(body)),"result":\#(json)}"#)
    }

    @Test("HTTP 429 is retried, honouring Retry-After, and the answer then decoded")
    func rateLimited() async throws {
        let server = try CannedHTTPServer { index, body in
            index == 0
                ? .init(status: 429, reason: "Too Many Requests", headers: ["Retry-After": "0"], body: "slow down")
                : Self.result(#""0x7a69""#, for: body)
        }
        defer { server.shutdown() }
        let client = try EthereumClient(url: server.url, configuration: .init(retry: Self.fastRetry))
        #expect(try await client.chainID() == 31337)
        #expect(server.requests.count == 2)
    }

    @Test("HTTP 503 on eth_sendRawTransaction is retried: the server refused it unprocessed")
    func unavailableSend() async throws {
        let hash = "0x" + String(repeating: "ab", count: 32)
        let server = try CannedHTTPServer { index, body in
            index == 0
                ? .init(status: 503, reason: "Service Unavailable", body: "maintenance")
                : Self.result("\"\(hash)\"", for: body)
        }
        defer { server.shutdown() }
        let client = try EthereumClient(url: server.url, configuration: .init(retry: Self.fastRetry))
        #expect(try await client.sendRawTransaction([0x02, 0xc0]).hex == hash)
        #expect(server.requests.count == 2)
        #expect(server.requests[0] == server.requests[1])
    }

    @Test("persistent 503s give up after the configured attempts with the status")
    func persistentOutage() async throws {
        let server = try CannedHTTPServer { _, _ in .init(status: 503, reason: "Service Unavailable", body: "down") }
        defer { server.shutdown() }
        let client = try EthereumClient(url: server.url, configuration: .init(retry: Self.fastRetry))
        let error = await #expect(throws: RPCTransportError.self) { _ = try await client.blockNumber() }
        #expect(error?.kind == .httpStatus)
        #expect(error?.httpStatus == 503)
        #expect(error?.attempts == 3)
        #expect(error?.description == "RPC at \(server.url) failed on eth_blockNumber: HTTP 503 Service Unavailable (after 3 attempts)")
    }

    @Test("a read timeout retries a read but never a possibly-delivered transaction")
    func timeouts() async throws {
        let server = try CannedHTTPServer(respond: nil)
        defer { server.shutdown() }
        let configuration = JSONRPCClient.Configuration(requestTimeout: .milliseconds(200), retry: Self.fastRetry)
        let client = try EthereumClient(url: server.url, configuration: configuration)

        let read = await #expect(throws: RPCTransportError.self) { _ = try await client.blockNumber() }
        #expect(read?.kind == .timedOut)
        #expect(read?.attempts == 3)

        let send = await #expect(throws: RPCTransportError.self) { _ = try await client.sendRawTransaction([0x01]) }
        #expect(send?.kind == .timedOut)
        #expect(send?.attempts == 1)
        #expect(send?.notDelivered == false)
    }

    @Test("a 502 from a gateway is retried for a read, not for a transaction")
    func badGateway() async throws {
        let server = try CannedHTTPServer { _, _ in .init(status: 502, reason: "Bad Gateway", body: "upstream gone") }
        defer { server.shutdown() }
        let client = try EthereumClient(url: server.url, configuration: .init(retry: Self.fastRetry))
        let read = await #expect(throws: RPCTransportError.self) { _ = try await client.gasPrice() }
        #expect(read?.attempts == 3)
        let send = await #expect(throws: RPCTransportError.self) { _ = try await client.sendRawTransaction([0x01]) }
        #expect(send?.attempts == 1)
        #expect(send?.notDelivered == false)
        #expect(server.requests.count == 4)
    }

    @Test("an HTML error page is an HTTP status error, not a decoding mystery")
    func htmlError() async throws {
        let server = try CannedHTTPServer { _, _ in
            .init(status: 502, reason: "Bad Gateway", headers: ["Content-Type": "text/html"], body: "<html>bad gateway</html>")
        }
        defer { server.shutdown() }
        let client = try EthereumClient(url: server.url, configuration: .init(retry: .none))
        let error = await #expect(throws: RPCTransportError.self) { _ = try await client.chainID() }
        #expect(error?.kind == .httpStatus)
        #expect(error?.httpStatus == 502)
        #expect(error?.description == "RPC at \(server.url) failed on eth_chainId: HTTP 502 Bad Gateway: <html>bad gateway</html>")
    }

    @Test("a JSON-RPC error inside an HTTP 400 keeps code, message and data")
    func errorInBadRequest() async throws {
        let server = try CannedHTTPServer { _, body in
            .json(#"{"jsonrpc":"2.0","id":\#(CannedHTTPServer.requestID(body)),"error":{"code":-32005,"message":"limit exceeded","data":{"retryAfter":2}}}"#,
                  status: 400, reason: "Bad Request")
        }
        defer { server.shutdown() }
        let client = try EthereumClient(url: server.url, configuration: .init(retry: Self.fastRetry))
        let error = await #expect(throws: JSONRPCError.self) { _ = try await client.gasPrice() }
        #expect(error?.code == -32005)
        #expect(error?.message == "limit exceeded")
        #expect(error?.data?["retryAfter"] == .number("2"))
        #expect(server.requests.count == 1)
    }

    @Test("an answer over maxResponseBytes is refused, not retried")
    func oversizedAnswer() async throws {
        let server = try CannedHTTPServer { _, body in Self.result("\"0x" + String(repeating: "ab", count: 512) + "\"", for: body) }
        defer { server.shutdown() }
        let client = try EthereumClient(
            url: server.url, configuration: .init(retry: Self.fastRetry, maxResponseBytes: 256))
        let error = await #expect(throws: RPCTransportError.self) { _ = try await client.code(at: .zero) }
        #expect(error?.kind == .invalidResponse)
        #expect(error?.reason == "answer larger than 256 bytes (maxResponseBytes)")
        #expect(server.requests.count == 1)
    }

    @Test("a body that is not JSON is an invalid response quoting it")
    func notJSON() async throws {
        let server = try CannedHTTPServer { _, _ in .init(status: 200, reason: "OK", body: "hello") }
        defer { server.shutdown() }
        let client = try EthereumClient(url: server.url, configuration: .init(retry: .none))
        let error = await #expect(throws: RPCTransportError.self) { _ = try await client.chainID() }
        #expect(error?.kind == .invalidResponse)
        #expect(error?.description == "invalid response from RPC at \(server.url) to eth_chainId: not JSON: hello")
    }

    @Test("batch answers are matched by id, whatever their order, and a missing answer is an error")
    func batchMatching() async throws {
        let server = try CannedHTTPServer { _, body in
            // Echo the ids back reversed, answering each with its own id, and drop the middle request.
            let ids = body.components(separatedBy: #""id":"#).dropFirst().map { String($0.prefix { $0.isNumber }) }
            let answers = [ids[2], ids[0]].map { #"{"jsonrpc":"2.0","id":\#($0),"result":"0x\#($0)"}"# }
            return .json("[" + answers.joined(separator: ",") + "]")
        }
        defer { server.shutdown() }
        let rpc = try JSONRPCClient(url: server.url, configuration: .init(retry: .none))
        var batch = JSONRPCBatch()
        let first = batch.add(method: "eth_blockNumber", as: Quantity.self)
        let second = batch.add(method: "eth_gasPrice", as: Quantity.self)
        let third = batch.add(method: "eth_chainId", as: Quantity.self)
        let answers = try await rpc.send(batch)
        // A new client numbers its requests from 1; each answer echoes its id as its result.
        #expect(try answers.result(first) == 0x1)
        #expect(try answers.result(third) == 0x3)
        #expect(answers.error(second)?.message == "the batch answer has no response for this request")
        #expect(server.requests.count == 1)
    }
}
