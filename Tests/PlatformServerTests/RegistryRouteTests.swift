import EthereumKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import ModelRegistry
import NIOCore
import PlatformCore
import Testing

@testable import PlatformServer

/// The OCI Distribution v2 endpoints, driven through the router: statuses, headers and OCI error
/// bodies, for the success paths and the failures clients meet.
@Suite struct RegistryRouteTests {
    /// A registry over a temporary directory with three keys: admin, pull-only and push on org/*.
    struct Harness {
        let directory: String
        let service: RegistryService
        let admin: String
        let reader: String
        let pusher: String

        /// The secret the harness's token issuer signs with, so a test can mint tokens the server accepts.
        static let tokenSecret = [UInt8](repeating: 0x5a, count: 32)

        static func make(anonymousPull: [String] = []) async throws -> Harness {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("aiplat-routes-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
            let database = try SQLiteDatabase(path: directory + "/aiplat.sqlite")
            try await RegistryService.migrate(database, logger: logger)
            let service = RegistryService(
                database: database, blobs: try LocalBlobStore(root: directory + "/blobs"),
                limits: RegistryLimits(maxBlobBytes: 1 << 20, maxManifestBytes: 64 << 10),
                anonymousPull: try anonymousPull.map(RepositoryPattern.init), tokens: RegistryTokenIssuer(secret: tokenSecret),
                logger: logger)
            return Harness(
                directory: directory, service: service,
                admin: try await service.keys.create(name: "admin", scopes: [try AccessScope(parsing: "admin:*")]),
                reader: try await service.keys.create(name: "reader", scopes: [try AccessScope(parsing: "pull:org/*")]),
                pusher: try await service.keys.create(name: "pusher", scopes: [try AccessScope(parsing: "push:org/*")]))
        }

        func test(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let application = PlatformApplication(
                host: "127.0.0.1", port: 0,
                dependencies: .init(
                    metrics: MetricsSetup(),
                    chain: try EthereumClient(url: "http://127.0.0.1:9", configuration: .init(requestTimeout: .seconds(1), retry: .none)),
                    registry: service),
                logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
            try await Application(router: application.makeRouter()).test(.router) { client in try await body(client) }
        }
    }

    static func bearer(_ key: String) -> HTTPFields { [.authorization: "Bearer \(key)"] }
    static func basic(_ key: String) -> HTTPFields {
        [.authorization: "Basic " + Data("anyone:\(key)".utf8).base64EncodedString()]
    }

    struct ErrorBody: Decodable {
        struct Entry: Decodable {
            let code: String
            let message: String
        }
        let errors: [Entry]
    }

    /// The OCI error code of a response body ("" when it has none).
    static func errorCode(_ response: TestResponse) -> String {
        (try? JSONDecoder().decode(ErrorBody.self, from: Data(Self.bytes(response))))?.errors.first?.code ?? ""
    }

    static func bytes(_ response: TestResponse) -> [UInt8] { Array(response.body.readableBytesView) }

    static func random(_ count: Int) -> [UInt8] {
        guard count > 0, let handle = FileHandle(forReadingAtPath: "/dev/urandom") else { return [] }
        defer { try? handle.close() }
        return Array(handle.readData(ofLength: count))
    }

    /// Pushes `bytes` monolithically with `key` and returns the digest.
    @discardableResult
    static func pushBlob(_ client: any TestClientProtocol, _ name: String, _ bytes: [UInt8], key: String) async throws -> BlobDigest {
        let digest = BlobDigest.of(bytes)
        let response = try await client.executeRequest(
            uri: "/v2/\(name)/blobs/uploads/?digest=\(digest)", method: .post, headers: bearer(key), body: ByteBuffer(bytes: bytes))
        #expect(response.status == .created, "\(String(buffer: response.body))")
        return digest
    }

    static func manifest(config: [UInt8], layers: [[UInt8]], subject: BlobDigest? = nil, subjectSize: Int = 0, artifactType: String? = nil)
        -> [UInt8]
    {
        func descriptor(_ type: String, _ bytes: [UInt8]) -> [String: Any] {
            ["mediaType": type, "digest": BlobDigest.of(bytes).description, "size": bytes.count]
        }
        var object: [String: Any] = [
            "schemaVersion": 2, "mediaType": ManifestMediaType.ociManifest,
            "config": descriptor("application/vnd.oci.image.config.v1+json", config),
            "layers": layers.map { descriptor("application/vnd.oci.image.layer.v1.tar", $0) },
        ]
        if let subject {
            object["subject"] = ["mediaType": ManifestMediaType.ociManifest, "digest": subject.description, "size": subjectSize]
        }
        if let artifactType { object["artifactType"] = artifactType }
        return Array(try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }

    // MARK: Base, auth, token

    @Test func theBaseCheckChallengesWithoutAKeyAndAcceptsBearerAndBasic() async throws {
        let harness = try await Harness.make()
        try await harness.test { client in
            let anonymous = try await client.executeRequest(uri: "/v2/", method: .get, headers: [:], body: nil)
            #expect(anonymous.status == .unauthorized)
            #expect(Self.errorCode(anonymous) == "UNAUTHORIZED")
            #expect(anonymous.headers[.wwwAuthenticate]?.hasPrefix("Bearer realm=\"http://") == true)
            #expect(anonymous.headers[.wwwAuthenticate]?.contains("/v2/token\",service=\"aiplat\"") == true)
            #expect(try await client.executeRequest(uri: "/v2/", method: .get, headers: Self.bearer(harness.reader), body: nil).status == .ok)
            #expect(try await client.executeRequest(uri: "/v2/", method: .get, headers: Self.basic(harness.reader), body: nil).status == .ok)
            let wrong = try await client.executeRequest(uri: "/v2/", method: .get, headers: Self.bearer("aiplat_nope"), body: nil)
            #expect(wrong.status == .unauthorized)
            let garbage = try await client.executeRequest(uri: "/v2/", method: .get, headers: [.authorization: "Digest x"], body: nil)
            #expect(garbage.status == .unauthorized)
        }
    }

    @Test func theTokenFlowTurnsBasicCredentialsIntoABearerToken() async throws {
        let harness = try await Harness.make()
        try await harness.test { client in
            let response = try await client.executeRequest(
                uri: "/v2/token?service=aiplat&scope=repository:org/model:pull,push", method: .get, headers: Self.basic(harness.pusher),
                body: nil)
            #expect(response.status == .ok)
            let token = try JSONDecoder().decode([String: AnyCodable].self, from: Data(Self.bytes(response)))["token"]?.string
            let bearer = try #require(token)
            try await Self.pushBlob(client, "org/model", [1, 2, 3], key: bearer)
            let rejected = try await client.executeRequest(uri: "/v2/token", method: .get, headers: Self.basic("aiplat_bad"), body: nil)
            #expect(rejected.status == .unauthorized)
            // Without credentials the token is anonymous: it pulls nothing here.
            let anonymous = try await client.executeRequest(uri: "/v2/token", method: .get, headers: [:], body: nil)
            #expect(anonymous.status == .ok)
            let anonymousToken = try JSONDecoder().decode([String: AnyCodable].self, from: Data(Self.bytes(anonymous)))["token"]?.string
            let pull = try await client.executeRequest(
                uri: "/v2/org/model/tags/list", method: .get, headers: Self.bearer(try #require(anonymousToken)), body: nil)
            #expect(pull.status == .unauthorized)
        }
    }

    struct TokenBody: Decodable {
        let token: String
        let access_token: String
        let expires_in: Int
        let issued_at: String
    }

    @Test func aTokenIsSignedShortLivedAndGrantsOnlyTheRequestedScopesTheKeyHolds() async throws {
        let harness = try await Harness.make()
        try await harness.test { client in
            let response = try await client.executeRequest(
                uri: "/v2/token?service=aiplat&scope=repository:org/model:pull,push,delete&scope=repository:other/x:pull",
                method: .get, headers: Self.basic(harness.pusher), body: nil)
            #expect(response.status == .ok)
            let body = try JSONDecoder().decode(TokenBody.self, from: Data(Self.bytes(response)))
            #expect(body.token.hasPrefix("aiplat-token.") && body.token != harness.pusher)
            #expect(body.access_token == body.token)
            #expect(body.expires_in == 300)
            #expect(ISO8601DateFormatter().date(from: body.issued_at) != nil, "\(body.issued_at)")
            let claims = try RegistryTokenIssuer(secret: Harness.tokenSecret).verify(body.token)
            // delete (the key lacks it) and other/x (outside push:org/*) were not granted.
            #expect(claims.access == [RegistryTokenIssuer.Grant(type: "repository", name: "org/model", actions: ["pull", "push"])])
            #expect(claims.sub == "pusher" && claims.exp - claims.iat == 300)

            // The token works for what it grants, and for nothing else the key could do.
            let config = Array("{}".utf8)
            try await Self.pushBlob(client, "org/model", config, key: body.token)
            let put = try await client.executeRequest(
                uri: "/v2/org/model/manifests/v1", method: .put, headers: Self.bearer(body.token),
                body: ByteBuffer(bytes: Self.manifest(config: config, layers: [])))
            #expect(put.status == .created)
            let elsewhere = try await client.executeRequest(
                uri: "/v2/org/another/blobs/uploads/?digest=\(BlobDigest.of([1]))", method: .post, headers: Self.bearer(body.token),
                body: ByteBuffer(bytes: [1]))
            #expect(elsewhere.status == .forbidden)
            #expect(Self.errorCode(elsewhere) == "DENIED")

            // Forged (another secret), tampered and expired tokens are 401 with the challenge.
            let principal = RegistryPrincipal(name: "pusher", scopes: [try AccessScope(parsing: "push:org/*")])
            let forged = RegistryTokenIssuer(secret: [UInt8](repeating: 1, count: 32))
                .issue(for: principal, keyHash: APIKeyStore.hash(harness.pusher), requested: ["repository:org/model:push"]).token
            let expired = RegistryTokenIssuer(secret: Harness.tokenSecret, now: { Int64(Date().timeIntervalSince1970) - 301 })
                .issue(for: principal, keyHash: APIKeyStore.hash(harness.pusher), requested: ["repository:org/model:push"]).token
            var tampered = Array(body.token)
            tampered[20] = tampered[20] == "A" ? "B" : "A"
            for bad in [forged, expired, String(tampered)] {
                let refused = try await client.executeRequest(uri: "/v2/org/model/tags/list", method: .get, headers: Self.bearer(bad), body: nil)
                #expect(refused.status == .unauthorized, "\(bad)")
                #expect(Self.errorCode(refused) == "UNAUTHORIZED")
                #expect(refused.headers[.wwwAuthenticate]?.hasPrefix("Bearer realm=") == true)
            }
            let expiredAnswer = try await client.executeRequest(uri: "/v2/", method: .get, headers: Self.bearer(expired), body: nil)
            #expect(String(buffer: expiredAnswer.body).contains("expired"))

            // A catalog token lists what the key may pull.
            let catalogToken = try JSONDecoder().decode(TokenBody.self, from: Data(Self.bytes(try await client.executeRequest(
                uri: "/v2/token?scope=registry:catalog:*", method: .get, headers: Self.basic(harness.pusher), body: nil)))).token
            let catalog = try await client.executeRequest(uri: "/v2/_catalog", method: .get, headers: Self.bearer(catalogToken), body: nil)
            #expect(catalog.status == .ok)
            #expect(String(buffer: catalog.body).contains("org/model"))

            // Revoking the key ends its tokens at once.
            #expect(try await harness.service.keys.revoke(name: "pusher"))
            let revoked = try await client.executeRequest(uri: "/v2/org/model/tags/list", method: .get, headers: Self.bearer(body.token), body: nil)
            #expect(revoked.status == .unauthorized)
            #expect(String(buffer: revoked.body).contains("revoked"))
        }
    }

    @Test func missingCredentialsAre401AndMissingScopesAre403() async throws {
        let harness = try await Harness.make(anonymousPull: ["public/*"])
        try await harness.test { client in
            let bytes: [UInt8] = [7, 7, 7]
            let digest = BlobDigest.of(bytes)
            let noKey = try await client.executeRequest(
                uri: "/v2/org/model/blobs/uploads/?digest=\(digest)", method: .post, headers: [:], body: ByteBuffer(bytes: bytes))
            #expect(noKey.status == .unauthorized)
            #expect(noKey.headers[.wwwAuthenticate]?.contains("scope=\"repository:org/model:pull,push\"") == true)
            let readerPush = try await client.executeRequest(
                uri: "/v2/org/model/blobs/uploads/?digest=\(digest)", method: .post, headers: Self.bearer(harness.reader),
                body: ByteBuffer(bytes: bytes))
            #expect(readerPush.status == .forbidden)
            #expect(Self.errorCode(readerPush) == "DENIED")
            let otherRepository = try await client.executeRequest(
                uri: "/v2/team/model/blobs/uploads/?digest=\(digest)", method: .post, headers: Self.bearer(harness.pusher),
                body: ByteBuffer(bytes: bytes))
            #expect(otherRepository.status == .forbidden)
            // Anonymous pull is allowed where configured, push still is not.
            try await Self.pushBlob(client, "public/model", bytes, key: harness.admin)
            let anonymousPull = try await client.executeRequest(uri: "/v2/public/model/blobs/\(digest)", method: .get, headers: [:], body: nil)
            #expect(anonymousPull.status == .ok)
            #expect(Self.bytes(anonymousPull) == bytes)
            let anonymousPush = try await client.executeRequest(uri: "/v2/public/model/blobs/uploads/", method: .post, headers: [:], body: nil)
            #expect(anonymousPush.status == .unauthorized)
            // Delete needs the delete scope, which push does not carry.
            try await Self.pushBlob(client, "org/model", bytes, key: harness.pusher)
            let pusherDelete = try await client.executeRequest(
                uri: "/v2/org/model/blobs/\(digest)", method: .delete, headers: Self.bearer(harness.pusher), body: nil)
            #expect(pusherDelete.status == .forbidden)
        }
    }

    // MARK: Blobs

    @Test func aMonolithicPushIsServedByHeadGetAndRanges() async throws {
        let harness = try await Harness.make()
        try await harness.test { client in
            let bytes = Self.random(10_000)
            let digest = try await Self.pushBlob(client, "org/model", bytes, key: harness.pusher)
            let auth = Self.bearer(harness.reader)
            let head = try await client.executeRequest(uri: "/v2/org/model/blobs/\(digest)", method: .head, headers: auth, body: nil)
            #expect(head.status == .ok)
            #expect(head.headers[.contentLength] == "10000")
            #expect(head.headers[.dockerContentDigest] == digest.description)
            #expect(head.body.readableBytes == 0)
            let get = try await client.executeRequest(uri: "/v2/org/model/blobs/\(digest)", method: .get, headers: auth, body: nil)
            #expect(Self.bytes(get) == bytes)
            var rangeHeaders = auth
            rangeHeaders[.range] = "bytes=100-199"
            let partial = try await client.executeRequest(uri: "/v2/org/model/blobs/\(digest)", method: .get, headers: rangeHeaders, body: nil)
            #expect(partial.status == .partialContent)
            #expect(partial.headers[.contentRange] == "bytes 100-199/10000")
            #expect(Self.bytes(partial) == Array(bytes[100..<200]))
            rangeHeaders[.range] = "bytes=9990-"
            let tail = try await client.executeRequest(uri: "/v2/org/model/blobs/\(digest)", method: .get, headers: rangeHeaders, body: nil)
            #expect(Self.bytes(tail) == Array(bytes[9990...]))
            rangeHeaders[.range] = "bytes=20000-"
            let outside = try await client.executeRequest(uri: "/v2/org/model/blobs/\(digest)", method: .get, headers: rangeHeaders, body: nil)
            #expect(outside.status == .rangeNotSatisfiable)
            #expect(outside.headers[.contentRange] == "bytes */10000")
        }
    }

    @Test func aChunkedUploadReportsItsRangeAndRefusesOutOfOrderChunks() async throws {
        let harness = try await Harness.make()
        try await harness.test { client in
            let auth = Self.bearer(harness.pusher)
            let bytes = Self.random(30_000)
            let start = try await client.executeRequest(uri: "/v2/org/model/blobs/uploads/", method: .post, headers: auth, body: nil)
            #expect(start.status == .accepted)
            let location = try #require(start.headers[.location])
            let uuid = try #require(start.headers[.dockerUploadUUID])
            #expect(location == "/v2/org/model/blobs/uploads/\(uuid)")
            #expect(start.headers[.range] == "0-0")

            var chunkHeaders = auth
            chunkHeaders[.contentRange] = "0-9999"
            let first = try await client.executeRequest(uri: location, method: .patch, headers: chunkHeaders, body: ByteBuffer(bytes: bytes[0..<10_000]))
            #expect(first.status == .accepted)
            #expect(first.headers[.range] == "0-9999")
            chunkHeaders[.contentRange] = "5000-14999"
            let outOfOrder = try await client.executeRequest(
                uri: location, method: .patch, headers: chunkHeaders, body: ByteBuffer(bytes: bytes[5000..<15_000]))
            #expect(outOfOrder.status == .rangeNotSatisfiable)
            chunkHeaders[.contentRange] = "10000-19999"
            _ = try await client.executeRequest(uri: location, method: .patch, headers: chunkHeaders, body: ByteBuffer(bytes: bytes[10_000..<20_000]))
            let status = try await client.executeRequest(uri: location, method: .get, headers: auth, body: nil)
            #expect(status.status == .noContent)
            #expect(status.headers[.range] == "0-19999")

            let digest = BlobDigest.of(bytes)
            let wrongDigest = BlobDigest.of([1])
            let refused = try await client.executeRequest(
                uri: location + "?digest=\(wrongDigest)", method: .put, headers: auth, body: ByteBuffer(bytes: bytes[20_000...]))
            #expect(refused.status == .badRequest)
            #expect(Self.errorCode(refused) == "DIGEST_INVALID")
            // The session went with its bytes.
            #expect(try await client.executeRequest(uri: location, method: .get, headers: auth, body: nil).status == .notFound)

            let again = try await client.executeRequest(uri: "/v2/org/model/blobs/uploads/", method: .post, headers: auth, body: nil)
            let retry = try #require(again.headers[.location])
            _ = try await client.executeRequest(uri: retry, method: .patch, headers: auth, body: ByteBuffer(bytes: bytes[0..<20_000]))
            let done = try await client.executeRequest(
                uri: retry + "?digest=\(digest)", method: .put, headers: auth, body: ByteBuffer(bytes: bytes[20_000...]))
            #expect(done.status == .created)
            #expect(done.headers[.location] == "/v2/org/model/blobs/\(digest)")
            #expect(done.headers[.dockerContentDigest] == digest.description)
            let get = try await client.executeRequest(uri: "/v2/org/model/blobs/\(digest)", method: .get, headers: auth, body: nil)
            #expect(Self.bytes(get) == bytes)
            let missingDigest = try await client.executeRequest(uri: retry, method: .put, headers: auth, body: nil)
            #expect(missingDigest.status == .badRequest || missingDigest.status == .notFound)
        }
    }

    @Test func crossRepositoryMountLinksAnExistingBlobWithoutUpload() async throws {
        let harness = try await Harness.make()
        try await harness.test { client in
            let digest = try await Self.pushBlob(client, "org/a", Self.random(500), key: harness.admin)
            let mounted = try await client.executeRequest(
                uri: "/v2/org/b/blobs/uploads/?mount=\(digest)&from=org/a", method: .post, headers: Self.bearer(harness.pusher), body: nil)
            #expect(mounted.status == .created)
            #expect(mounted.headers[.location] == "/v2/org/b/blobs/\(digest)")
            #expect(try await client.executeRequest(uri: "/v2/org/b/blobs/\(digest)", method: .head, headers: Self.bearer(harness.reader), body: nil).status == .ok)
            // A source the key cannot read is not mounted: an upload session starts instead.
            let secret = try await Self.pushBlob(client, "secret/x", Self.random(500), key: harness.admin)
            let refused = try await client.executeRequest(
                uri: "/v2/org/c/blobs/uploads/?mount=\(secret)&from=secret/x", method: .post, headers: Self.bearer(harness.pusher), body: nil)
            #expect(refused.status == .accepted)
            #expect(try await client.executeRequest(uri: "/v2/org/c/blobs/\(secret)", method: .head, headers: Self.bearer(harness.reader), body: nil).status == .notFound)
        }
    }

    @Test func badDigestsNamesAndUnknownBlobsGetTheirOCIErrors() async throws {
        let harness = try await Harness.make()
        try await harness.test { client in
            let auth = Self.bearer(harness.admin)
            let cases: [(String, HTTPRequest.Method, HTTPResponse.Status, String)] = [
                ("/v2/org/model/blobs/sha256:1234", .get, .badRequest, "DIGEST_INVALID"),
                ("/v2/org/model/blobs/md5:d41d8cd98f00b204e9800998ecf8427e", .get, .badRequest, "DIGEST_INVALID"),
                ("/v2/org/model/blobs/\(BlobDigest.of([0]))", .get, .notFound, "BLOB_UNKNOWN"),
                ("/v2/org/model/blobs/\(BlobDigest.of([0]))", .delete, .notFound, "BLOB_UNKNOWN"),
                ("/v2/Org/Model/blobs/\(BlobDigest.of([0]))", .get, .badRequest, "NAME_INVALID"),
                ("/v2/org/../../etc/blobs/\(BlobDigest.of([0]))", .get, .badRequest, "NAME_INVALID"),
                ("/v2/org/%2e%2e/etc/manifests/latest", .get, .badRequest, "NAME_INVALID"),
                ("/v2/org/model/manifests/..%2f..%2fx", .get, .badRequest, "MANIFEST_INVALID"),
                ("/v2/org/model/blobs/uploads/../../../etc", .patch, .notFound, "UNSUPPORTED"),
                ("/v2/org/model/blobs/uploads/..%2f..%2fetc", .patch, .notFound, "BLOB_UPLOAD_UNKNOWN"),
                ("/v2/org/model/blobs/uploads/nope", .get, .notFound, "BLOB_UPLOAD_UNKNOWN"),
                ("/v2/org/model/manifests/latest", .get, .notFound, "NAME_UNKNOWN"),
                ("/v2/org/model/tags/list", .get, .notFound, "NAME_UNKNOWN"),
                ("/v2/org/model/nothing-here", .get, .notFound, "UNSUPPORTED"),
                ("/v2/org/model/blobs/uploads/?digest=sha256:zz", .post, .badRequest, "DIGEST_INVALID"),
            ]
            for (uri, method, status, code) in cases {
                let response = try await client.executeRequest(uri: uri, method: method, headers: auth, body: nil)
                #expect(response.status == status, "\(method) \(uri)")
                #expect(Self.errorCode(response) == code, "\(method) \(uri): \(String(buffer: response.body))")
                #expect(response.headers[.contentType] == "application/json")
            }
            // A blob whose bytes do not match the digest is refused and not stored.
            let claimed = BlobDigest.of([1, 2, 3])
            let mismatch = try await client.executeRequest(
                uri: "/v2/org/model/blobs/uploads/?digest=\(claimed)", method: .post, headers: auth, body: ByteBuffer(bytes: [9, 9]))
            #expect(mismatch.status == .badRequest)
            #expect(Self.errorCode(mismatch) == "DIGEST_INVALID")
            #expect(try await harness.service.blobs.exists(claimed) == false)
            // Over the size limit (1 MiB here).
            let big = Self.random((1 << 20) + 1)
            let tooBig = try await client.executeRequest(
                uri: "/v2/org/model/blobs/uploads/?digest=\(BlobDigest.of(big))", method: .post, headers: auth, body: ByteBuffer(bytes: big))
            #expect(tooBig.status == .contentTooLarge)
        }
    }

    // MARK: Manifests, tags, referrers, catalog

    @Test func manifestsArePutAndFetchedByTagAndDigestAndDeleted() async throws {
        let harness = try await Harness.make()
        try await harness.test { client in
            let push = Self.bearer(harness.pusher)
            let config = Array("{}".utf8)
            let layer = Self.random(2000)
            let missing = Self.manifest(config: config, layers: [layer])
            var putHeaders = push
            putHeaders[.contentType] = ManifestMediaType.ociManifest
            let unknownBlob = try await client.executeRequest(
                uri: "/v2/org/model/manifests/v1", method: .put, headers: putHeaders, body: ByteBuffer(bytes: missing))
            #expect(unknownBlob.status == .badRequest)
            #expect(Self.errorCode(unknownBlob) == "MANIFEST_BLOB_UNKNOWN")
            try await Self.pushBlob(client, "org/model", config, key: harness.pusher)
            try await Self.pushBlob(client, "org/model", layer, key: harness.pusher)
            let put = try await client.executeRequest(
                uri: "/v2/org/model/manifests/v1", method: .put, headers: putHeaders, body: ByteBuffer(bytes: missing))
            #expect(put.status == .created)
            let digest = BlobDigest.of(missing)
            #expect(put.headers[.dockerContentDigest] == digest.description)
            #expect(put.headers[.location] == "/v2/org/model/manifests/\(digest)")

            let pull = Self.bearer(harness.reader)
            for reference in ["v1", digest.description] {
                let get = try await client.executeRequest(uri: "/v2/org/model/manifests/\(reference)", method: .get, headers: pull, body: nil)
                #expect(get.status == .ok)
                #expect(Self.bytes(get) == missing)
                #expect(get.headers[.contentType] == ManifestMediaType.ociManifest)
                #expect(get.headers[.dockerContentDigest] == digest.description)
                let head = try await client.executeRequest(uri: "/v2/org/model/manifests/\(reference)", method: .head, headers: pull, body: nil)
                #expect(head.status == .ok)
                #expect(head.headers[.contentLength] == String(missing.count))
            }
            let invalid = try await client.executeRequest(
                uri: "/v2/org/model/manifests/v2", method: .put, headers: putHeaders, body: ByteBuffer(string: "{\"schemaVersion\":2}"))
            #expect(Self.errorCode(invalid) == "MANIFEST_INVALID")
            let wrongDigest = try await client.executeRequest(
                uri: "/v2/org/model/manifests/\(BlobDigest.of([5]))", method: .put, headers: putHeaders, body: ByteBuffer(bytes: missing))
            #expect(Self.errorCode(wrongDigest) == "DIGEST_INVALID")
            let tooLarge = try await client.executeRequest(
                uri: "/v2/org/model/manifests/big", method: .put, headers: putHeaders, body: ByteBuffer(bytes: [UInt8](repeating: 32, count: 70_000)))
            #expect(tooLarge.status == .contentTooLarge)

            let admin = Self.bearer(harness.admin)
            #expect(try await client.executeRequest(uri: "/v2/org/model/manifests/v1", method: .delete, headers: admin, body: nil).status == .accepted)
            let gone = try await client.executeRequest(uri: "/v2/org/model/manifests/v1", method: .get, headers: pull, body: nil)
            #expect(Self.errorCode(gone) == "MANIFEST_UNKNOWN")
            #expect(try await client.executeRequest(uri: "/v2/org/model/manifests/\(digest)", method: .get, headers: pull, body: nil).status == .ok)
            #expect(try await client.executeRequest(uri: "/v2/org/model/manifests/\(digest)", method: .delete, headers: admin, body: nil).status == .accepted)
            #expect(try await client.executeRequest(uri: "/v2/org/model/manifests/\(digest)", method: .get, headers: pull, body: nil).status == .notFound)
            let history = try await harness.service.tagHistory(try RepositoryName("org/model"), tag: "v1")
            #expect(history.map(\.actor) == ["pusher", "admin"])
        }
    }

    @Test func tagsAndCatalogPaginateWithLinkHeaders() async throws {
        let harness = try await Harness.make()
        try await harness.test { client in
            let config = Array("{}".utf8)
            for name in ["org/a", "org/b", "secret/c"] {
                try await Self.pushBlob(client, name, config, key: harness.admin)
                for tag in ["v1", "v2", "v3"] {
                    let manifest = Self.manifest(config: config, layers: [], artifactType: "application/x.\(tag)")
                    let response = try await client.executeRequest(
                        uri: "/v2/\(name)/manifests/\(tag)", method: .put, headers: Self.bearer(harness.admin), body: ByteBuffer(bytes: manifest))
                    #expect(response.status == .created)
                }
            }
            let pull = Self.bearer(harness.reader)
            let page = try await client.executeRequest(uri: "/v2/org/a/tags/list?n=2", method: .get, headers: pull, body: nil)
            #expect(String(buffer: page.body) == #"{"name":"org/a","tags":["v1","v2"]}"#)
            #expect(page.headers[.registryLink] == "</v2/org/a/tags/list?n=2&last=v2>; rel=\"next\"")
            let next = try await client.executeRequest(uri: "/v2/org/a/tags/list?n=2&last=v2", method: .get, headers: pull, body: nil)
            #expect(String(buffer: next.body) == #"{"name":"org/a","tags":["v3"]}"#)
            #expect(next.headers[.registryLink] == nil)
            let badN = try await client.executeRequest(uri: "/v2/org/a/tags/list?n=-1", method: .get, headers: pull, body: nil)
            #expect(badN.status == .badRequest)
            // The catalog shows only what the key may pull.
            let catalog = try await client.executeRequest(uri: "/v2/_catalog", method: .get, headers: pull, body: nil)
            #expect(String(buffer: catalog.body) == #"{"repositories":["org/a","org/b"]}"#)
            let all = try await client.executeRequest(uri: "/v2/_catalog?n=1&last=org/a", method: .get, headers: Self.bearer(harness.admin), body: nil)
            #expect(String(buffer: all.body) == #"{"repositories":["org/b"]}"#)
            #expect(all.headers[.registryLink] == "</v2/_catalog?n=1&last=org/b>; rel=\"next\"")
            #expect(try await client.executeRequest(uri: "/v2/_catalog", method: .get, headers: [:], body: nil).status == .unauthorized)
        }
    }

    @Test func referrersReturnAnIndexOfAttachedManifestsFilteredByArtifactType() async throws {
        let harness = try await Harness.make()
        try await harness.test { client in
            let auth = Self.bearer(harness.admin)
            let config = Array("{}".utf8)
            try await Self.pushBlob(client, "org/model", config, key: harness.admin)
            let model = Self.manifest(config: config, layers: [])
            _ = try await client.executeRequest(uri: "/v2/org/model/manifests/v1", method: .put, headers: auth, body: ByteBuffer(bytes: model))
            let subject = BlobDigest.of(model)
            let signature = Self.manifest(config: config, layers: [], subject: subject, subjectSize: model.count, artifactType: "application/vnd.example.sig")
            let report = Self.manifest(config: config, layers: [], subject: subject, subjectSize: model.count, artifactType: "application/vnd.example.eval")
            for attached in [signature, report] {
                let put = try await client.executeRequest(
                    uri: "/v2/org/model/manifests/\(BlobDigest.of(attached))", method: .put, headers: auth, body: ByteBuffer(bytes: attached))
                #expect(put.status == .created)
                #expect(put.headers[.ociSubject] == subject.description)
            }
            struct Index: Decodable {
                let schemaVersion: Int
                let mediaType: String
                let manifests: [OCIDescriptor]
            }
            let all = try await client.executeRequest(uri: "/v2/org/model/referrers/\(subject)", method: .get, headers: auth, body: nil)
            #expect(all.headers[.contentType] == ManifestMediaType.ociIndex)
            let index = try JSONDecoder().decode(Index.self, from: Data(Self.bytes(all)))
            #expect(index.schemaVersion == 2 && index.mediaType == ManifestMediaType.ociIndex)
            #expect(Set(index.manifests.map(\.digest)) == [BlobDigest.of(signature).description, BlobDigest.of(report).description])
            let filtered = try await client.executeRequest(
                uri: "/v2/org/model/referrers/\(subject)?artifactType=application/vnd.example.sig", method: .get, headers: auth, body: nil)
            #expect(filtered.headers[HTTPField.Name("OCI-Filters-Applied")!] == "artifactType")
            let only = try JSONDecoder().decode(Index.self, from: Data(Self.bytes(filtered)))
            #expect(only.manifests.map(\.digest) == [BlobDigest.of(signature).description])
            #expect(only.manifests.first?.artifactType == "application/vnd.example.sig")
            let bad = try await client.executeRequest(uri: "/v2/org/model/referrers/sha256:nope", method: .get, headers: auth, body: nil)
            #expect(Self.errorCode(bad) == "DIGEST_INVALID")
        }
    }
}

/// Just enough of "any JSON value" to read string fields out of a token response.
struct AnyCodable: Decodable {
    let string: String?
    init(from decoder: any Decoder) throws {
        string = try? decoder.singleValueContainer().decode(String.self)
    }
}
