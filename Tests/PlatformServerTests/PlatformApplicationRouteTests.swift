import EthereumKit
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PlatformCore
import Testing

@testable import PlatformServer

@Suite struct PlatformApplicationRouteTests {
    /// An application whose chain points at a port where nothing listens: routes that don't touch the
    /// chain must not care, and the chain route must say what is wrong.
    func makeApplication(metrics: MetricsSetup = MetricsSetup()) throws -> PlatformApplication {
        PlatformApplication(
            host: "127.0.0.1", port: 0,
            dependencies: .init(
                metrics: metrics,
                chain: try EthereumClient(
                    url: "http://127.0.0.1:9",
                    configuration: .init(requestTimeout: .seconds(2), retry: .none))
            ),
            logger: Logger(label: "test")
        )
    }

    @Test func healthzReportsOkAndVersion() async throws {
        let app = Application(router: try makeApplication().makeRouter())
        try await app.test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                let body = try JSONDecoder().decode([String: String].self, from: Data(String(buffer: response.body).utf8))
                #expect(body["status"] == "ok")
                #expect(body["version"] == PlatformVersion.current)
            }
        }
    }

    @Test func metricsServesPrometheusTextIncludingRequestCounters() async throws {
        let metrics = MetricsSetup()
        let app = Application(router: try makeApplication(metrics: metrics).makeRouter())
        try await app.test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { _ in }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == MetricsSetup.contentType)
                let text = String(buffer: response.body)
                #expect(text.contains("aiplat_http_requests_total{"))
                #expect(text.contains("route=\"/healthz\""))
            }
        }
    }

    @Test func unknownRouteIsA404WithAJSONErrorBody() async throws {
        let app = Application(router: try makeApplication().makeRouter())
        try await app.test(.router) { client in
            try await client.execute(uri: "/nope", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType] == "application/json")
                let text = String(buffer: response.body)
                #expect(text.contains("\"error\""))
                #expect(text.contains("/nope"))
            }
        }
    }

    @Test func chainStatusIs503NamingTheRPCWhenTheChainIsDown() async throws {
        let app = Application(router: try makeApplication().makeRouter())
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/chain/status", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                let text = String(buffer: response.body)
                #expect(text.contains("chain_unavailable"))
                #expect(text.contains("http://127.0.0.1:9"))
            }
        }
    }
}
