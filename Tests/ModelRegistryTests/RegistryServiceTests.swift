import Foundation
import Logging
import ModelRegistry
import PlatformCore
import Testing

@Suite struct RegistryServiceTests {
    let repository = try! RepositoryName("org/model")

    /// Pushes `bytes` monolithically and returns their digest.
    @discardableResult
    func push(_ bytes: [UInt8], to repository: RepositoryName, _ service: RegistryService) async throws -> BlobDigest {
        let digest = BlobDigest.of(bytes)
        try await service.pushBlob(repository, digest: digest, Chunks(bytes))
        return digest
    }

    @Test func aChunkedUploadIsVerifiedAndThenServedWholeAndByRange() async throws {
        let fixture = try await RegistryFixture.make()
        defer { Task { await fixture.close() } }
        let service = fixture.service
        let bytes = randomBytes(100_000)
        let digest = BlobDigest.of(bytes)
        let upload = try await service.startUpload(repository)
        #expect(upload.size == 0)
        var status = try await service.appendToUpload(repository, id: upload.id, Chunks(Array(bytes[0..<40_000])), offset: 0)
        #expect(status.size == 40_000)
        await expectRegistryError(.rangeInvalid) {
            _ = try await service.appendToUpload(repository, id: upload.id, Chunks([1, 2]), offset: 10)
        }
        status = try await service.appendToUpload(repository, id: upload.id, Chunks(Array(bytes[40_000..<90_000])), offset: 40_000)
        #expect(try await service.uploadStatus(repository, id: upload.id).size == 90_000)
        let info = try await service.finishUpload(repository, id: upload.id, digest: digest, finalChunks: Chunks(Array(bytes[90_000...])))
        #expect(info.size == 100_000)
        #expect(try await service.blobSize(repository, digest) == 100_000)
        #expect(try await fixture.store.readAll(digest) == bytes)
        let reader = try await service.openBlob(repository, digest, range: 10..<20)
        #expect(reader.length == 10)
        #expect(try await reader.next(maxBytes: 100) == Array(bytes[10..<20]))
        await expectRegistryError(.blobUploadUnknown) { _ = try await service.uploadStatus(repository, id: upload.id) }
    }

    @Test func aBlobWhoseBytesDoNotMatchIsRejectedAndNothingRemains() async throws {
        let fixture = try await RegistryFixture.make()
        defer { Task { await fixture.close() } }
        let claimed = BlobDigest.of(Array("the real bytes".utf8))
        await expectRegistryError(.digestInvalid) {
            try await fixture.service.pushBlob(repository, digest: claimed, Chunks(Array("other bytes".utf8)))
        }
        #expect(try await fixture.store.digests() == [])
        #expect(try await fixture.store.uploadIDs() == [])
        await expectRegistryError(.blobUnknown) { _ = try await fixture.service.blobSize(repository, claimed) }
        let sessions = try await fixture.database.query("SELECT id FROM registry_uploads")
        #expect(sessions.isEmpty)
    }

    @Test func blobsOverTheSizeLimitAreRefused() async throws {
        let fixture = try await RegistryFixture.make(limits: RegistryLimits(maxBlobBytes: 1000, maxManifestBytes: 200))
        defer { Task { await fixture.close() } }
        let bytes = randomBytes(1001)
        await expectRegistryError(.tooLarge) {
            try await fixture.service.pushBlob(repository, digest: BlobDigest.of(bytes), Chunks(bytes))
        }
        await expectRegistryError(.tooLarge) {
            try await fixture.service.putManifest(
                repository, reference: .tag("x"), bytes: Array(repeating: 0x20, count: 201), contentType: nil, actor: "t")
        }
    }

    @Test func twoConcurrentPushesOfTheSameBlobBothSucceedAndStoreItOnce() async throws {
        let fixture = try await RegistryFixture.make()
        defer { Task { await fixture.close() } }
        let service = fixture.service
        let bytes = randomBytes(2 << 20)
        let digest = BlobDigest.of(bytes)
        let chunks = stride(from: 0, to: bytes.count, by: 100_000).map { Array(bytes[$0..<min($0 + 100_000, bytes.count)]) }
        let repository = self.repository
        try await withThrowingTaskGroup(of: BlobInfo.self) { group in
            for _ in 0..<2 {
                group.addTask { try await service.pushBlob(repository, digest: digest, Chunks(chunks)) }
            }
            for try await info in group { #expect(info.digest == digest) }
        }
        #expect(try await fixture.store.digests() == [digest])
        #expect(try await fixture.store.readAll(digest) == bytes)
        #expect(try await fixture.database.query("SELECT digest FROM registry_blobs").count == 1)
    }

    @Test func anUploadSurvivesARestartOfTheService() async throws {
        let fixture = try await RegistryFixture.make()
        defer { Task { await fixture.close() } }
        let bytes = randomBytes(300_000)
        let upload = try await fixture.service.startUpload(repository)
        _ = try await fixture.service.appendToUpload(repository, id: upload.id, Chunks(Array(bytes[0..<123_456])), offset: 0)
        // A second service over the same files: no in-memory state carries over.
        let restarted = RegistryService(
            database: fixture.database, blobs: try LocalBlobStore(root: fixture.directory + "/blobs"), logger: Logger(label: "t"))
        let status = try await restarted.uploadStatus(repository, id: upload.id)
        #expect(status.size == 123_456)
        _ = try await restarted.appendToUpload(repository, id: upload.id, Chunks(Array(bytes[123_456...])), offset: status.size)
        try await restarted.finishUpload(repository, id: upload.id, digest: BlobDigest.of(bytes), finalChunks: Chunks([[UInt8]]()))
        #expect(try await restarted.blobSize(repository, BlobDigest.of(bytes)) == 300_000)
    }

    @Test func blobsAreServedOnlyFromRepositoriesTheyWerePushedOrMountedTo() async throws {
        let fixture = try await RegistryFixture.make()
        defer { Task { await fixture.close() } }
        let service = fixture.service
        let digest = try await push(randomBytes(1000), to: repository, service)
        let other = try RepositoryName("org/other")
        await expectRegistryError(.blobUnknown) { _ = try await service.blobSize(other, digest) }
        #expect(try await service.mountBlob(other, digest, from: repository))
        #expect(try await service.blobSize(other, digest) == 1000)
        #expect(try await service.mountBlob(other, BlobDigest.of([9]), from: repository) == false)
        try await service.unlinkBlob(other, digest)
        await expectRegistryError(.blobUnknown) { _ = try await service.blobSize(other, digest) }
        #expect(try await service.blobSize(repository, digest) == 1000)
    }

    @Test func manifestsArePushedByTagAndFetchedByTagAndDigestWithTheirHistory() async throws {
        let fixture = try await RegistryFixture.make()
        defer { Task { await fixture.close() } }
        let service = fixture.service
        let config = Array("{}".utf8)
        let layer = randomBytes(5000)
        try await push(config, to: repository, service)
        try await push(layer, to: repository, service)
        let v1 = Manifests.image(config: config, layers: [layer])
        let stored = try await service.putManifest(
            repository, reference: .tag("latest"), bytes: v1, contentType: ManifestMediaType.ociManifest, actor: "alice")
        #expect(stored.digest == BlobDigest.of(v1))
        #expect(try await service.manifest(repository, reference: .tag("latest")).bytes == v1)
        #expect(try await service.manifest(repository, reference: .digest(stored.digest)).mediaType == ManifestMediaType.ociManifest)

        let v2 = Manifests.image(config: config, layers: [layer], annotations: ["v": "2"])
        try await service.putManifest(repository, reference: .tag("latest"), bytes: v2, contentType: nil, actor: "bob")
        // Pushing the same again is not a move.
        try await service.putManifest(repository, reference: .tag("latest"), bytes: v2, contentType: nil, actor: "bob")
        try await service.deleteManifest(repository, reference: .tag("latest"), actor: "carol")
        let history = try await service.tagHistory(repository, tag: "latest")
        #expect(history.map(\.actor) == ["alice", "bob", "carol"])
        #expect(history.map(\.from) == [nil, BlobDigest.of(v1), BlobDigest.of(v2)])
        #expect(history.map(\.to) == [BlobDigest.of(v1), BlobDigest.of(v2), nil])
        await expectRegistryError(.manifestUnknown) {
            _ = try await service.manifest(repository, reference: .tag("latest"))
        }
        // The history is append-only, enforced by the database itself.
        await #expect(throws: SQLDatabaseError.self) {
            try await fixture.database.execute("UPDATE registry_tag_history SET actor = 'mallory'")
        }
        await #expect(throws: SQLDatabaseError.self) { try await fixture.database.execute("DELETE FROM registry_tag_history") }
    }

    @Test func manifestsNamingMissingOrMisSizedBlobsOrBadJSONAreRejected() async throws {
        let fixture = try await RegistryFixture.make()
        defer { Task { await fixture.close() } }
        let service = fixture.service
        let config = Array("{}".utf8)
        let layer = randomBytes(100)
        try await push(config, to: repository, service)
        await expectRegistryError(.manifestBlobUnknown) {
            try await service.putManifest(
                repository, reference: .tag("a"), bytes: Manifests.image(config: config, layers: [layer]), contentType: nil, actor: "t")
        }
        try await push(layer, to: repository, service)
        var wrongSize = try JSONSerialization.jsonObject(with: Data(Manifests.image(config: config, layers: [layer]))) as! [String: Any]
        var layers = wrongSize["layers"] as! [[String: Any]]
        layers[0]["size"] = 99
        wrongSize["layers"] = layers
        await expectRegistryError(.manifestInvalid) {
            try await service.putManifest(repository, reference: .tag("a"), bytes: Manifests.json(wrongSize), contentType: nil, actor: "t")
        }
        for bad in ["not json", "{\"schemaVersion\": 1}", "{\"schemaVersion\":2,\"mediaType\":\"text/plain\",\"config\":{}}"] {
            await expectRegistryError(.manifestInvalid) {
                try await service.putManifest(repository, reference: .tag("a"), bytes: Array(bad.utf8), contentType: nil, actor: "t")
            }
        }
        let good = Manifests.image(config: config, layers: [layer])
        await expectRegistryError(.digestInvalid) {
            try await service.putManifest(repository, reference: .digest(BlobDigest.of([0])), bytes: good, contentType: nil, actor: "t")
        }
        await expectRegistryError(.manifestInvalid) {
            try await service.putManifest(
                repository, reference: .tag("a"), bytes: good, contentType: ManifestMediaType.ociIndex, actor: "t")
        }
        await expectRegistryError(.manifestBlobUnknown) {
            try await service.putManifest(repository, reference: .tag("i"), bytes: Manifests.index([good]), contentType: nil, actor: "t")
        }
        try await service.putManifest(repository, reference: .digest(BlobDigest.of(good)), bytes: good, contentType: nil, actor: "t")
        let index = try await service.putManifest(
            repository, reference: .tag("i"), bytes: Manifests.index([good]), contentType: nil, actor: "t")
        #expect(index.mediaType == ManifestMediaType.ociIndex)
    }

    @Test func tagsAndCatalogPaginateInLexicalOrder() async throws {
        let fixture = try await RegistryFixture.make()
        defer { Task { await fixture.close() } }
        let service = fixture.service
        let config = Array("{}".utf8)
        for name in ["b/x", "a/x", "c/x"] {
            let repository = try RepositoryName(name)
            try await push(config, to: repository, service)
            for tag in ["v2", "v10", "latest", "v1"] {
                try await service.putManifest(
                    repository, reference: .tag(tag), bytes: Manifests.image(config: config, layers: [], annotations: ["t": tag]),
                    contentType: nil, actor: "t")
            }
        }
        let repository = try RepositoryName("a/x")
        #expect(try await service.tags(repository) == ["latest", "v1", "v10", "v2"])
        #expect(try await service.tags(repository, limit: 2) == ["latest", "v1"])
        #expect(try await service.tags(repository, limit: 2, after: "v1") == ["v10", "v2"])
        #expect(try await service.tags(repository, limit: 0) == [])
        await expectRegistryError(.nameUnknown) { _ = try await service.tags(try RepositoryName("nope/x")) }
        #expect(try await service.catalog() == ["a/x", "b/x", "c/x"])
        #expect(try await service.catalog(limit: 1, after: "a/x") == ["b/x"])
        #expect(try await service.catalog(isVisible: { $0.value != "b/x" }) == ["a/x", "c/x"])
    }

    @Test func referrersListManifestsWhoseSubjectIsTheModelFilteredByArtifactType() async throws {
        let fixture = try await RegistryFixture.make()
        defer { Task { await fixture.close() } }
        let service = fixture.service
        let config = Array("{}".utf8)
        try await push(config, to: repository, service)
        let model = Manifests.image(config: config, layers: [])
        let modelDigest = try await service.putManifest(repository, reference: .tag("v1"), bytes: model, contentType: nil, actor: "t").digest
        let signature = Manifests.image(
            config: config, layers: [], artifactType: "application/vnd.example.signature", subject: (modelDigest, model.count),
            annotations: ["by": "alice"], configMediaType: ManifestMediaType.ociEmpty)
        let report = Manifests.image(
            config: config, layers: [], subject: (modelDigest, model.count), configMediaType: "application/vnd.example.report")
        let stored = try await service.putManifest(
            repository, reference: .digest(BlobDigest.of(signature)), bytes: signature, contentType: nil, actor: "t")
        #expect(stored.subject == modelDigest)
        try await service.putManifest(repository, reference: .digest(BlobDigest.of(report)), bytes: report, contentType: nil, actor: "t")

        let all = try await service.referrers(repository, subject: modelDigest)
        #expect(Set(all.map(\.digest)) == [BlobDigest.of(signature).description, BlobDigest.of(report).description])
        let signatures = try await service.referrers(repository, subject: modelDigest, artifactType: "application/vnd.example.signature")
        #expect(signatures.count == 1)
        #expect(signatures.first?.annotations == ["by": "alice"])
        #expect(signatures.first?.size == Int64(signature.count))
        // Without an artifactType, the config's media type stands in (OCI image spec).
        let reports = try await service.referrers(repository, subject: modelDigest, artifactType: "application/vnd.example.report")
        #expect(reports.map(\.digest) == [BlobDigest.of(report).description])
        #expect(try await service.referrers(repository, subject: BlobDigest.of([1])).isEmpty)
    }

    @Test func garbageCollectionKeepsReferencedAndInFlightBlobsAndDeletesTheRest() async throws {
        let fixture = try await RegistryFixture.make()
        defer { Task { await fixture.close() } }
        let service = fixture.service
        let config = Array("{}".utf8)
        let layer = randomBytes(4000)
        let orphan = randomBytes(3000)
        let other = try RepositoryName("org/other")
        try await push(config, to: repository, service)
        try await push(layer, to: repository, service)
        let orphanDigest = try await push(orphan, to: other, service)
        let manifest = Manifests.image(config: config, layers: [layer])
        try await service.putManifest(repository, reference: .tag("v1"), bytes: manifest, contentType: nil, actor: "t")

        // A push in progress in org/other: its already-uploaded blob must survive.
        let inFlight = try await service.startUpload(other)
        var report = try await service.garbageCollect(gracePeriod: 0, now: Date().addingTimeInterval(1))
        #expect(report.deletedBlobs.isEmpty)
        #expect(try await fixture.store.exists(orphanDigest))

        // Within the grace period nothing unreferenced goes either.
        try await service.cancelUpload(other, id: inFlight.id)
        report = try await service.garbageCollect(gracePeriod: 3600)
        #expect(report.deletedBlobs.isEmpty)

        let dry = try await service.garbageCollect(gracePeriod: 0, now: Date().addingTimeInterval(1), dryRun: true)
        #expect(dry.deletedBlobs == [orphanDigest])
        #expect(try await fixture.store.exists(orphanDigest))
        report = try await service.garbageCollect(gracePeriod: 0, now: Date().addingTimeInterval(1))
        #expect(report.deletedBlobs == [orphanDigest])
        #expect(report.freedBytes == 3000)
        #expect(try await fixture.store.exists(orphanDigest) == false)
        #expect(try await fixture.store.exists(BlobDigest.of(layer)))

        // Once the manifest is gone its blobs go too.
        try await service.deleteManifest(repository, reference: .digest(BlobDigest.of(manifest)), actor: "t")
        report = try await service.garbageCollect(gracePeriod: 0, now: Date().addingTimeInterval(1))
        #expect(Set(report.deletedBlobs) == [BlobDigest.of(layer), BlobDigest.of(config)])
        #expect(try await fixture.store.digests().isEmpty)
    }

    @Test func garbageCollectionRacingUploadsNeverLosesACommittedBlob() async throws {
        let fixture = try await RegistryFixture.make()
        defer { Task { await fixture.close() } }
        let service = fixture.service
        let repository = self.repository
        let blobs = (0..<12).map { _ in randomBytes(50_000) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for bytes in blobs {
                    try await service.pushBlob(repository, digest: BlobDigest.of(bytes), Chunks(bytes))
                }
            }
            group.addTask {
                for _ in 0..<12 { _ = try await service.garbageCollect(gracePeriod: 3600) }
            }
            try await group.waitForAll()
        }
        for bytes in blobs {
            #expect(try await service.blobSize(repository, BlobDigest.of(bytes)) == 50_000)
            #expect(try await fixture.store.readAll(BlobDigest.of(bytes)) == bytes)
        }
    }

    @Test func apiKeysAreStoredHashedCheckedAndRevoked() async throws {
        let fixture = try await RegistryFixture.make()
        defer { Task { await fixture.close() } }
        let keys = fixture.service.keys
        let key = try await keys.create(
            name: "ci", scopes: [try AccessScope(parsing: "pull:org/*"), try AccessScope(parsing: "push:org/*")])
        #expect(key.hasPrefix("aiplat_") && key.count == 7 + 64)
        // Only the SHA-256 of the key is in the database.
        let row = try await fixture.database.queryOne("SELECT key_hash FROM registry_api_keys WHERE name = 'ci'")
        #expect(try row.string("key_hash") == SHA256Hasher.hash(Array(key.utf8)).hex)
        let dump = try await fixture.database.query("SELECT * FROM registry_api_keys").flatMap(\.values).map(\.description)
        #expect(!dump.contains { $0.contains(String(key.dropFirst(7).prefix(20))) })

        let principal = try #require(try await keys.authenticate(key: key))
        #expect(principal.name == "ci")
        #expect(principal.permits(.push, on: repository))
        #expect(!principal.permits(.delete, on: repository))
        #expect(try await keys.authenticate(key: key + "x") == nil)
        #expect(try await keys.authenticate(key: "aiplat_" + String(repeating: "0", count: 64)) == nil)
        await #expect(throws: RegistryError.self) { _ = try await keys.create(name: "ci", scopes: principal.scopes) }
        await #expect(throws: RegistryError.self) { _ = try await keys.create(name: "bad name", scopes: principal.scopes) }
        await #expect(throws: RegistryError.self) { _ = try await keys.create(name: "none", scopes: []) }

        #expect(try await keys.list().map(\.name) == ["ci"])
        #expect(try await keys.revoke(name: "ci"))
        #expect(try await keys.revoke(name: "ci") == false)
        #expect(try await keys.authenticate(key: key) == nil)
        #expect(try await keys.list().first?.revokedAt != nil)
    }

    @Test func authorizationDistinguishesMissingCredentialsFromMissingScopes() async throws {
        let fixture = try await RegistryFixture.make(anonymousPull: ["public/*"])
        defer { Task { await fixture.close() } }
        let service = fixture.service
        let reader = RegistryPrincipal(name: "r", scopes: [try AccessScope(parsing: "pull:org/*")])
        await expectRegistryError(.unauthorized) { try service.authorize(nil, .pull, on: repository) }
        await expectRegistryError(.denied) { try service.authorize(reader, .push, on: repository) }
        try service.authorize(reader, .pull, on: repository)
        try service.authorize(nil, .pull, on: try RepositoryName("public/bert"))
        await expectRegistryError(.unauthorized) { try service.authorize(nil, .push, on: try RepositoryName("public/bert")) }
        #expect(service.canPull(nil, try RepositoryName("public/bert")))
        #expect(service.canPull(reader, try RepositoryName("public/bert")))
        #expect(!service.canPull(reader, try RepositoryName("private/bert")))
    }
}
