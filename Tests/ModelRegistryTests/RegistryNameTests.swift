import ModelRegistry
import PlatformCore
import Testing

@Suite struct RegistryNameTests {
    @Test(arguments: ["a", "library/ubuntu", "org/models/bert-base", "a.b_c__d---e/f0", "0/1", String(repeating: "a", count: 255)])
    func namesInTheOCIGrammarAreAccepted(name: String) async throws {
        #expect(try RepositoryName(name).value == name)
    }

    @Test(arguments: [
        "", "Org/model", "../etc", "a/../b", "a//b", "/a", "a/", "a..b", "a___b", "-a", "a-", "a_", ".a", "a b", "a/b:c",
        "a%2fb", String(repeating: "a", count: 256),
    ])
    func namesOutsideTheGrammarAreRefusedWithNameInvalid(name: String) async {
        await expectRegistryError(.nameInvalid) { _ = try RepositoryName(name) }
    }

    @Test(arguments: ["latest", "v1.0", "_x", "A-b.c_d", String(repeating: "t", count: 128)])
    func tagsInTheGrammarAreAccepted(tag: String) async throws {
        #expect(try ManifestReference(tag) == .tag(tag))
    }

    @Test(arguments: [".hidden", "-x", "a/b", "", "a b", String(repeating: "t", count: 129)])
    func malformedTagsAreRefused(tag: String) async {
        await expectRegistryError(.manifestInvalid) { _ = try ManifestReference(tag) }
    }

    @Test func aDigestReferenceMustBeAValidSHA256() async throws {
        let digest = BlobDigest.of([1, 2, 3])
        #expect(try ManifestReference(digest.description) == .digest(digest))
        await expectRegistryError(.digestInvalid) { _ = try ManifestReference("sha256:abc") }
        await expectRegistryError(.digestInvalid) { _ = try ManifestReference("md5:" + String(repeating: "0", count: 32)) }
    }

    @Test(arguments: [
        ("org/*", "org/a", true), ("org/*", "org/a/b", true), ("org/*", "orgx/a", false), ("*", "anything/at/all", true),
        ("org/bert", "org/bert", true), ("org/bert", "org/bert2", false), ("*/public", "x/public", true),
        ("*/public", "x/private", false), ("a*b*c", "axxbyyc", true), ("a*b*c", "axxbyy", false),
    ])
    func repositoryPatternsGlobWithStarAcrossSlashes(pattern: String, name: String, matches: Bool) async throws {
        #expect(try RepositoryPattern(pattern).matches(RepositoryName(name)) == matches)
    }

    @Test func scopesParseAndPushImpliesPullButNotDelete() async throws {
        let repository = try RepositoryName("org/model")
        let push = try AccessScope(parsing: "push:org/*")
        #expect(push.permits(.push, on: repository))
        #expect(push.permits(.pull, on: repository))
        #expect(!push.permits(.delete, on: repository))
        #expect(!push.permits(.pull, on: try RepositoryName("other/model")))
        let admin = try AccessScope(parsing: "admin:*")
        #expect(RegistryAction.allCases.allSatisfy { admin.permits($0, on: repository) })
        #expect(!(try AccessScope(parsing: "pull:org/*")).permits(.push, on: repository))
        for bad in ["pull", "write:org/*", "pull:Org/*", "pull:", "pull:a b"] {
            #expect(throws: RegistryError.self) { try AccessScope(parsing: bad) }
        }
    }
}
