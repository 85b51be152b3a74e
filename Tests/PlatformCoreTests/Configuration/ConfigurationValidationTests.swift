import Foundation
import Logging
import Testing

@testable import PlatformCore

/// Bad values and unknown keys are rejected with one line naming the key, the layer and the
/// expected type.
@Suite struct ConfigurationValidationTests {
    static func load(
        flags: [String: String] = [:], file: String? = nil, environment: [String: String] = [:]
    ) async throws -> PlatformConfiguration {
        try await withTemporaryDirectory { home in
            var configFile: String?
            if let file {
                configFile = "\(home)/config-under-test.json"
                try writeFile(configFile!, file)
            }
            return try PlatformConfiguration.load(
                flags: flags, configFile: configFile, environment: ["HOME": home].merging(environment) { $1 })
        }
    }

    /// Runs `load` and returns the ConfigurationError it must throw.
    static func error(
        flags: [String: String] = [:], file: String? = nil, environment: [String: String] = [:]
    ) async throws -> ConfigurationError {
        do {
            let configuration = try await load(flags: flags, file: file, environment: environment)
            Issue.record("expected an error, got \(configuration.describe())")
            throw CancellationError()
        } catch let error as ConfigurationError {
            #expect(!error.description.contains("\n"), "error must be one line: \(error)")
            return error
        }
    }

    @Test(arguments: [
        ("AIPLAT_SERVER_PORT", "abc", "server.port", "integer in 0...65535"),
        ("AIPLAT_SERVER_PORT", "70000", "server.port", "integer in 0...65535"),
        ("AIPLAT_SERVER_PORT", "", "server.port", "integer in 0...65535"),
        ("AIPLAT_CHAIN_ID", "0", "chain.id", "integer >= 1"),
        ("AIPLAT_DEVCHAIN_ACCOUNTS", "-3", "devchain.accounts", "integer in 1...1000"),
        ("AIPLAT_LOG_LEVEL", "loud", "log.level", "one of trace, debug, info, notice, warning, error, critical"),
        ("AIPLAT_LOG_FORMAT", "yaml", "log.format", "one of text, json"),
        ("AIPLAT_CHAIN_RPC_URL", "ftp://node", "chain.rpc_url", "http://, https://"),
        ("AIPLAT_CHAIN_RPC_URL", "", "chain.rpc_url", "http://, https://"),
        ("AIPLAT_DATABASE_URL", "mysql://db/x", "database.url", "sqlite:///absolute/path"),
        ("AIPLAT_DATABASE_URL", "sqlite://relative.db", "database.url", "sqlite:///absolute/path"),
        ("AIPLAT_DEVCHAIN_MNEMONIC", "test test junk", "devchain.mnemonic", "12, 15, 18, 21 or 24"),
    ])
    func aBadEnvironmentValueNamesTheKeyTheVariableAndTheExpectedType(
        variable: String, value: String, key: String, expected: String
    ) async throws {
        let error = try await Self.error(environment: [variable: value])
        #expect(error.code == .invalidValue)
        #expect(error.key == key)
        #expect(error.source == .environment(variable: variable))
        #expect(error.description.contains(key))
        #expect(error.description.contains(variable))
        #expect(error.description.contains("\"\(value)\""))
        #expect(error.description.contains(expected))
    }

    @Test func aBadFlagValueNamesTheKeyAndTheFlagLayer() async throws {
        let error = try await Self.error(flags: ["server.port": "http"])
        #expect(error.code == .invalidValue)
        #expect(error.key == "server.port")
        #expect(error.source == .flag)
        #expect(error.description == #"invalid value "http" for server.port from flag: expected integer in 0...65535"#)
    }

    @Test func anUnknownFlagKeyIsRejected() async throws {
        let error = try await Self.error(flags: ["server.prot": "1"])
        #expect(error.code == .unknownKey)
        #expect(error.key == "server.prot")
    }

    @Test func aQuotedNumberInTheFileIsRejectedBecauseTheFileIsTyped() async throws {
        let error = try await Self.error(file: #"{"server": {"port": "8080"}}"#)
        #expect(error.code == .invalidValue)
        #expect(error.key == "server.port")
        #expect(error.description.contains("config-under-test.json"))
        #expect(error.description.contains("expected integer"))
    }

    @Test func aNumberWhereTheFileExpectsAStringIsRejected() async throws {
        let error = try await Self.error(file: #"{"server": {"host": 127}}"#)
        #expect(error.key == "server.host")
        #expect(error.description.contains("expected a string"))
    }

    @Test func aFractionalPortInTheFileIsRejectedButAnIntegralOneIsAccepted() async throws {
        let error = try await Self.error(file: #"{"server.port": 80.5}"#)
        #expect(error.key == "server.port")
        let configuration = try await Self.load(file: #"{"server.port": 8081.0}"#)
        #expect(configuration.server.port == 8081)
    }

    @Test(arguments: [
        (#"{"server": {"prot": 1}}"#, "server.prot"),
        (#"{"serverport": 1}"#, "serverport"),
        (#"{"chain": {"rpc_url": "http://x:1", "rpc": "http://y"}}"#, "chain.rpc"),
    ])
    func anUnknownKeyInTheFileIsRejectedByName(file: String, key: String) async throws {
        let error = try await Self.error(file: file)
        #expect(error.code == .unknownKey)
        #expect(error.key == key)
        #expect(error.description.contains("\"\(key)\""))
        #expect(error.description.contains("config-under-test.json"))
    }

    @Test func theSameKeyNestedAndDottedInOneFileIsRejected() async throws {
        let error = try await Self.error(file: #"{"server": {"port": 1}, "server.port": 2}"#)
        #expect(error.key == "server.port")
        #expect(error.description.contains("twice"))
    }

    @Test(arguments: [
        (#"{"server": "#, "not valid JSON"),
        (#"[1, 2]"#, "expected a JSON object"),
        (#""just a string""#, "expected a JSON object"),
    ])
    func aMalformedFileIsRejectedWithItsPath(file: String, reason: String) async throws {
        let error = try await Self.error(file: file)
        #expect(error.code == .invalidFile)
        #expect(error.description.contains("config-under-test.json"))
        #expect(error.description.contains(reason))
    }

    @Test func aMissingExplicitConfigFileIsAnError() async throws {
        try await withTemporaryDirectory { home in
            #expect {
                try PlatformConfiguration.load(configFile: "\(home)/nope.json", environment: ["HOME": home])
            } throws: { error in
                let error = error as? ConfigurationError
                return error?.code == .invalidFile && error?.description.contains("nope.json") == true
            }
        }
    }

    @Test func theDataDirectorysOwnConfigFileCannotMoveTheDataDirectory() async throws {
        try await withTemporaryDirectory { home in
            try writeFile("\(home)/.aiplat/config.json", #"{"data_dir": "/elsewhere"}"#)
            #expect {
                try PlatformConfiguration.load(environment: ["HOME": home])
            } throws: { error in
                (error as? ConfigurationError)?.key == "data_dir"
            }
        }
    }

    @Test func logLevelsAreCaseInsensitiveInTheEnvironment() async throws {
        let configuration = try await Self.load(environment: ["AIPLAT_LOG_LEVEL": "WARNING"])
        #expect(configuration.log.level == .warning)
    }

    @Test func environmentVariableNamesAreUniqueAndFollowTheNamingRule() {
        let names = PlatformConfiguration.keys.map(\.environmentVariable)
        #expect(Set(names).count == names.count)
        #expect(PlatformConfiguration.key(named: "server.port")?.environmentVariable == "AIPLAT_SERVER_PORT")
        #expect(PlatformConfiguration.key(named: "data_dir")?.environmentVariable == "AIPLAT_DATA_DIR")
        #expect(PlatformConfiguration.key(named: "chain.rpc_url")?.environmentVariable == "AIPLAT_CHAIN_RPC_URL")
        #expect(PlatformConfiguration.key(named: "devchain.chain_id")?.environmentVariable == "AIPLAT_DEVCHAIN_CHAIN_ID")
    }
}
