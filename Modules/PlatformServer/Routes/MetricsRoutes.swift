import Hummingbird
import NIOCore
import PlatformCore

/// `GET /metrics`: Prometheus text exposition of every metric the process records.
struct MetricsRoutes {
    let metrics: MetricsSetup

    func register(on router: Router<some RequestContext>) {
        router.get("/metrics") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: MetricsSetup.contentType],
                body: .init(byteBuffer: ByteBuffer(string: metrics.renderPrometheus()))
            )
        }
    }
}
