import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `aiplat serve --dev` as a user runs it: a real process, a real devchain, real HTTP on loopback.
@Suite(.timeLimit(.minutes(3)))
struct ServeEndToEndTests {
    struct ChainStatus: Decodable {
        let rpc_url: String
        let chain_id: UInt64
        let head_block: UInt64
        let rpc_latency_ms: Double
    }

    func get(_ url: URL) async throws -> (Int, Data) {
        let (data, response) = try await URLSession.shared.data(from: url)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    @Test func serveDevAnswersHealthMetricsAndChainStatusThenStopsCleanlyOnSIGTERM() async throws {
        let dataDirectory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dataDirectory) }
        let server = try ChildProcess(
            executable: TestPaths.aiplatExecutable,
            arguments: ["serve", "--dev", "--port", "0", "--data-dir", dataDirectory.path],
            environment: ["AIPLAT_DEVCHAIN_PORT": "0"],
            directory: TestPaths.repositoryRoot
        )
        let line = try await server.waitForLine(startingWith: "aiplat serving on ")
        let base = try #require(URL(string: String(line.dropFirst("aiplat serving on ".count))))

        let (healthStatus, healthBody) = try await get(base.appendingPathComponent("healthz"))
        #expect(healthStatus == 200)
        #expect(String(decoding: healthBody, as: UTF8.self).contains("\"ok\""))

        let (chainStatusCode, chainBody) = try await get(base.appendingPathComponent("v1/chain/status"))
        #expect(chainStatusCode == 200)
        let status = try JSONDecoder().decode(ChainStatus.self, from: chainBody)
        #expect(status.chain_id == 31337)
        #expect(status.rpc_url.hasPrefix("http://127.0.0.1:"))
        #expect(status.rpc_latency_ms > 0)

        let (metricsStatus, metricsBody) = try await get(base.appendingPathComponent("metrics"))
        #expect(metricsStatus == 200)
        #expect(String(decoding: metricsBody, as: UTF8.self).contains("aiplat_http_requests_total"))

        // The SQLite database was created in the data directory.
        #expect(FileManager.default.fileExists(atPath: dataDirectory.appendingPathComponent("aiplat.sqlite").path))

        let exitStatus = try await server.stop(signal: SIGTERM)
        #expect(exitStatus == 0)
        // The devchain went down with the server.
        let rpc = try #require(URL(string: status.rpc_url))
        var request = URLRequest(url: rpc)
        request.httpMethod = "POST"
        request.httpBody = Data(#"{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}"#.utf8)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.timeoutInterval = 3
        await #expect(throws: (any Error).self) { _ = try await URLSession.shared.data(for: request) }
    }

    @Test func serveRejectsABadPortWithOneReadableLine() async throws {
        let server = try ChildProcess(
            executable: TestPaths.aiplatExecutable,
            arguments: ["serve", "--port", "not-a-port"],
            directory: TestPaths.repositoryRoot
        )
        let exitStatus = try await server.stop(signal: 0)
        #expect(exitStatus != 0)
        #expect(server.standardError.contains("port"))
    }
}
