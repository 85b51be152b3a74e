import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import PlatformCore

#if canImport(Glibc)
import Glibc
#endif

/// A client for an OCI Distribution v2 registry (ours or any other): blobs with chunked, resumable
/// uploads and ranged, verified downloads; manifests, tags and the catalog. The API key goes out as
/// `Authorization: Bearer KEY`.
public struct RegistryClient: Sendable {
    /// `http://host:port`, without a trailing slash.
    public let baseURL: String
    let apiKey: String?
    let httpClient: HTTPClient
    let logger: Logger
    /// Per-request deadline for small requests (blob bodies stream without one).
    let timeout: TimeAmount

    /// Connection failures are reported at once instead of being retried inside the pool until the
    /// deadline (a pull falls back to the cache when the registry is down), and connects time out after 5 s.
    public static func httpConfiguration() -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(5)
        return configuration
    }

    /// Shared by every client made without an explicit `HTTPClient`; a static is never shut down
    /// (like `HTTPClient.shared`).
    public static let sharedHTTPClient = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: httpConfiguration())

    /// `httpClient` defaults to ``sharedHTTPClient``.
    public init(
        baseURL: String, apiKey: String?, httpClient: HTTPClient = RegistryClient.sharedHTTPClient, logger: Logger,
        timeout: TimeAmount = .seconds(60)
    ) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.apiKey = apiKey.flatMap { $0.isEmpty ? nil : $0 }
        self.httpClient = httpClient
        self.logger = logger
        self.timeout = timeout
    }

    // MARK: Requests

    func url(_ pathOrURL: String) -> String {
        pathOrURL.hasPrefix("http://") || pathOrURL.hasPrefix("https://") ? pathOrURL : baseURL + pathOrURL
    }

    /// The key's `Authorization` header, then `extra`.
    func requestHeaders(_ extra: [(String, String)]) -> HTTPHeaders {
        var headers = HTTPHeaders()
        if let apiKey { headers.add(name: "Authorization", value: "Bearer \(apiKey)") }
        for (name, value) in extra { headers.add(name: name, value: value) }
        return headers
    }

    /// Sends a request and returns the response when its status is one of `expect`; otherwise throws
    /// the server's OCI error as a `RegistryClientError`.
    func send(
        _ method: HTTPMethod, _ path: String, headers: [(String, String)] = [], body: HTTPClientRequest.Body? = nil,
        expect: Set<Int>, deadline: TimeAmount? = nil
    ) async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: url(path))
        request.method = method
        request.headers = requestHeaders(headers)
        request.body = body
        let label = "\(method.rawValue) \(path)"
        let response: HTTPClientResponse
        do {
            response = try await httpClient.execute(request, timeout: deadline ?? timeout, logger: logger)
        } catch {
            throw RegistryClientError(status: 0, code: nil, message: "cannot reach \(baseURL): \(error)", request: label)
        }
        guard expect.contains(Int(response.status.code)) else {
            let bytes = (try? await response.body.collect(upTo: 1 << 16)).map { Data($0.readableBytesView) } ?? Data()
            throw Self.error(status: Int(response.status.code), body: bytes, request: label)
        }
        return response
    }

    static func error(status: Int, body: Data, request: String) -> RegistryClientError {
        struct Envelope: Decodable {
            struct Item: Decodable {
                let code: String
                let message: String?
            }
            let errors: [Item]
        }
        if let envelope = try? JSONDecoder().decode(Envelope.self, from: body), let first = envelope.errors.first {
            return RegistryClientError(status: status, code: first.code, message: first.message ?? first.code, request: request)
        }
        let text = String(decoding: body.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let fallback: String
        switch status {
        case 401: fallback = "unauthorized"
        case 403: fallback = "denied"
        case 404: fallback = "not found"
        default: fallback = "no body"
        }
        return RegistryClientError(status: status, code: nil, message: text.isEmpty ? fallback : text, request: request)
    }

    /// Drains a response body that carries nothing we need (so the connection can be reused).
    func drain(_ response: HTTPClientResponse) async {
        _ = try? await response.body.collect(upTo: 1 << 20)
    }

    // MARK: Registry

    /// `GET /v2/`: reachable, and the key (if any) is valid.
    public func ping() async throws {
        await drain(try await send(.GET, "/v2/", expect: [200]))
    }

    /// Repositories the key may pull.
    public func catalog() async throws -> [String] {
        struct Catalog: Decodable { let repositories: [String] }
        let response = try await send(.GET, "/v2/_catalog?n=10000", expect: [200])
        let body = try await response.body.collect(upTo: 64 << 20)
        return try JSONDecoder().decode(Catalog.self, from: Data(body.readableBytesView)).repositories
    }

    /// Tags of `repository`, lexical order.
    public func tags(_ repository: String) async throws -> [String] {
        struct Tags: Decodable { let tags: [String]? }
        let response = try await send(.GET, "/v2/\(repository)/tags/list?n=10000", expect: [200])
        let body = try await response.body.collect(upTo: 64 << 20)
        return try JSONDecoder().decode(Tags.self, from: Data(body.readableBytesView)).tags ?? []
    }

    // MARK: Manifests

    /// A manifest as the registry serves it.
    public struct FetchedManifest: Sendable {
        public let bytes: Data
        public let mediaType: String
        public let digest: BlobDigest
    }

    /// Fetches a manifest by tag or digest and checks its bytes hash to the digest (the one asked
    /// for, or the `Docker-Content-Digest` the server sent).
    public func manifest(_ repository: String, reference: String, maxBytes: Int = 4 << 20) async throws -> FetchedManifest {
        let accept = [ModelPackMediaType.manifestArtifact, ManifestMediaType.ociManifest, ManifestMediaType.ociIndex, ManifestMediaType.dockerManifest]
        let path = "/v2/\(repository)/manifests/\(reference)"
        let response = try await send(.GET, path, headers: [("Accept", accept.joined(separator: ", "))], expect: [200])
        let bytes = Data(try await response.body.collect(upTo: maxBytes).readableBytesView)
        let digest = BlobDigest.of([UInt8](bytes))
        let claimed = reference.hasPrefix("sha256:") ? reference : response.headers.first(name: "Docker-Content-Digest")
        if let claimed, claimed != digest.description {
            throw RegistryClientError(status: 200, code: "DIGEST_INVALID", message: "manifest bytes hash to \(digest), not \(claimed)", request: "GET \(path)")
        }
        return FetchedManifest(
            bytes: bytes, mediaType: response.headers.first(name: "Content-Type") ?? ManifestMediaType.ociManifest, digest: digest)
    }

    /// Puts a manifest under a tag or its digest; returns the digest the registry reports.
    @discardableResult
    public func putManifest(_ repository: String, reference: String, bytes: Data, mediaType: String) async throws -> String {
        let response = try await send(
            .PUT, "/v2/\(repository)/manifests/\(reference)", headers: [("Content-Type", mediaType)],
            body: .bytes(ByteBuffer(bytes: bytes)), expect: [201])
        await drain(response)
        return response.headers.first(name: "Docker-Content-Digest") ?? BlobDigest.of([UInt8](bytes)).description
    }

    /// Deletes a manifest (a tag, or by digest the manifest and its tags).
    public func deleteManifest(_ repository: String, reference: String) async throws {
        await drain(try await send(.DELETE, "/v2/\(repository)/manifests/\(reference)", expect: [202, 200, 204]))
    }

    // MARK: Blobs

    /// The size of a blob the repository serves, or nil when it does not.
    public func blobSize(_ repository: String, _ digest: BlobDigest) async throws -> Int64? {
        let response = try await send(.HEAD, "/v2/\(repository)/blobs/\(digest)", expect: [200, 404])
        await drain(response)
        guard response.status.code == 200 else { return nil }
        return response.headers.first(name: "Content-Length").flatMap { Int64($0) } ?? 0
    }

    /// Uploads a small blob in one request (`POST ?digest=`); a registry that answers with a session
    /// instead (202, as distribution 2.8 does) gets the bytes in one `PUT` to the session.
    public func pushBlob(_ repository: String, bytes: Data, digest: BlobDigest) async throws {
        let response = try await send(
            .POST, "/v2/\(repository)/blobs/uploads/?digest=\(digest)", headers: [("Content-Type", "application/octet-stream")],
            body: .bytes(ByteBuffer(bytes: bytes)), expect: [201, 202])
        await drain(response)
        guard response.status.code == 202 else { return }
        guard let location = response.headers.first(name: "Location") else {
            throw RegistryClientError(status: 202, code: nil, message: "no Location header", request: "POST /v2/\(repository)/blobs/uploads/")
        }
        let separator = location.contains("?") ? "&" : "?"
        await drain(try await send(
            .PUT, "\(location)\(separator)digest=\(digest)", headers: [("Content-Type", "application/octet-stream")],
            body: .bytes(ByteBuffer(bytes: bytes)), expect: [201]))
    }

    /// Links a blob `source` holds into `repository` without moving bytes; false when the registry
    /// opened an upload session instead (it could not mount).
    public func mountBlob(_ repository: String, _ digest: BlobDigest, from source: String) async throws -> Bool {
        let response = try await send(.POST, "/v2/\(repository)/blobs/uploads/?mount=\(digest)&from=\(source)", expect: [201, 202])
        await drain(response)
        if response.status.code == 202, let location = response.headers.first(name: "Location") {
            await drain(try await send(.DELETE, location, expect: [204, 200, 404]))
        }
        return response.status.code == 201
    }

    /// Opens an upload session; returns its location.
    public func startUpload(_ repository: String) async throws -> String {
        let response = try await send(.POST, "/v2/\(repository)/blobs/uploads/", expect: [202])
        await drain(response)
        guard let location = response.headers.first(name: "Location") else {
            throw RegistryClientError(status: 202, code: nil, message: "no Location header", request: "POST /v2/\(repository)/blobs/uploads/")
        }
        return location
    }

    /// How many bytes an open upload holds, or nil when the registry no longer knows it.
    /// The `Range: 0-N` convention cannot tell 0 bytes from 1: "0-0" reads as 0, and an append
    /// at 0 that the server refuses (416) is retried at 1 by `uploadFile`.
    public func uploadedBytes(_ location: String) async throws -> Int64? {
        let response = try await send(.GET, location, expect: [204, 200, 404])
        await drain(response)
        guard response.status.code != 404 else { return nil }
        guard let range = response.headers.first(name: "Range"), let end = range.split(separator: "-").last.flatMap({ Int64($0) }) else {
            return 0
        }
        return end == 0 ? 0 : end + 1
    }

    /// Uploads `file` as a blob through a chunked session, resuming `resume` (an upload location
    /// from an interrupted run) when the registry still knows it: only the bytes it lacks are sent.
    /// `onLocation` is called with the session's location before the first byte moves (store it to
    /// resume later); `progress` with the bytes sent so far. Returns the bytes sent by this call.
    public func uploadFile(
        _ repository: String, file: URL, size: Int64, digest: BlobDigest, resume: String?, chunkSize: Int = 16 << 20,
        maxBytesPerSecond: Int64? = nil,
        onLocation: @Sendable (String, Int64) throws -> Void, progress: @Sendable (Int64) -> Void
    ) async throws -> Int64 {
        var location: String
        var offset: Int64
        if let resume, let held = try await uploadedBytes(resume), held <= size {
            location = resume
            offset = held
        } else {
            location = try await startUpload(repository)
            offset = 0
        }
        try onLocation(location, offset)
        let handle = try FileHandle(forReadingFrom: file)
        defer { try? handle.close() }
        var sent: Int64 = 0
        var retriedOne = false
        let started = ContinuousClock.now
        while offset < size {
            let count = Int(min(Int64(chunkSize), size - offset))
            try handle.seek(toOffset: UInt64(offset))
            guard let data = try handle.read(upToCount: count), data.count == count else {
                throw RegistryClientError(status: 0, code: nil, message: "\(file.path) changed while it was uploaded", request: "PATCH \(location)")
            }
            let response: HTTPClientResponse
            do {
                response = try await send(
                    .PATCH, location,
                    headers: [("Content-Type", "application/octet-stream"), ("Content-Range", "\(offset)-\(offset + Int64(count) - 1)")],
                    body: .bytes(ByteBuffer(bytes: data)), expect: [202], deadline: .seconds(600))
            } catch let error as RegistryClientError where error.status == 416 && offset == 0 && !retriedOne {
                // "Range: 0-0" meant one byte held, not none.
                retriedOne = true
                offset = 1
                continue
            }
            await drain(response)
            if let next = response.headers.first(name: "Location") { location = next }
            offset += Int64(count)
            sent += Int64(count)
            progress(offset)
            try onLocation(location, offset)
            if let maxBytesPerSecond, maxBytesPerSecond > 0 {
                // Throttle for tests and shared links: sleep until the average rate is back under the cap.
                let due = Duration.seconds(Double(sent) / Double(maxBytesPerSecond))
                let elapsed = ContinuousClock.now - started
                if due > elapsed { try await Task.sleep(for: due - elapsed) }
            }
        }
        let separator = location.contains("?") ? "&" : "?"
        await drain(try await send(.PUT, "\(location)\(separator)digest=\(digest)", expect: [201]))
        return sent
    }

    /// Downloads a blob into `partial`, continuing a partial file by `Range`, and checks the whole
    /// file hashes to `digest` (a mismatch deletes the file). Returns the bytes fetched by this call.
    ///
    /// One pass over the bytes: the event loop copies each piece into 4 MiB batches, which are
    /// hashed and written (`O_DIRECT` where the file system has it) on two other threads
    /// (``BlobDownloadSink``). A transfer that breaks off keeps what arrived, for the next run.
    /// The file is not fsynced: it is a cache entry whose bytes are re-hashed before any later use,
    /// so a crash that loses part of it can only cost a download, never hand out wrong bytes.
    public func downloadBlob(
        _ repository: String, _ digest: BlobDigest, to partial: URL, progress: @escaping @Sendable (Int64) -> Void
    ) async throws -> Int64 {
        var hasher = SHA256Hasher()
        var held: Int64 = 0
        if FileManager.default.fileExists(atPath: partial.path) {
            // Re-hash what an earlier run left, so the final check covers every byte.
            let existing = try FileHandle(forReadingFrom: partial)
            while let chunk = try existing.read(upToCount: 4 << 20), !chunk.isEmpty {
                hasher.update(chunk)
                held += Int64(chunk.count)
            }
            try existing.close()
        }
        let path = "/v2/\(repository)/blobs/\(digest)"
        let label = "GET \(path)"
        let headers = requestHeaders(held > 0 ? [("Range", "bytes=\(held)-")] : [])
        let request: HTTPClient.Request
        do {
            request = try HTTPClient.Request(url: url(path), method: .GET, headers: headers)
        } catch {
            throw RegistryClientError(status: 0, code: nil, message: "invalid registry URL \(baseURL): \(error)", request: label)
        }
        let delegate = BlobDownloadDelegate(partial: partial.path, held: held, heldHasher: hasher, progress: progress)
        let outcome: BlobDownloadDelegate.Outcome
        do {
            outcome = try await httpClient.execute(request: request, delegate: delegate, deadline: .now() + .hours(24), logger: logger).get()
        } catch {
            // Keep what arrived for a resume, and let no write outlive this call.
            _ = try? await delegate.sink?.finish()
            if let error = error as? DownloadWriteError {
                throw RegistryClientError(status: 0, code: nil, message: error.description, request: label)
            }
            throw RegistryClientError(status: 0, code: nil, message: "cannot download from \(baseURL): \(error)", request: label)
        }
        let got: BlobDigest
        var fetched: Int64 = 0
        if let sink = delegate.sink {
            do {
                got = BlobDigest(try await sink.finish())
            } catch {
                throw RegistryClientError(status: 0, code: nil, message: error.description, request: label)
            }
            fetched = sink.written - (outcome.status == 206 ? held : 0)
            progress(sink.written)
        } else if outcome.status == 416 {
            // The registry says we hold the whole blob (or more: the check below catches that).
            got = BlobDigest(hasher.finalize())
        } else {
            throw Self.error(status: outcome.status, body: outcome.body, request: label)
        }
        guard got == digest else {
            try? FileManager.default.removeItem(at: partial)
            throw RegistryClientError(status: outcome.status, code: "DIGEST_INVALID", message: "downloaded bytes hash to \(got), not \(digest); the partial file was removed, pull again", request: label)
        }
        return fetched
    }
}
