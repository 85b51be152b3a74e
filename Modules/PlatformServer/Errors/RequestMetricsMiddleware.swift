import Hummingbird
import Metrics
import PlatformCore

/// Counts requests and records their latency by route and status, for `/metrics`.
///
/// Metrics go to the given setup's factory rather than the global `MetricsSystem`, so a test's
/// private registry sees exactly its own requests.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: MetricsSetup

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var status = 500
        defer {
            let route = context.endpointPath ?? "unmatched"
            let dimensions = [("method", request.method.rawValue), ("route", route), ("status", String(status))]
            Counter(label: "aiplat_http_requests_total", dimensions: dimensions, factory: metrics.factory).increment()
            let elapsed = ContinuousClock.now - start
            Timer(label: "aiplat_http_request_duration_seconds", dimensions: [("route", route)], factory: metrics.factory)
                .recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
        }
        do {
            let response = try await next(request, context)
            status = Int(response.status.code)
            return response
        } catch let error as any HTTPResponseError {
            status = Int(error.status.code)
            throw error
        }
    }
}
