import CoreMetrics
import Prometheus
import Synchronization

/// swift-metrics backed by a swift-prometheus registry, rendered for `GET /metrics`.
///
/// Libraries record through swift-metrics (`Counter(label:)`, `Timer(label:)`, ...) and never see
/// Prometheus; the executable calls ``bootstrap()`` once and serves ``renderPrometheus()``.
/// Tests build a private instance with ``init(registry:)`` and pass ``factory`` to the metric
/// initialisers (`Counter(label: "x", factory: setup.factory)`), so they never touch global state.
public struct MetricsSetup: Sendable {
    /// The `Content-Type` of ``renderPrometheus()``: the Prometheus text exposition format 0.0.4.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    private static let bootstrapped = Mutex(false)
    private static let processWide = MetricsSetup(registry: PrometheusMetricsFactory.defaultRegistry)

    /// The registry every metric of this setup is stored in.
    public let registry: PrometheusCollectorRegistry
    /// The swift-metrics factory writing into ``registry``.
    public let factory: PrometheusMetricsFactory

    /// A setup over `registry`; a fresh registry by default, private to the caller.
    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        self.factory = PrometheusMetricsFactory(registry: registry)
    }

    /// Makes the process-wide registry the swift-metrics backend (once; swift-metrics allows a
    /// single bootstrap per process, so later calls only return the same setup).
    @discardableResult
    public static func bootstrap() -> MetricsSetup {
        let first = bootstrapped.withLock { done in
            defer { done = true }
            return !done
        }
        if first {
            MetricsSystem.bootstrap(processWide.factory)
        }
        return processWide
    }

    /// Every metric in the registry in the Prometheus text exposition format (version 0.0.4),
    /// the body of `GET /metrics`.
    public func renderPrometheus() -> String {
        registry.emitToString()
    }
}
