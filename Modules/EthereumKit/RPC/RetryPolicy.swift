/// How often and how patiently a JSON-RPC request is retried after a transport failure or an
/// HTTP 429/502/503/504: exponential backoff with jitter, honouring `Retry-After` up to `maxBackoff`.
///
/// Which failures are retried is decided by ``JSONRPCClient``: a request that provably never
/// reached the server (connection refused, unresolvable host, connect timeout, 429, 503) is always
/// retried; a request that may have been delivered (a read timeout, a dropped connection) is retried
/// only when its method is safe to repeat (see ``JSONRPCClient/Configuration/unsafeToRepeat``).
/// JSON-RPC error objects are answers, never retried.
public struct RetryPolicy: Sendable, Hashable {
    /// Total tries, the first included; 1 means no retries.
    public var maxAttempts: Int
    /// Delay before the first retry.
    public var initialBackoff: Duration
    /// Upper bound of any single delay.
    public var maxBackoff: Duration
    /// Growth factor per retry.
    public var multiplier: Double

    public init(maxAttempts: Int = 4, initialBackoff: Duration = .milliseconds(100),
                maxBackoff: Duration = .seconds(2), multiplier: Double = 2) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.multiplier = max(1, multiplier)
    }

    /// Four tries, 100 ms doubling up to 2 s.
    public static let standard = RetryPolicy()
    /// A single try.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// The delay before retry number `retry` (1-based): the exponential step with "equal jitter"
    /// (half fixed, half random) so concurrent clients do not retry in lockstep.
    public func backoff(beforeRetry retry: Int, retryAfter: Duration? = nil) -> Duration {
        if let retryAfter { return min(retryAfter, maxBackoff) }
        let base = initialBackoff.seconds * pow(multiplier, Double(max(0, retry - 1)))
        let capped = min(base, maxBackoff.seconds)
        let jittered = capped / 2 + Double.random(in: 0...(capped / 2))
        return .nanoseconds(Int64(jittered * 1e9))
    }
}

extension Duration {
    /// The duration in (fractional) seconds.
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}

private func pow(_ base: Double, _ exponent: Double) -> Double {
    var result = 1.0
    var remaining = Int(exponent)
    while remaining > 0 { result *= base; remaining -= 1 }
    return result
}
