import Foundation
import Synchronization

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The handful of S3 calls the blob store needs, signed with SigV4, over URLSession.
final class S3Client: Sendable {
    let configuration: S3Configuration
    private let signer: SigV4Signer
    private let session: URLSession
    /// Request and response body bytes moved so far (what a transfer through this process costs).
    let payloadBytes = Mutex<(sent: Int64, received: Int64)>((0, 0))

    struct Response {
        let status: Int
        /// Header names lowercased.
        let headers: [String: String]
        let body: Data
    }

    init(configuration: S3Configuration) {
        self.configuration = configuration
        self.signer = SigV4Signer(
            accessKeyID: configuration.accessKeyID, secretAccessKey: configuration.secretAccessKey, region: configuration.region)
        let sessionConfiguration = URLSessionConfiguration.ephemeral
        sessionConfiguration.timeoutIntervalForRequest = 120
        self.session = URLSession(configuration: sessionConfiguration)
    }

    /// Sends one request for `key` (nil: the bucket itself) and returns the response, whatever its status.
    func send(
        _ method: String, key: String?, query: [(String, String)] = [], headers: [String: String] = [:], body: Data? = nil
    ) async throws -> Response {
        guard let endpoint = URLComponents(string: configuration.endpoint), let scheme = endpoint.scheme, let host = endpoint.host else {
            throw BlobStoreError(.io, "invalid S3 endpoint \(configuration.endpoint): expected scheme://host[:port]")
        }
        let hostHeader: String
        var path: String
        if configuration.pathStyle {
            hostHeader = endpoint.port.map { "\(host):\($0)" } ?? host
            path = "/" + SigV4Signer.encode(configuration.bucket)
            if let key { path += "/" + SigV4Signer.encode(key, keepingSlashes: true) }
        } else {
            hostHeader = "\(configuration.bucket).\(host)" + (endpoint.port.map { ":\($0)" } ?? "")
            path = "/" + (key.map { SigV4Signer.encode($0, keepingSlashes: true) } ?? "")
        }
        let queryString = query.map { SigV4Signer.encode($0.0) + "=" + SigV4Signer.encode($0.1) }.joined(separator: "&")
        guard let url = URL(string: "\(scheme)://\(hostHeader)\(path)" + (queryString.isEmpty ? "" : "?" + queryString)) else {
            throw BlobStoreError(.io, "cannot build an S3 URL for key \(key ?? "")")
        }
        let payloadHash = body.map { SHA256Hasher.hash($0).hex } ?? SigV4Signer.emptyPayloadHash
        var toSign = headers
        toSign["host"] = hostHeader
        let authorization = signer.sign(
            method: method, path: path, query: query, headers: toSign, payloadHash: payloadHash, date: Date())
        var request = URLRequest(url: url)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        for (name, value) in authorization { request.setValue(value, forHTTPHeaderField: name) }
        let data: Data
        let response: URLResponse
        do {
            if let body {
                (data, response) = try await session.upload(for: request, from: body)
            } else {
                (data, response) = try await session.data(for: request)
            }
        } catch {
            throw BlobStoreError(.io, "S3 \(method) \(key ?? configuration.bucket) failed: \(error.localizedDescription)")
        }
        payloadBytes.withLock {
            $0.sent += Int64(body?.count ?? 0)
            $0.received += Int64(data.count)
        }
        guard let http = response as? HTTPURLResponse else {
            throw BlobStoreError(.io, "S3 \(method) \(key ?? configuration.bucket): no HTTP response")
        }
        var lowered: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { lowered[name.lowercased()] = value }
        }
        return Response(status: http.statusCode, headers: lowered, body: data)
    }

    /// Attempts per request: S3 answers 500/503 now and then (and under load), and every S3 SDK
    /// retries those with a short backoff.
    static let attempts = 4

    /// Like ``send(_:key:query:headers:body:)``, but retries server errors, and a status outside
    /// 200...299 throws, naming the S3 error code and message.
    func expectSuccess(
        _ method: String, key: String?, query: [(String, String)] = [], headers: [String: String] = [:], body: Data? = nil
    ) async throws -> Response {
        var response = try await send(method, key: key, query: query, headers: headers, body: body)
        var attempt = 1
        while response.status >= 500, attempt < Self.attempts {
            try await Task.sleep(for: .milliseconds(100 << (2 * (attempt - 1))))
            attempt += 1
            response = try await send(method, key: key, query: query, headers: headers, body: body)
        }
        guard (200..<300).contains(response.status) else {
            let xml = S3XML(response.body)
            let code = xml.first("Code") ?? "HTTP \(response.status)"
            let message = xml.first("Message").map { ": \($0)" } ?? ""
            throw BlobStoreError(.io, "S3 \(method) \(key ?? configuration.bucket) failed with \(code)\(message)")
        }
        return response
    }

    /// Every object under `prefix`, with its size, in key order (ListObjectsV2, all pages).
    func list(prefix: String) async throws -> [(key: String, size: Int64)] {
        var objects: [(key: String, size: Int64)] = []
        var token: String?
        repeat {
            var query = [("list-type", "2"), ("prefix", prefix)]
            if let token { query.append(("continuation-token", token)) }
            let xml = S3XML(try await expectSuccess("GET", key: nil, query: query).body)
            let keys = xml.all("Key", inside: "Contents")
            let sizes = xml.all("Size", inside: "Contents").map { Int64($0) ?? 0 }
            objects += zip(keys, sizes).map { (key: $0, size: $1) }
            token = xml.first("IsTruncated") == "true" ? xml.first("NextContinuationToken") : nil
        } while token != nil
        return objects
    }
}
