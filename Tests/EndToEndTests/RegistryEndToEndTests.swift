import Foundation
import PlatformCore
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The registry as clients meet it: the real `aiplat serve` on loopback, keys made with the real
/// CLI, Debian's `skopeo` (a client no one here wrote) copying images in and out, and uploads
/// that survive a kill -9 of the server.
/// Serialized: each test runs servers, skopeo or moto_server, which would crowd two cores at once.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct RegistryEndToEndTests {
    /// A running `aiplat serve` over `dataDirectory`.
    struct Server {
        let process: ChildProcess
        let base: URL
        var authority: String { "\(base.host ?? "127.0.0.1"):\(base.port ?? 0)" }

        /// `port` 0 picks a free one; a restarted server passes the port it had, so clients that
        /// remember the registry's URL find it again.
        static func start(dataDirectory: URL, environment: [String: String] = [:], port: Int = 0) async throws -> Server {
            let process = try ChildProcess(
                executable: TestPaths.aiplatExecutable,
                arguments: ["serve", "--port", String(port), "--data-dir", dataDirectory.path, "--log-level", "warning"],
                environment: environment, directory: TestPaths.repositoryRoot)
            let line = try await process.waitForLine(startingWith: "aiplat serving on ")
            let base = try #require(URL(string: String(line.dropFirst("aiplat serving on ".count))))
            return Server(process: process, base: base)
        }
    }

    static func createKey(_ dataDirectory: URL, name: String, scopes: [String]) async throws -> String {
        let result = try await AIPlatCLI.run(
            ["auth", "keys", "create", "--data-dir", dataDirectory.path, "--name", name] + scopes.flatMap { ["--scope", $0] })
        #expect(result.status == 0, "\(result)")
        return result.output
    }

    static func random(_ count: Int) -> [UInt8] {
        guard count > 0, let handle = FileHandle(forReadingAtPath: "/dev/urandom") else { return [] }
        defer { try? handle.close() }
        return Array(handle.readData(ofLength: count))
    }

    static func sha256(_ bytes: [UInt8]) async throws -> String {
        // sha256sum, not our own hasher: the digests the test expects come from outside the code under test.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("aiplat-sha-\(UUID().uuidString)")
        try Data(bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let output = try await runTool("/usr/bin/sha256sum", [file.path])
        return "sha256:" + String(output.stdout.prefix(64))
    }

    struct ToolResult {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs an external tool to completion, waiting without blocking a thread of the test pool
    /// (skopeo runs for seconds; a blocked cooperative thread would stall every other test).
    @discardableResult
    static func runTool(_ path: String, _ arguments: [String]) async throws -> ToolResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("aiplat-tool-\(UUID().uuidString)")
        let err = FileManager.default.temporaryDirectory.appendingPathComponent("aiplat-tool-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        let outHandle = try FileHandle(forWritingTo: out)
        let errHandle = try FileHandle(forWritingTo: err)
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        let (exits, continuation) = AsyncStream<Int32>.makeStream()
        process.terminationHandler = { finished in
            continuation.yield(finished.terminationStatus)
            continuation.finish()
        }
        try process.run()
        var status: Int32 = -1
        for await exitStatus in exits { status = exitStatus }
        try outHandle.close()
        try errHandle.close()
        return ToolResult(
            status: status, stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
    }

    static func request(
        _ url: URL, method: String, key: String, body: [UInt8]? = nil, headers: [String: String] = [:]
    ) async throws -> (Int, [UInt8], HTTPURLResponse?) {
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let body { request.httpBody = Data(body) }
        request.timeoutInterval = 30
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as? HTTPURLResponse
        return (http?.statusCode ?? 0, Array(data), http)
    }

    /// Writes an OCI image layout (a config, `layerCount` random layers, a manifest, index.json
    /// tagging it `v1`) and returns the files of `blobs/sha256` with their bytes.
    static func writeLayout(at directory: URL, layerSizes: [Int]) async throws -> [String: [UInt8]] {
        let blobs = directory.appendingPathComponent("blobs/sha256")
        try FileManager.default.createDirectory(at: blobs, withIntermediateDirectories: true)
        var files: [String: [UInt8]] = [:]
        func add(_ bytes: [UInt8]) async throws -> (digest: String, size: Int) {
            let digest = try await sha256(bytes)
            files[String(digest.dropFirst(7))] = bytes
            try Data(bytes).write(to: blobs.appendingPathComponent(String(digest.dropFirst(7))))
            return (digest, bytes.count)
        }
        let config = try await add(Array(#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"#.utf8))
        var layers: [String] = []
        for size in layerSizes {
            let layer = try await add(random(size))
            layers.append(
                #"{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"\#(layer.digest)","size":\#(layer.size)}"#)
        }
        let manifest = try await add(Array(
            #"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"\#(config.digest)","size":\#(config.size)},"layers":[\#(layers.joined(separator: ","))]}"#
                .utf8))
        let index = #"{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"\#(manifest.digest)","size":\#(manifest.size),"annotations":{"org.opencontainers.image.ref.name":"v1"}}]}"#
        try Data(index.utf8).write(to: directory.appendingPathComponent("index.json"))
        try Data(#"{"imageLayoutVersion":"1.0.0"}"#.utf8).write(to: directory.appendingPathComponent("oci-layout"))
        return files
    }

    // MARK: Tests

    @Test func skopeoCopiesAnOCILayoutIntoTheRegistryAndBackByteIdentically() async throws {
        try await skopeoRoundTrip(serverEnvironment: [:])
    }

    @Test func skopeoRoundTripsThroughTheS3BackendOnMotoServer() async throws {
        let motoExecutable = TestPaths.repositoryRoot.appendingPathComponent(".venv/bin/moto_server")
        try #require(
            FileManager.default.isExecutableFile(atPath: motoExecutable.path),
            "moto_server is missing: run scripts/setup (moto[server] from infra/requirements.txt)")
        // Port 0: moto binds a port itself and names it in its banner (no race for a chosen port).
        let moto = try ChildProcess(executable: motoExecutable, arguments: ["-H", "127.0.0.1", "-p", "0"])
        defer { _ = kill(moto.process.processIdentifier, SIGKILL) }
        var endpoint = ""
        var ready = false
        for _ in 0..<300 where !ready {
            if endpoint.isEmpty, let match = moto.standardError.firstMatch(of: /Running on (http:\/\/127\.0\.0\.1:\d+)/) {
                endpoint = String(match.1)
            }
            if !endpoint.isEmpty {
                var probe = URLRequest(url: URL(string: endpoint + "/moto-api/")!)
                probe.timeoutInterval = 1
                ready = ((try? await URLSession.shared.data(for: probe))?.1 as? HTTPURLResponse)?.statusCode == 200
            }
            if !ready { try await Task.sleep(for: .milliseconds(100)) }
        }
        try #require(ready, "moto_server did not start: \(moto.standardError.suffix(500))")
        let s3 = S3Configuration(endpoint: endpoint, bucket: "registry-e2e", accessKeyID: "testing", secretAccessKey: "testing")
        try await S3BlobStore(configuration: s3).createBucket()
        try await skopeoRoundTrip(serverEnvironment: [
            "AIPLAT_REGISTRY_STORAGE": "s3", "AIPLAT_REGISTRY_S3_ENDPOINT": endpoint, "AIPLAT_REGISTRY_S3_BUCKET": "registry-e2e",
            "AIPLAT_REGISTRY_S3_PREFIX": "e2e/", "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
        ])
        // The blobs are in the bucket, not in the data directory.
        let stored = try await S3BlobStore(configuration: S3Configuration(
            endpoint: endpoint, bucket: "registry-e2e", keyPrefix: "e2e/", accessKeyID: "testing", secretAccessKey: "testing")).digests()
        #expect(stored.count == 4)  // the config and three layers; manifests live in the database
    }

    /// Pushes a layout with skopeo, pulls it back with a pull-only key, compares every blob.
    func skopeoRoundTrip(serverEnvironment: [String: String]) async throws {
        let skopeo = "/usr/bin/skopeo"
        try #require(FileManager.default.isExecutableFile(atPath: skopeo), "skopeo is missing: run scripts/setup (Debian package skopeo)")
        let root = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let data = root.appendingPathComponent("data")
        let key = try await Self.createKey(data, name: "ci", scopes: ["pull:org/*", "push:org/*"])
        let pullOnly = try await Self.createKey(data, name: "reader", scopes: ["pull:org/*"])
        let server = try await Server.start(dataDirectory: data, environment: serverEnvironment)
        defer { _ = kill(server.process.process.processIdentifier, SIGKILL) }

        let source = root.appendingPathComponent("source")
        let files = try await Self.writeLayout(at: source, layerSizes: [1 << 20, 3000, 1])
        // --preserve-digests: skopeo would otherwise gzip the uncompressed layers on the way in.
        let push = try await Self.runTool(skopeo, [
            "--insecure-policy", "copy", "--preserve-digests", "--dest-tls-verify=false", "--dest-creds", "any:\(key)",
            "oci:\(source.path):v1", "docker://\(server.authority)/org/model:v1",
        ])
        #expect(push.status == 0, "skopeo push: \(push.stderr)")

        let copy = root.appendingPathComponent("copy")
        let pull = try await Self.runTool(skopeo, [
            "--insecure-policy", "copy", "--preserve-digests", "--src-tls-verify=false", "--src-creds", "any:\(pullOnly)",
            "docker://\(server.authority)/org/model:v1", "oci:\(copy.path):v1",
        ])
        #expect(pull.status == 0, "skopeo pull: \(pull.stderr)")
        let copied = try FileManager.default.contentsOfDirectory(atPath: copy.appendingPathComponent("blobs/sha256").path)
        #expect(Set(copied) == Set(files.keys))
        for (name, bytes) in files {
            let back = try Data(contentsOf: copy.appendingPathComponent("blobs/sha256/\(name)"))
            #expect(Array(back) == bytes, "blob \(name) differs after the round trip")
        }

        let tags = try await Self.runTool(skopeo, [
            "list-tags", "--tls-verify=false", "--creds", "any:\(pullOnly)", "docker://\(server.authority)/org/model",
        ])
        #expect(tags.status == 0, "\(tags.stderr)")
        #expect(tags.stdout.contains("\"v1\""))

        // The pull-only key cannot push: skopeo reports the registry's refusal.
        let refused = try await Self.runTool(skopeo, [
            "--insecure-policy", "copy", "--preserve-digests", "--dest-tls-verify=false", "--dest-creds", "any:\(pullOnly)",
            "oci:\(source.path):v1", "docker://\(server.authority)/org/other:v1",
        ])
        #expect(refused.status != 0)
        #expect(try await server.process.stop(signal: SIGTERM) == 0)
    }

    @Test func aChunkedUploadKilledMidBodyResumesAfterTheServerRestarts() async throws {
        let root = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let data = root.appendingPathComponent("data")
        let key = try await Self.createKey(data, name: "ci", scopes: ["push:org/*"])
        var server = try await Server.start(dataDirectory: data)
        let bytes = Self.random(4 << 20)
        let digest = try await Self.sha256(bytes)

        let (status, _, response) = try await Self.request(
            server.base.appendingPathComponent("v2/org/model/blobs/uploads/"), method: "POST", key: key)
        #expect(status == 202)
        let location = try #require(response?.value(forHTTPHeaderField: "Location"))

        // Half of a PATCH body arrives, then the server dies by kill -9 while waiting for the rest.
        let half = bytes.count / 2
        let socket = try RawHTTPConnection(port: server.base.port ?? 0)
        try socket.send(Array(
            "PATCH \(location) HTTP/1.1\r\nHost: \(server.authority)\r\nAuthorization: Bearer \(key)\r\nContent-Type: application/octet-stream\r\nContent-Length: \(bytes.count)\r\n\r\n"
                .utf8))
        try socket.send(Array(bytes[0..<half]))
        try await Task.sleep(for: .milliseconds(500))
        _ = try await server.process.stop(signal: SIGKILL)
        socket.close()

        server = try await Server.start(dataDirectory: data)
        defer { _ = kill(server.process.process.processIdentifier, SIGKILL) }
        let uploadURL = try #require(URL(string: location, relativeTo: server.base))
        let (statusCode, _, statusResponse) = try await Self.request(uploadURL, method: "GET", key: key)
        #expect(statusCode == 204)
        let range = try #require(statusResponse?.value(forHTTPHeaderField: "Range"))
        let stored = try #require(Int(range.split(separator: "-").last ?? "")) + 1
        #expect(stored > 0 && stored <= half, "server kept \(stored) of the \(half) bytes sent")

        // Only the missing bytes move.
        let (patched, _, patchResponse) = try await Self.request(
            uploadURL, method: "PATCH", key: key, body: Array(bytes[stored...]),
            headers: ["Content-Range": "\(stored)-\(bytes.count - 1)", "Content-Type": "application/octet-stream"])
        #expect(patched == 202)
        #expect(patchResponse?.value(forHTTPHeaderField: "Range") == "0-\(bytes.count - 1)")
        var finish = URLComponents(url: uploadURL, resolvingAgainstBaseURL: true)!
        finish.queryItems = [URLQueryItem(name: "digest", value: digest)]
        let (finished, _, _) = try await Self.request(try #require(finish.url), method: "PUT", key: key)
        #expect(finished == 201)
        let (got, body, _) = try await Self.request(
            server.base.appendingPathComponent("v2/org/model/blobs/\(digest)"), method: "GET", key: key)
        #expect(got == 200)
        #expect(body == bytes)
        #expect(try await server.process.stop(signal: SIGTERM) == 0)
    }

    @Test func twoConcurrentPushesOfTheSameBlobBothSucceedAndKeysAreRevokedOffline() async throws {
        let root = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let data = root.appendingPathComponent("data")
        let key = try await Self.createKey(data, name: "ci", scopes: ["push:org/*"])
        let server = try await Server.start(dataDirectory: data)
        defer { _ = kill(server.process.process.processIdentifier, SIGKILL) }
        let bytes = Self.random(3 << 20)
        let digest = try await Self.sha256(bytes)
        var components = URLComponents(url: server.base.appendingPathComponent("v2/org/model/blobs/uploads/"), resolvingAgainstBaseURL: true)!
        components.queryItems = [URLQueryItem(name: "digest", value: digest)]
        let url = try #require(components.url)
        async let first = Self.request(url, method: "POST", key: key, body: bytes)
        async let second = Self.request(url, method: "POST", key: key, body: bytes)
        let (a, b) = try await (first, second)
        #expect(a.0 == 201 && b.0 == 201)
        let blobURL = server.base.appendingPathComponent("v2/org/model/blobs/\(digest)")
        let (got, body, _) = try await Self.request(blobURL, method: "GET", key: key)
        #expect(got == 200 && body == bytes)
        // Stored once, under its digest.
        let stored = data.appendingPathComponent("blobs/sha256/\(digest.dropFirst(7).prefix(2))/\(digest.dropFirst(7))")
        #expect(Array(try Data(contentsOf: stored)) == bytes)

        let listed = try await AIPlatCLI.run(["auth", "keys", "ls", "--data-dir", data.path])
        #expect(listed.output.hasPrefix("ci\tactive"))
        #expect(!listed.stdout.contains(key))
        let revoked = try await AIPlatCLI.run(["auth", "keys", "revoke", "--data-dir", data.path, "ci"])
        #expect(revoked.status == 0, "\(revoked)")
        let (after, _, response) = try await Self.request(blobURL, method: "GET", key: key)
        #expect(after == 401)
        #expect(response?.value(forHTTPHeaderField: "WWW-Authenticate")?.hasPrefix("Bearer realm=") == true)
        let again = try await AIPlatCLI.run(["auth", "keys", "revoke", "--data-dir", data.path, "ci"])
        #expect(again.status != 0)
        #expect(again.errorLines.count == 1 && again.stderr.hasPrefix("error: "))
    }
}
