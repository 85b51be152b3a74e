import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Synchronization

/// A JSON-RPC 2.0 client over HTTP(S): typed requests and results, batches, per-request timeouts,
/// and retries with exponential backoff on transport failures and HTTP 429/503.
///
/// ## HTTP client lifetime
/// - `init(url:configuration:logger:)` uses one process-wide `HTTPClient` that is never shut down
///   (like `HTTPClient.shared`): nothing to clean up.
/// - `init(url:httpClient:...)` borrows your `HTTPClient`; you shut it down after the last request.
/// - ``withClient(url:configuration:logger:_:)`` creates a dedicated `HTTPClient` and shuts it down
///   when the body returns or throws.
///
/// ## Retries and transactions
/// A request that provably never reached the server (connection refused, host not resolvable,
/// connect timeout, HTTP 429 or 503) is retried whatever its method. A request that may have been
/// delivered (read timeout, connection dropped mid-request, HTTP 502/504 from a gateway) is retried
/// only if its method is safe to repeat: methods in ``Configuration/unsafeToRepeat`` (`eth_sendRawTransaction`, `eth_sendTransaction`,
/// the `evm_*` state changers) then fail with an ``RPCTransportError`` whose `notDelivered` is false,
/// so the caller checks the chain (e.g. by transaction hash) before sending again.
/// JSON-RPC error answers are returned as ``JSONRPCError`` and never retried.
public final class JSONRPCClient: Sendable {
    /// Settings of one client.
    public struct Configuration: Sendable {
        /// Deadline of one HTTP attempt (default 30 s).
        public var requestTimeout: Duration
        /// Retry policy for transport failures and HTTP 429/503 (default ``RetryPolicy/standard``).
        public var retry: RetryPolicy
        /// Largest response body accepted (default 64 MiB).
        public var maxResponseBytes: Int
        /// Extra HTTP headers sent with every request (e.g. an API key).
        public var headers: [String: String]
        /// Methods whose repetition could change state twice; never retried once possibly delivered.
        public var unsafeToRepeat: Set<String>

        public init(
            requestTimeout: Duration = .seconds(30),
            retry: RetryPolicy = .standard,
            maxResponseBytes: Int = 64 << 20,
            headers: [String: String] = [:],
            unsafeToRepeat: Set<String> = Configuration.defaultUnsafeToRepeat
        ) {
            self.requestTimeout = requestTimeout
            self.retry = retry
            self.maxResponseBytes = maxResponseBytes
            self.headers = headers
            self.unsafeToRepeat = unsafeToRepeat
        }

        public static let defaultUnsafeToRepeat: Set<String> = [
            "eth_sendRawTransaction", "eth_sendTransaction", "eth_sendRawTransactionSync",
            "evm_mine", "evm_snapshot", "evm_revert", "evm_increaseTime", "evm_setAutomine",
            "evm_setIntervalMining", "anvil_mine", "hardhat_mine",
        ]
    }

    /// The endpoint, as given.
    public let url: String
    public let configuration: Configuration
    private let httpClient: HTTPClient
    private let logger: Logger
    private let nextID = Atomic<UInt64>(1)

    /// A client on the process-wide shared HTTP client (nothing to shut down).
    public convenience init(
        url: String, configuration: Configuration = Configuration(),
        logger: Logger = Logger(label: "aiplat.jsonrpc", factory: { _ in SwiftLogNoOpLogHandler() })
    ) throws(RPCTransportError) {
        try self.init(url: url, httpClient: Self.sharedHTTPClient, configuration: configuration, logger: logger)
    }

    /// A client borrowing `httpClient`; the caller shuts that client down after the last request.
    public init(
        url: String, httpClient: HTTPClient, configuration: Configuration = Configuration(),
        logger: Logger = Logger(label: "aiplat.jsonrpc", factory: { _ in SwiftLogNoOpLogHandler() })
    ) throws(RPCTransportError) {
        try Self.validate(url: url)
        self.url = url
        self.httpClient = httpClient
        self.configuration = configuration
        self.logger = logger
    }

    /// Runs `body` with a client on a dedicated HTTP client that is shut down afterwards.
    public static func withClient<T>(
        url: String, configuration: Configuration = Configuration(),
        logger: Logger = Logger(label: "aiplat.jsonrpc", factory: { _ in SwiftLogNoOpLogHandler() }),
        _ body: (JSONRPCClient) async throws -> T
    ) async throws -> T {
        try validate(url: url)
        let httpClient = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: httpConfiguration())
        let result: Result<T, any Error>
        do {
            let client = try JSONRPCClient(url: url, httpClient: httpClient, configuration: configuration, logger: logger)
            result = .success(try await body(client))
        } catch {
            result = .failure(error)
        }
        try? await httpClient.shutdown()
        return try result.get()
    }

    /// The HTTP settings this client expects: connection failures are reported at once (not retried
    /// inside the pool until the deadline) so that our own retry policy decides, and connects time out
    /// after 5 s.
    public static func httpConfiguration() -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(5)
        return configuration
    }

    /// Shared by every client made with `init(url:configuration:logger:)`; a static is never
    /// deinitialised, so it never needs (and never gets) a shutdown.
    private static let sharedHTTPClient = HTTPClient(
        eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: httpConfiguration())

    private static func validate(url: String) throws(RPCTransportError) {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = parsed.host, !host.isEmpty
        else {
            throw RPCTransportError(
                url: url, kind: .invalidURL, reason: "expected http://host[:port][/path] or https://...",
                method: "", notDelivered: true)
        }
    }

    // MARK: Single requests

    /// Sends one request and decodes its `result` as `Result`.
    ///
    /// Throws ``JSONRPCError`` when the server answers with an error object, ``RPCTransportError``
    /// when it cannot be reached or answers something that is not a `Result`.
    public func send<Params: Encodable & Sendable, Result: Decodable>(
        method: String, params: Params, as type: Result.Type = Result.self
    ) async throws -> Result {
        let id = nextID.wrappingAdd(1, ordering: .relaxed).oldValue
        let body: Data
        do {
            body = try JSONEncoder().encode(RequestEnvelope(id: id, method: method, params: params))
        } catch {
            throw RPCTransportError(
                url: url, kind: .invalidResponse, reason: "cannot encode parameters: \(error)",
                method: method, notDelivered: true)
        }
        let bytes = try await post(body, label: method, repeatable: !configuration.unsafeToRepeat.contains(method))
        let envelope: ResponseEnvelope<Result>
        do {
            envelope = try JSONDecoder().decode(ResponseEnvelope<Result>.self, from: bytes)
        } catch {
            throw invalidResponse(method: method, bytes: bytes, error: error, typeName: String(describing: Result.self))
        }
        if case .number(let answered) = envelope.id, answered != String(id) {
            throw RPCTransportError(
                url: url, kind: .invalidResponse, reason: "answer has id \(answered), expected \(id)",
                method: method, notDelivered: false)
        }
        switch envelope.outcome {
        case .success(let value): return value
        case .failure(var error):
            error.method = method
            throw error
        }
    }

    /// Sends one request without parameters.
    public func send<Result: Decodable>(method: String, as type: Result.Type = Result.self) async throws -> Result {
        try await send(method: method, params: RPCParams.none, as: type)
    }

    // MARK: Batches

    /// Sends every request of `batch` in one HTTP request. Per-request errors are kept in the answer;
    /// only a failure of the whole exchange throws.
    public func send(_ batch: JSONRPCBatch) async throws -> JSONRPCBatchResponse {
        guard batch.count > 0 else { return JSONRPCBatchResponse(url: url, outcomes: []) }
        let firstID = nextID.wrappingAdd(UInt64(batch.count), ordering: .relaxed).oldValue
        let envelopes = batch.items.enumerated().map { offset, item in
            RequestEnvelope(id: firstID + UInt64(offset), method: item.method, params: item.params)
        }
        let label = "batch of \(batch.count) requests"
        let body: Data
        do {
            body = try JSONEncoder().encode(envelopes)
        } catch {
            throw RPCTransportError(
                url: url, kind: .invalidResponse, reason: "cannot encode parameters: \(error)",
                method: label, notDelivered: true)
        }
        let repeatable = batch.items.allSatisfy { !configuration.unsafeToRepeat.contains($0.method) }
        let bytes = try await post(body, label: label, repeatable: repeatable)

        let answers: [BatchItemEnvelope]
        do {
            answers = try JSONDecoder().decode([BatchItemEnvelope].self, from: bytes)
        } catch {
            // A server that rejects the whole batch answers with one error object.
            if let whole = try? JSONDecoder().decode(ResponseEnvelope<JSONValue>.self, from: bytes),
               case .failure(var failure) = whole.outcome {
                failure.method = label
                throw failure
            }
            throw invalidResponse(method: label, bytes: bytes, error: error, typeName: "a batch response")
        }
        var outcomes = [Result<JSONValue, JSONRPCError>?](repeating: nil, count: batch.count)
        for answer in answers {
            guard case .number(let text) = answer.id, let id = UInt64(text), id >= firstID,
                  id - firstID < UInt64(batch.count)
            else { continue }
            let index = Int(id - firstID)
            if let error = answer.error {
                var failure = error
                failure.method = batch.items[index].method
                outcomes[index] = .failure(failure)
            } else {
                outcomes[index] = .success(answer.result ?? .null)
            }
        }
        return JSONRPCBatchResponse(url: url, outcomes: outcomes.enumerated().map { index, outcome in
            outcome ?? .failure(JSONRPCError(
                code: JSONRPCError.internalErrorCode, message: "the batch answer has no response for this request",
                method: batch.items[index].method))
        })
    }

    // MARK: HTTP

    private func post(_ body: Data, label: String, repeatable: Bool) async throws -> Data {
        var attempt = 0
        while true {
            attempt += 1
            let failure: RPCTransportError
            var retryAfter: Duration?
            do {
                var request = HTTPClientRequest(url: url)
                request.method = .POST
                request.headers.add(name: "Content-Type", value: "application/json")
                request.headers.add(name: "Accept", value: "application/json")
                for (name, value) in configuration.headers { request.headers.replaceOrAdd(name: name, value: value) }
                request.body = .bytes(ByteBuffer(bytes: body))
                let timeout = configuration.requestTimeout
                let response = try await httpClient.execute(
                    request, deadline: .now() + .nanoseconds(Int64(timeout.seconds * 1e9)), logger: logger)
                let status = response.status
                if status == .tooManyRequests || status == .serviceUnavailable {
                    // The server refused the request without running it: safe to resend any method.
                    retryAfter = response.headers.first(name: "Retry-After").flatMap(Double.init).map {
                        Duration.nanoseconds(Int64($0 * 1e9))
                    }
                    _ = try? await response.body.collect(upTo: 64 << 10)
                    failure = RPCTransportError(
                        url: url, kind: .httpStatus, reason: "HTTP \(status.code) \(status.reasonPhrase)",
                        method: label, httpStatus: Int(status.code), notDelivered: true)
                } else {
                    let bytes = try await response.body.collect(upTo: configuration.maxResponseBytes)
                    // Some nodes put JSON-RPC errors in 4xx/5xx answers: let the caller read the body
                    // when it is JSON, report the status otherwise.
                    if (200..<300).contains(status.code) || Self.looksLikeJSON(bytes) {
                        return Data(bytes.readableBytesView)
                    }
                    let statusError = RPCTransportError(
                        url: url, kind: .httpStatus,
                        reason: "HTTP \(status.code) \(status.reasonPhrase): \(Self.snippet(bytes))",
                        method: label, httpStatus: Int(status.code), notDelivered: false)
                    // A gateway that lost its upstream (502/504) is transient, but the upstream may
                    // have run the request: retried only when the method is safe to repeat.
                    guard status == .badGateway || status == .gatewayTimeout else { throw statusError }
                    failure = statusError
                }
            } catch let error as RPCTransportError {
                throw error
            } catch let error as CancellationError {
                throw error
            } catch is NIOTooManyBytesError {
                throw RPCTransportError(
                    url: url, kind: .invalidResponse,
                    reason: "answer larger than \(configuration.maxResponseBytes) bytes (maxResponseBytes)",
                    method: label, notDelivered: false)
            } catch {
                failure = classify(error, label: label)
            }

            guard attempt < configuration.retry.maxAttempts, failure.notDelivered || repeatable else {
                throw failure.with(attempts: attempt)
            }
            let delay = configuration.retry.backoff(beforeRetry: attempt, retryAfter: retryAfter)
            logger.debug("retrying JSON-RPC request", metadata: [
                "url": "\(url)", "method": "\(label)", "attempt": "\(attempt)", "reason": "\(failure.reason)",
                "delay_ms": "\(Int(delay.seconds * 1000))",
            ])
            try await Task.sleep(for: delay)
        }
    }

    /// Maps an HTTP-layer error to what it means for the request: could it have been delivered?
    private func classify(_ error: any Error, label: String) -> RPCTransportError {
        func make(_ kind: RPCTransportError.Kind, _ reason: String, notDelivered: Bool) -> RPCTransportError {
            RPCTransportError(url: url, kind: kind, reason: reason, method: label, notDelivered: notDelivered)
        }
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout, .getConnectionFromPoolTimeout, .tlsHandshakeTimeout,
                 .socksHandshakeTimeout, .httpProxyHandshakeTimeout:
                return make(.unreachable, "connect timed out", notDelivered: true)
            case .deadlineExceeded, .readTimeout, .writeTimeout:
                return make(.timedOut, "no answer within \(Self.format(configuration.requestTimeout))", notDelivered: false)
            case .remoteConnectionClosed:
                return make(.connectionLost, "the server closed the connection", notDelivered: false)
            case .invalidURL, .emptyHost, .emptyScheme:
                return make(.invalidURL, "\(error)", notDelivered: true)
            default:
                return make(.connectionLost, "\(error)", notDelivered: false)
            }
        }
        if case ChannelError.connectTimeout = error {
            return make(.unreachable, "connect timed out", notDelivered: true)
        }
        // NIOPosix's NIOConnectionError (not importable from here) wraps every failure to establish a
        // connection: DNS errors and per-address connect errors. Nothing was sent in any of them.
        let isConnectFailure = String(describing: type(of: error)).contains("ConnectionError")
        if let ioError = Self.findIOError(in: error, depth: 0) {
            let reason = Self.errnoReason(ioError.errnoCode)
            let refused = [ECONNREFUSED, ENETUNREACH, EHOSTUNREACH, EADDRNOTAVAIL].contains(ioError.errnoCode)
            return make(refused || isConnectFailure ? .unreachable : .connectionLost, reason,
                        notDelivered: refused || isConnectFailure)
        }
        if isConnectFailure {
            let text = "\(error)"
            let reason = text.contains("DNS") ? "host name could not be resolved" : text
            return make(.unreachable, reason, notDelivered: true)
        }
        return make(.connectionLost, "\(error)", notDelivered: false)
    }

    private static func findIOError(in value: Any, depth: Int) -> IOError? {
        if let ioError = value as? IOError { return ioError }
        guard depth < 5 else { return nil }
        for child in Mirror(reflecting: value).children {
            if let found = findIOError(in: child.value, depth: depth + 1) { return found }
        }
        return nil
    }

    private static func errnoReason(_ code: CInt) -> String {
        switch code {
        case ECONNREFUSED: return "connection refused"
        case ECONNRESET: return "connection reset by peer"
        case ENETUNREACH: return "network unreachable"
        case EHOSTUNREACH: return "host unreachable"
        case ETIMEDOUT: return "connection timed out"
        default: return String(cString: strerror(code)).lowercased()
        }
    }

    private static func format(_ duration: Duration) -> String {
        let seconds = duration.seconds
        return seconds == seconds.rounded() ? "\(Int(seconds)) s" : "\(seconds) s"
    }

    private static func looksLikeJSON(_ bytes: ByteBuffer) -> Bool {
        looksLikeJSON(Data(bytes.readableBytesView))
    }

    private static func looksLikeJSON(_ bytes: Data) -> Bool {
        guard let first = bytes.first(where: { ![0x20, 0x09, 0x0a, 0x0d].contains($0) }) else {
            return false
        }
        return first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
    }

    private static func snippet(_ bytes: ByteBuffer) -> String {
        snippet(Data(bytes.readableBytesView))
    }

    private static func snippet(_ bytes: Data) -> String {
        let text = String(decoding: bytes.prefix(200), as: UTF8.self)
        let line = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return line.isEmpty ? "empty body" : line
    }

    private func invalidResponse(method: String, bytes: Data, error: any Error, typeName: String) -> RPCTransportError {
        let reason: String
        if error is DecodingError, !Self.looksLikeJSON(bytes) {
            reason = "not JSON: \(Self.snippet(bytes))"
        } else {
            reason = describeDecodingError(error, typeName: typeName)
        }
        return RPCTransportError(url: url, kind: .invalidResponse, reason: reason, method: method, notDelivered: false)
    }
}

// MARK: Envelopes

private struct RequestEnvelope<Params: Encodable>: Encodable {
    let jsonrpc = "2.0"
    let id: UInt64
    let method: String
    let params: Params

    init(id: UInt64, method: String, params: Params) {
        self.id = id
        self.method = method
        self.params = params
    }
}

/// A response to a single request: either `result` decoded as `R`, or the error object.
private struct ResponseEnvelope<R: Decodable>: Decodable {
    let id: JSONValue?
    let outcome: Result<R, JSONRPCError>

    enum CodingKeys: String, CodingKey { case id, result, error }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decodeIfPresent(JSONValue.self, forKey: .id)
        if let error = try container.decodeIfPresent(JSONRPCError.self, forKey: .error) {
            outcome = .failure(error)
        } else if container.contains(.result) {
            outcome = .success(try container.decode(R.self, forKey: .result))
        } else {
            throw DecodingError.keyNotFound(
                CodingKeys.result, .init(codingPath: [], debugDescription: "neither result nor error in the answer"))
        }
    }
}

private struct BatchItemEnvelope: Decodable {
    let id: JSONValue?
    let result: JSONValue?
    let error: JSONRPCError?
}
