import Foundation
import HTTPTypes
import Hummingbird
import Logging
import ModelRegistry
import NIOCore
import PlatformCore

/// The OCI Distribution v2 API on `aiplat serve`: `/v2/` (base check and token), blobs and
/// uploads, manifests, tags, referrers and the catalog. Routing, headers and credentials only;
/// every decision is ``RegistryService``'s.
struct RegistryRoutes: Sendable {
    let service: RegistryService

    /// The `service` value in token challenges.
    static let tokenService = "aiplat"

    func register<Context: RequestContext>(on router: Router<Context>) {
        router.get("/v2") { request, _ in await self.respond(request) { try await self.base(request) } }
        for method in [HTTPRequest.Method.get, .head, .post, .put, .patch, .delete] {
            router.on("/v2/**", method: method) { request, context in
                let components = context.parameters.getCatchAll()
                return await self.respond(request) { try await self.dispatch(request, components: components) }
            }
        }
    }

    // MARK: Dispatch

    private func dispatch(_ request: Request, components: [Substring]) async throws -> Response {
        let path = try RegistryRoutePath(components: components)
        switch (path, request.method) {
        case (.token, .get):
            return try await token(request)
        case (.catalog, .get):
            return try await catalog(request)
        case (.blob(let name, let digest), .get), (.blob(let name, let digest), .head):
            try await authorize(request, .pull, name)
            return try await getBlob(request, name, digest)
        case (.blob(let name, let digest), .delete):
            try await authorize(request, .delete, name)
            try await service.unlinkBlob(name, digest)
            return Response(status: .accepted, headers: [.contentLength: "0"])
        case (.uploads(let name), .post):
            let principal = try await authorize(request, .push, name)
            return try await startUpload(request, name, principal: principal)
        case (.upload(let name, let id), .patch):
            try await authorize(request, .push, name)
            return try await patchUpload(request, name, id: id)
        case (.upload(let name, let id), .put):
            try await authorize(request, .push, name)
            return try await finishUpload(request, name, id: id)
        case (.upload(let name, let id), .get):
            try await authorize(request, .push, name)
            let status = try await service.uploadStatus(name, id: id)
            return Response(status: .noContent, headers: uploadHeaders(status))
        case (.upload(let name, let id), .delete):
            try await authorize(request, .push, name)
            try await service.cancelUpload(name, id: id)
            return Response(status: .noContent)
        case (.manifest(let name, let reference), .get), (.manifest(let name, let reference), .head):
            try await authorize(request, .pull, name)
            return try await getManifest(request, name, reference)
        case (.manifest(let name, let reference), .put):
            let principal = try await authorize(request, .push, name)
            return try await putManifest(request, name, reference, actor: principal?.name ?? "anonymous")
        case (.manifest(let name, let reference), .delete):
            let principal = try await authorize(request, .delete, name)
            try await service.deleteManifest(name, reference: reference, actor: principal?.name ?? "anonymous")
            return Response(status: .accepted, headers: [.contentLength: "0"])
        case (.tags(let name), .get):
            try await authorize(request, .pull, name)
            return try await tags(request, name)
        case (.referrers(let name, let digest), .get):
            try await authorize(request, .pull, name)
            return try await referrers(request, name, digest)
        default:
            throw RegistryError(.unsupported, "\(request.method) is not supported on \(request.uri.path)")
        }
    }

    /// Runs `body`, turning registry and blob-store errors into OCI error responses; anything
    /// else goes on to the JSON error middleware (a 500 that names no internals).
    private func respond(_ request: Request, _ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch let error as RegistryError {
            var headers: HTTPFields = [:]
            if error.code == .unauthorized {
                headers[.wwwAuthenticate] = challenge(request)
                headers[.dockerDistributionAPIVersion] = "registry/2.0"
            }
            return RegistryHTTPError.response(error, headers: headers)
        } catch let error as BlobStoreError where error.code != .io {
            if let translated = RegistryService.translate(error) as? RegistryError {
                return RegistryHTTPError.response(translated)
            }
            return internalError(request, error)
        } catch {
            return internalError(request, error)
        }
    }

    private func internalError(_ request: Request, _ error: any Error) -> Response {
        service.logger.error("registry request failed", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
        var response = RegistryHTTPError.response(
            RegistryError(.unknown, "internal error while handling \(request.method) \(request.uri.path)"))
        response.status = .internalServerError
        return response
    }

    // MARK: Auth

    /// The principal of the request's key (nil without credentials).
    /// - Throws: `UNAUTHORIZED` for a malformed header or an unknown or revoked key.
    func principal(_ request: Request) async throws -> RegistryPrincipal? {
        switch RegistryCredentials(request.headers) {
        case .none, .anonymousToken:
            return nil
        case .malformed:
            throw RegistryError(.unauthorized, "the Authorization header must be Bearer KEY or Basic with the key as password")
        case .key(let credential):
            return try await service.authenticate(credential: credential)
        }
    }

    @discardableResult
    func authorize(_ request: Request, _ action: RegistryAction, _ name: RepositoryName) async throws -> RegistryPrincipal? {
        let principal = try await principal(request)
        try service.authorize(principal, action, on: name)
        return principal
    }

    /// `WWW-Authenticate` for a 401: the token flow, with the scope the request needed.
    private func challenge(_ request: Request) -> String {
        let host = request.head.authority ?? "127.0.0.1"
        let scheme = request.headers[HTTPField.Name("X-Forwarded-Proto")!] ?? "http"
        var value = "Bearer realm=\"\(scheme)://\(host)/v2/token\",service=\"\(Self.tokenService)\""
        let components = request.uri.path.split(separator: "/").dropFirst()
        if let path = try? RegistryRoutePath(components: Array(components)) {
            switch path {
            case .uploads(let name), .upload(let name, _), .blob(let name, _), .manifest(let name, _), .tags(let name),
                .referrers(let name, _):
                let actions = request.method == .get || request.method == .head ? "pull" : "pull,push"
                value += ",scope=\"repository:\(name):\(actions)\""
            default:
                break
            }
        }
        return value
    }

    /// `GET /v2/`: 200 for a valid key (or none where anonymous pull exists), else 401 with the challenge.
    private func base(_ request: Request) async throws -> Response {
        let principal = try await principal(request)
        let anonymous = RegistryCredentials(request.headers) == .anonymousToken
        if principal == nil && !anonymous && service.anonymousPull.isEmpty {
            throw RegistryError(.unauthorized, "authentication required")
        }
        return json(Data("{}".utf8), headers: [.dockerDistributionAPIVersion: "registry/2.0"])
    }

    /// `GET /v2/token?scope=...&service=aiplat`: the token flow. Basic credentials (any user, the
    /// API key as password) or a Bearer key get a short-lived signed token granting the requested
    /// scopes the key holds (``RegistryService/issueToken(key:scopes:)``); without credentials, an
    /// anonymous token that can pull what anonymous callers may.
    private func token(_ request: Request) async throws -> Response {
        struct TokenResponse: Encodable {
            let token: String
            let access_token: String
            let expires_in: Int64
            let issued_at: String
        }
        let body: TokenResponse
        switch RegistryCredentials(request.headers) {
        case .none, .anonymousToken:
            let token = RegistryCredentials.anonymousTokenValue
            body = TokenResponse(
                token: token, access_token: token, expires_in: service.tokens.lifetime, issued_at: LogTimestamp.now())
        case .malformed:
            throw RegistryError(.unauthorized, "the Authorization header must be Basic with the key as password")
        case .key(let key):
            // `scope` may repeat, and one value may hold several scopes separated by spaces.
            let scopes = request.uri.queryParameters.getAll("scope").flatMap { $0.split(separator: " ").map(String.init) }
            let issued = try await service.issueToken(key: key, scopes: scopes)
            body = TokenResponse(token: issued.token, access_token: issued.token, expires_in: issued.expiresIn, issued_at: issued.issuedAt)
        }
        return json(try Self.encoder.encode(body))
    }

    // MARK: Catalog, tags, referrers

    private func catalog(_ request: Request) async throws -> Response {
        let principal = try await principal(request)
        if principal == nil && service.anonymousPull.isEmpty {
            throw RegistryError(.unauthorized, "authentication required to list repositories")
        }
        let (limit, last) = try pagination(request)
        let service = self.service
        let names = try await service.catalog(limit: limit, after: last) { service.canPull(principal, $0) }
        var headers: HTTPFields = [:]
        if let limit, names.count == limit, let lastName = names.last {
            headers[.registryLink] = "</v2/_catalog?n=\(limit)&last=\(lastName)>; rel=\"next\""
        }
        struct Catalog: Encodable { let repositories: [String] }
        return json(try Self.encoder.encode(Catalog(repositories: names)), headers: headers)
    }

    private func tags(_ request: Request, _ name: RepositoryName) async throws -> Response {
        let (limit, last) = try pagination(request)
        let tags = try await service.tags(name, limit: limit, after: last)
        var headers: HTTPFields = [:]
        if let limit, tags.count == limit, let lastTag = tags.last {
            headers[.registryLink] = "</v2/\(name)/tags/list?n=\(limit)&last=\(lastTag)>; rel=\"next\""
        }
        struct TagList: Encodable {
            let name: String
            let tags: [String]
        }
        return json(try Self.encoder.encode(TagList(name: name.value, tags: tags)), headers: headers)
    }

    private func pagination(_ request: Request) throws -> (limit: Int?, last: String?) {
        let query = request.uri.queryParameters
        var limit: Int?
        if let text = query["n"] {
            guard let value = Int(text), value >= 0 else {
                throw RegistryError(.sizeInvalid, "n must be a non-negative integer, got \"\(text.prefix(40))\"")
            }
            limit = min(value, 10_000)
        }
        return (limit, query["last"].map(String.init))
    }

    private func referrers(_ request: Request, _ name: RepositoryName, _ digest: BlobDigest) async throws -> Response {
        let artifactType = request.uri.queryParameters["artifactType"].map(String.init)
        let descriptors = try await service.referrers(name, subject: digest, artifactType: artifactType)
        struct Index: Encodable {
            let schemaVersion = 2
            let mediaType = ManifestMediaType.ociIndex
            let manifests: [OCIDescriptor]
        }
        var headers: HTTPFields = [.contentType: ManifestMediaType.ociIndex]
        if artifactType != nil { headers[HTTPField.Name("OCI-Filters-Applied")!] = "artifactType" }
        let data = try Self.encoder.encode(Index(manifests: descriptors))
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    // MARK: Helpers

    /// Sorted keys and unescaped slashes: repository names read as written, bodies are reproducible.
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return encoder
    }

    func json(_ data: Data, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension HTTPField.Name {
    static let dockerContentDigest = HTTPField.Name("Docker-Content-Digest")!
    static let dockerUploadUUID = HTTPField.Name("Docker-Upload-UUID")!
    static let ociSubject = HTTPField.Name("OCI-Subject")!
    static let dockerDistributionAPIVersion = HTTPField.Name("Docker-Distribution-API-Version")!
    static let registryLink = HTTPField.Name("Link")!
}
