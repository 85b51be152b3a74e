import Foundation

/// Several JSON-RPC requests sent as one HTTP request. Add requests, keep their handles, send the
/// batch with ``JSONRPCClient/send(_:)``, then read each result (or its own error) by handle.
///
/// ```swift
/// var batch = JSONRPCBatch()
/// let chain = batch.add(method: "eth_chainId", as: Quantity.self)
/// let head = batch.add(method: "eth_blockNumber", as: Quantity.self)
/// let answers = try await client.send(batch)
/// let chainID = try answers.result(chain)
/// ```
public struct JSONRPCBatch: Sendable {
    /// Refers to one request of a batch and knows the type its result decodes to.
    public struct Handle<Result: Decodable>: Sendable, Hashable {
        let index: Int
        public let method: String
    }

    struct Item: Sendable {
        let method: String
        let params: RPCParams
    }

    var items: [Item] = []

    public init() {}

    /// Number of requests in the batch.
    public var count: Int { items.count }

    /// Adds a request and returns the handle to read its result with.
    @discardableResult
    public mutating func add<Result: Decodable>(
        method: String, params: RPCParams = .none, as type: Result.Type = Result.self
    ) -> Handle<Result> {
        items.append(Item(method: method, params: params))
        return Handle(index: items.count - 1, method: method)
    }
}

/// The answers to a ``JSONRPCBatch``, matched to their requests by id (servers may reorder them).
public struct JSONRPCBatchResponse: Sendable {
    let url: String
    let outcomes: [Result<JSONValue, JSONRPCError>]

    /// The result of one request, decoded to its type; throws that request's own ``JSONRPCError``
    /// or an ``RPCTransportError`` of kind `.invalidResponse` when it has the wrong shape.
    public func result<R: Decodable>(_ handle: JSONRPCBatch.Handle<R>) throws -> R {
        guard outcomes.indices.contains(handle.index) else {
            throw RPCTransportError(
                url: url, kind: .invalidResponse, reason: "handle does not belong to this batch",
                method: handle.method, notDelivered: false)
        }
        switch outcomes[handle.index] {
        case .failure(let error):
            throw error
        case .success(let value):
            do {
                let data = try JSONEncoder().encode(value)
                return try JSONDecoder().decode(R.self, from: data)
            } catch {
                throw RPCTransportError(
                    url: url, kind: .invalidResponse, reason: describeDecodingError(error, typeName: String(describing: R.self)),
                    method: handle.method, notDelivered: false)
            }
        }
    }

    /// The error of one request, or nil when it succeeded.
    public func error<R>(_ handle: JSONRPCBatch.Handle<R>) -> JSONRPCError? {
        guard outcomes.indices.contains(handle.index), case .failure(let error) = outcomes[handle.index] else { return nil }
        return error
    }
}

/// One readable line for a decoding failure: which field and why.
func describeDecodingError(_ error: any Error, typeName: String) -> String {
    guard let decodingError = error as? DecodingError else { return "cannot decode \(typeName): \(error)" }
    func path(_ context: DecodingError.Context) -> String {
        let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return keys.isEmpty ? "" : " at \(keys.hasPrefix(".") ? String(keys.dropFirst()) : keys)"
    }
    switch decodingError {
    case .keyNotFound(let key, let context):
        return "cannot decode \(typeName): missing field \"\(key.stringValue)\"\(path(context))"
    case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
        return "cannot decode \(typeName)\(path(context)): \(context.debugDescription)"
    @unknown default:
        return "cannot decode \(typeName): \(error)"
    }
}
