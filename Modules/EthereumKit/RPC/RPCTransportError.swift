/// The RPC endpoint could not be talked to: nothing listening, a timeout, an HTTP error status,
/// or an answer that is not JSON-RPC. Names the URL and says whether the request provably never
/// reached the server (then resending it is safe, even for a transaction).
public struct RPCTransportError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure; compare with the static constants (new kinds may be added).
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Code: Hashable, Sendable { case unreachable, timedOut, connectionLost, httpStatus, invalidResponse, invalidURL }
        private let code: Code
        private init(_ code: Code) { self.code = code }

        /// Nothing accepted the connection (refused, unresolvable host, connect timeout).
        public static let unreachable = Kind(.unreachable)
        /// The server did not answer within the request timeout.
        public static let timedOut = Kind(.timedOut)
        /// The connection broke after the request may have been sent.
        public static let connectionLost = Kind(.connectionLost)
        /// The server answered with an HTTP error status and no JSON-RPC body.
        public static let httpStatus = Kind(.httpStatus)
        /// The body was not a JSON-RPC response, or the result had the wrong shape.
        public static let invalidResponse = Kind(.invalidResponse)
        /// The RPC URL itself is unusable.
        public static let invalidURL = Kind(.invalidURL)

        public var description: String {
            switch code {
            case .unreachable: return "unreachable"
            case .timedOut: return "timed out"
            case .connectionLost: return "connection lost"
            case .httpStatus: return "HTTP status"
            case .invalidResponse: return "invalid response"
            case .invalidURL: return "invalid URL"
            }
        }
    }

    public let url: String
    public let kind: Kind
    /// What went wrong, in a few words (`connection refused`, `HTTP 503 Service Unavailable`).
    public let reason: String
    /// The method (or `batch of N requests`) being sent.
    public let method: String
    /// The HTTP status, when the server answered one.
    public let httpStatus: Int?
    /// How many times the request was tried.
    public let attempts: Int
    /// True when the request provably never reached the server.
    public let notDelivered: Bool

    public init(
        url: String, kind: Kind, reason: String, method: String,
        httpStatus: Int? = nil, attempts: Int = 1, notDelivered: Bool
    ) {
        self.url = url
        self.kind = kind
        self.reason = reason
        self.method = method
        self.httpStatus = httpStatus
        self.attempts = attempts
        self.notDelivered = notDelivered
    }

    public var description: String {
        let tries = attempts > 1 ? " (after \(attempts) attempts)" : ""
        switch kind {
        case .unreachable: return "cannot reach RPC at \(url): \(reason)\(tries)"
        case .invalidResponse: return "invalid response from RPC at \(url) to \(method): \(reason)"
        case .invalidURL: return "invalid RPC URL \"\(url)\": \(reason)"
        default: return "RPC at \(url) failed on \(method): \(reason)\(tries)"
        }
    }

    func with(attempts: Int) -> RPCTransportError {
        RPCTransportError(
            url: url, kind: kind, reason: reason, method: method,
            httpStatus: httpStatus, attempts: attempts, notDelivered: notDelivered)
    }
}
