import Foundation
import Logging
import Testing

@testable import PlatformCore

/// Defaults < config file < AIPLAT_* environment < flags. Each test sets a key in two adjacent
/// layers to different values, so it fails if the higher layer were ignored (or applied first).
@Suite struct ConfigurationLayeringTests {
    /// A non-default, valid value for every key. A test below fails when a key is added to the table
    /// without a sample here, so every key is proven to be settable from the environment and flags.
    static let samples: [String: String] = [
        "server.host": "0.0.0.0",
        "server.port": "9123",
        "data_dir": "/srv/aiplat-data",
        "log.level": "debug",
        "log.format": "json",
        "database.url": "sqlite:///var/lib/aiplat/db.sqlite",
        "chain.rpc_url": "https://rpc.example.org/v1",
        "chain.id": "11155111",
        "chain.confirmations": "12",
        "devchain.port": "18545",
        "devchain.chain_id": "1337",
        "devchain.block_time": "2",
        "devchain.accounts": "3",
        "devchain.balance": "500",
        "devchain.mnemonic": "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about",
        "devchain.python": "/usr/bin/python3",
        "devchain.script": "/opt/devchain/devchain.py",
        "registry.blob_dir": "/srv/aiplat-blobs",
        "registry.max_blob_bytes": "1048576",
        "registry.max_manifest_bytes": "65536",
        "registry.anonymous_pull": "public/*,demo/bert",
        "registry.storage": "s3",
        "registry.s3.endpoint": "http://127.0.0.1:9000",
        "registry.s3.bucket": "models",
        "registry.s3.region": "eu-central-1",
        "registry.s3.prefix": "aiplat/",
        "registry.s3.addressing": "virtual",
        "registry.s3.part_size": "16777216",
    ]

    /// An environment with a private HOME, so `~/.aiplat/config.json` of the machine is never read.
    static func environment(home: String, _ extra: [String: String] = [:]) -> [String: String] {
        ["HOME": home].merging(extra) { _, new in new }
    }

    @Test func withoutFileEnvironmentOrFlagsEveryKeyHasItsDocumentedDefault() async throws {
        try await withTemporaryDirectory { home in
            let configuration = try PlatformConfiguration.load(environment: Self.environment(home: home))
            #expect(configuration.server.host == "127.0.0.1")
            #expect(configuration.server.port == 8080)
            #expect(configuration.dataDirectory == "~/.aiplat")
            #expect(configuration.log.level == .info)
            #expect(configuration.log.format == .text)
            #expect(configuration.database.url == "")
            #expect(configuration.chain.rpcURL == "http://127.0.0.1:8545")
            #expect(configuration.chain.id == 31337)
            #expect(configuration.chain.confirmations == 1)
            #expect(configuration.devchain.port == 8545)
            #expect(configuration.devchain.chainID == 31337)
            #expect(configuration.devchain.blockTime == 0)
            #expect(configuration.devchain.accounts == 10)
            #expect(configuration.devchain.balance == 10000)
            #expect(configuration.devchain.mnemonic == "test test test test test test test test test test test junk")
            #expect(configuration.devchain.python == "")
            #expect(configuration.devchain.script == "")
            for key in PlatformConfiguration.keys {
                #expect(configuration.source(ofKey: key.name) == .default)
                #expect(configuration.value(forKey: key.name) == key.defaultValue)
            }
        }
    }

    @Test func everyKeyHasASampleValueThatDiffersFromItsDefault() {
        for key in PlatformConfiguration.keys {
            let sample = Self.samples[key.name]
            #expect(sample != nil, "add a sample value for \(key.name)")
            #expect(sample != key.defaultValue, "sample for \(key.name) must differ from the default")
        }
        #expect(Set(Self.samples.keys) == Set(PlatformConfiguration.keys.map(\.name)))
    }

    @Test(arguments: PlatformConfiguration.keys.map(\.name))
    func theEnvironmentVariableOfEveryKeyOverridesItsDefault(name: String) async throws {
        let key = try #require(PlatformConfiguration.key(named: name))
        let sample = try #require(Self.samples[name])
        try await withTemporaryDirectory { home in
            let configuration = try PlatformConfiguration.load(
                environment: Self.environment(home: home, [key.environmentVariable: sample]))
            #expect(configuration.value(forKey: name) == sample)
            #expect(configuration.source(ofKey: name) == .environment(variable: key.environmentVariable))
        }
    }

    @Test(arguments: PlatformConfiguration.keys.map(\.name))
    func aFlagForEveryKeyOverridesItsDefault(name: String) async throws {
        let sample = try #require(Self.samples[name])
        try await withTemporaryDirectory { home in
            let configuration = try PlatformConfiguration.load(
                flags: [name: sample], environment: Self.environment(home: home))
            #expect(configuration.value(forKey: name) == sample)
            #expect(configuration.source(ofKey: name) == .flag)
        }
    }

    @Test func theConfigFileOverridesDefaults() async throws {
        try await withTemporaryDirectory { home in
            let file = "\(home)/custom.json"
            try writeFile(file, #"{"server": {"port": 9001}, "log": {"level": "debug"}}"#)
            let configuration = try PlatformConfiguration.load(
                configFile: file, environment: Self.environment(home: home))
            #expect(configuration.server.port == 9001)
            #expect(configuration.log.level == .debug)
            #expect(configuration.source(ofKey: "server.port") == .file(path: file))
            #expect(configuration.server.host == "127.0.0.1")
            #expect(configuration.source(ofKey: "server.host") == .default)
        }
    }

    @Test func theEnvironmentOverridesTheConfigFile() async throws {
        try await withTemporaryDirectory { home in
            let file = "\(home)/custom.json"
            try writeFile(file, #"{"server.port": 9001, "log.level": "debug"}"#)
            let configuration = try PlatformConfiguration.load(
                configFile: file,
                environment: Self.environment(home: home, ["AIPLAT_SERVER_PORT": "9002"]))
            #expect(configuration.server.port == 9002)
            #expect(configuration.source(ofKey: "server.port") == .environment(variable: "AIPLAT_SERVER_PORT"))
            // Keys the environment does not set keep the file's value.
            #expect(configuration.log.level == .debug)
            #expect(configuration.source(ofKey: "log.level") == .file(path: file))
        }
    }

    @Test func flagsOverrideTheEnvironmentAndTheConfigFile() async throws {
        try await withTemporaryDirectory { home in
            let file = "\(home)/custom.json"
            try writeFile(file, #"{"server": {"port": 9001, "host": "10.0.0.1"}, "chain": {"id": 5}}"#)
            let configuration = try PlatformConfiguration.load(
                flags: ["server.port": "9003", "chain.id": "7"],
                configFile: file,
                environment: Self.environment(home: home, ["AIPLAT_SERVER_PORT": "9002", "AIPLAT_SERVER_HOST": "10.0.0.2"]))
            #expect(configuration.server.port == 9003)
            #expect(configuration.source(ofKey: "server.port") == .flag)
            #expect(configuration.chain.id == 7)
            #expect(configuration.server.host == "10.0.0.2")
            #expect(configuration.source(ofKey: "server.host") == .environment(variable: "AIPLAT_SERVER_HOST"))
        }
    }

    @Test func configJSONInTheDataDirectoryIsReadWhenNoFileIsGiven() async throws {
        try await withTemporaryDirectory { home in
            let dataDirectory = "\(home)/data"
            try writeFile("\(dataDirectory)/config.json", #"{"devchain": {"accounts": 4}}"#)
            let fromEnvironment = try PlatformConfiguration.load(
                environment: Self.environment(home: home, ["AIPLAT_DATA_DIR": dataDirectory]))
            #expect(fromEnvironment.devchain.accounts == 4)
            #expect(fromEnvironment.source(ofKey: "devchain.accounts") == .file(path: "\(dataDirectory)/config.json"))

            let fromFlag = try PlatformConfiguration.load(
                flags: ["data_dir": dataDirectory], environment: Self.environment(home: home))
            #expect(fromFlag.devchain.accounts == 4)
        }
    }

    @Test func theDefaultDataDirectoryIsUnderHomeAndItsConfigJSONIsRead() async throws {
        try await withTemporaryDirectory { home in
            try writeFile("\(home)/.aiplat/config.json", #"{"log": {"format": "json"}}"#)
            let configuration = try PlatformConfiguration.load(environment: Self.environment(home: home))
            #expect(configuration.log.format == .json)
            #expect(DataDirectory(configuration: configuration, homeDirectory: home).root == "\(home)/.aiplat")
        }
    }

    @Test func anExplicitConfigFileMaySetTheDataDirectory() async throws {
        try await withTemporaryDirectory { home in
            let file = "\(home)/custom.json"
            try writeFile(file, #"{"data_dir": "/srv/elsewhere"}"#)
            let configuration = try PlatformConfiguration.load(configFile: file, environment: Self.environment(home: home))
            #expect(configuration.dataDirectory == "/srv/elsewhere")
        }
    }

    @Test func unrelatedAIPLATVariablesAreIgnored() async throws {
        try await withTemporaryDirectory { home in
            let configuration = try PlatformConfiguration.load(
                environment: Self.environment(home: home, ["AIPLAT_PRIVATE_KEY": "0x01", "AIPLAT_SOMETHING": "x"]))
            #expect(configuration == PlatformConfiguration.defaults)
        }
    }

    @Test func describeListsEveryKeyWithItsValueAndSource() async throws {
        try await withTemporaryDirectory { home in
            let configuration = try PlatformConfiguration.load(
                flags: ["log.level": "warning"],
                environment: Self.environment(home: home, ["AIPLAT_SERVER_PORT": "9002"]))
            let lines = configuration.describe().split(separator: "\n").map(String.init)
            #expect(lines.count == PlatformConfiguration.keys.count)
            let port = try #require(lines.first { $0.hasPrefix("server.port ") })
            #expect(port.contains("9002") && port.hasSuffix("env AIPLAT_SERVER_PORT"))
            let level = try #require(lines.first { $0.hasPrefix("log.level ") })
            #expect(level.contains("warning") && level.hasSuffix("flag"))
            let host = try #require(lines.first { $0.hasPrefix("server.host ") })
            #expect(host.contains("127.0.0.1") && host.hasSuffix("default"))
        }
    }

    @Test func describeMasksPasswordsInURLs() async throws {
        try await withTemporaryDirectory { home in
            let configuration = try PlatformConfiguration.load(
                flags: ["database.url": "postgres://aiplat:s3cret@db.internal:5432/aiplat"],
                environment: Self.environment(home: home))
            let text = configuration.describe()
            #expect(!text.contains("s3cret"))
            #expect(text.contains("postgres://aiplat:***@db.internal:5432/aiplat"))
        }
    }

    @Test func devchainPathsDefaultToTheRepositoryWhenEmpty() throws {
        var configuration = PlatformConfiguration.defaults
        #expect(configuration.devchain.resolvedPython(repositoryRoot: "/repo") == "/repo/.venv/bin/python")
        #expect(configuration.devchain.resolvedScript(repositoryRoot: "/repo/") == "/repo/infra/devchain/devchain.py")
        configuration.devchain.python = "/usr/bin/python3"
        #expect(configuration.devchain.resolvedPython(repositoryRoot: "/repo") == "/usr/bin/python3")
    }
}
