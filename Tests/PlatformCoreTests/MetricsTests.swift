import CoreMetrics
import Testing

@testable import PlatformCore

@Suite struct MetricsTests {
    @Test func anIncrementedCounterAppearsInThePrometheusOutput() {
        let metrics = MetricsSetup()
        let counter = Counter(label: "aiplat_test_requests_total", dimensions: [("route", "/healthz")], factory: metrics.factory)
        counter.increment(by: 2)
        counter.increment()
        let text = metrics.renderPrometheus()
        #expect(text.contains("# TYPE aiplat_test_requests_total counter\n"))
        #expect(text.contains("aiplat_test_requests_total{route=\"/healthz\"} 3\n"))
    }

    @Test func privateRegistriesDoNotShareMetrics() {
        let first = MetricsSetup()
        let second = MetricsSetup()
        Counter(label: "aiplat_test_private_total", factory: first.factory).increment()
        #expect(first.renderPrometheus().contains("aiplat_test_private_total 1"))
        #expect(!second.renderPrometheus().contains("aiplat_test_private_total"))
    }

    @Test func timersBecomeHistogramsWithBuckets() {
        let metrics = MetricsSetup()
        Timer(label: "aiplat_test_rpc_seconds", factory: metrics.factory).recordMilliseconds(30)
        let text = metrics.renderPrometheus()
        #expect(text.contains("# TYPE aiplat_test_rpc_seconds histogram"))
        #expect(text.contains("aiplat_test_rpc_seconds_bucket{le=\"0.05\"} 1"))
        #expect(text.contains("aiplat_test_rpc_seconds_bucket{le=\"0.025\"} 0"))
        #expect(text.contains("aiplat_test_rpc_seconds_count 1"))
    }

    @Test func gaugesReportTheLastValue() {
        let metrics = MetricsSetup()
        let gauge = Gauge(label: "aiplat_test_queue_depth", factory: metrics.factory)
        gauge.record(7)
        gauge.record(4)
        #expect(metrics.renderPrometheus().contains("aiplat_test_queue_depth 4"))
    }

    @Test func bootstrapReturnsTheSameProcessWideSetupEveryTime() {
        let first = MetricsSetup.bootstrap()
        let second = MetricsSetup.bootstrap()
        #expect(first.registry === second.registry)
        Counter(label: "aiplat_test_global_total").increment()
        #expect(first.renderPrometheus().contains("aiplat_test_global_total 1"))
    }

    @Test func theContentTypeIsTheTextExpositionFormat004() {
        #expect(MetricsSetup.contentType == "text/plain; version=0.0.4; charset=utf-8")
    }
}
