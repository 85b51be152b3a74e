import Foundation
import Testing

/// Runs the real, built `aiplat` executable as a subprocess, as a user would from a shell.
enum AIPlatCLI {
    /// What one run printed and how it exited.
    struct Result: Sendable, CustomStringConvertible {
        let status: Int32
        let stdout: String
        let stderr: String

        /// stdout split into lines, without the final newline.
        var lines: [String] {
            var lines = stdout.components(separatedBy: "\n")
            if lines.last == "" { lines.removeLast() }
            return lines
        }

        /// stderr split into lines, without the final newline.
        var errorLines: [String] {
            var lines = stderr.components(separatedBy: "\n")
            if lines.last == "" { lines.removeLast() }
            return lines
        }

        /// stdout without surrounding whitespace: the value a one-value command printed.
        var output: String { stdout.trimmingCharacters(in: .whitespacesAndNewlines) }

        var description: String { "exit \(status)\nstdout: \(stdout)\nstderr: \(stderr)" }
    }

    /// The repository root, found from this file's location.
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `aiplat` binary in the build products directory that holds the running test bundle,
    /// else `.build/debug/aiplat` under the repository root.
    static let executable: URL? = {
        let fileManager = FileManager.default
        var candidates: [URL] = []
        let testExecutable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = testExecutable.deletingLastPathComponent()
        // On macOS the bundle is a directory (…/debug/X.xctest/Contents/MacOS/X): walk up to …/debug.
        for _ in 0..<4 {
            candidates.append(directory.appendingPathComponent("aiplat"))
            directory = directory.deletingLastPathComponent()
        }
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("aiplat"))
        candidates.append(repositoryRoot.appendingPathComponent(".build/debug/aiplat"))
        return candidates.first { fileManager.isExecutableFile(atPath: $0.path) }
    }()

    /// Environment variables that would change what a command does; removed from every run so the
    /// developer's shell cannot leak into the tests.
    static let scrubbedVariables = [
        "AIPLAT_PRIVATE_KEY", "ETH_RPC_URL", "AIPLAT_CHAIN_RPC_URL", "AIPLAT_DATA_DIR", "AIPLAT_REGISTRY", "AIPLAT_API_KEY",
        "AIPLAT_MODEL_REGISTRY_CONTRACT",
    ]

    /// Runs `aiplat <arguments>` with `environment` added, in `directory` (default: a temporary one, so
    /// relative paths never touch the checkout), and returns once it exits (killing it after `timeout`).
    static func run(
        _ arguments: [String], environment: [String: String] = [:], directory: URL? = nil,
        timeout: Duration = .seconds(120), sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> Result {
        let executable = try #require(
            executable, "aiplat binary not found next to the tests or in .build/debug: run `swift build --build-tests`",
            sourceLocation: sourceLocation)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("aiplat-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let stdoutURL = scratch.appendingPathComponent("stdout")
        let stderrURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        let stdoutHandle = try FileHandle(forWritingTo: stdoutURL)
        let stderrHandle = try FileHandle(forWritingTo: stderrURL)

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? scratch
        var processEnvironment = ProcessInfo.processInfo.environment
        for name in scrubbedVariables { processEnvironment.removeValue(forKey: name) }
        // A fresh data directory: no config.json or keystore of the developer's is read or written.
        processEnvironment["AIPLAT_DATA_DIR"] = scratch.appendingPathComponent("data").path
        processEnvironment.merge(environment) { _, new in new }
        process.environment = processEnvironment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = stdoutHandle
        process.standardError = stderrHandle

        // The handler is set before `run()` so an instant exit is never missed.
        let (exits, exitContinuation) = AsyncStream<Int32>.makeStream()
        process.terminationHandler = { finished in
            exitContinuation.yield(finished.terminationStatus)
            exitContinuation.finish()
        }
        try process.run()
        let pid = process.processIdentifier
        let watchdog = Task {
            try await Task.sleep(for: timeout)
            kill(pid, SIGKILL)
        }
        var status: Int32 = -1
        for await exitStatus in exits { status = exitStatus }
        watchdog.cancel()
        try stdoutHandle.close()
        try stderrHandle.close()
        return Result(
            status: status,
            stdout: String(decoding: try Data(contentsOf: stdoutURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: stderrURL), as: UTF8.self))
    }

    /// Runs a command that must succeed with nothing on stderr, and returns its result.
    @discardableResult
    static func succeed(
        _ arguments: [String], environment: [String: String] = [:], directory: URL? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> Result {
        let result = try await run(arguments, environment: environment, directory: directory, sourceLocation: sourceLocation)
        #expect(result.status == 0, "aiplat \(arguments.joined(separator: " ")) failed: \(result)", sourceLocation: sourceLocation)
        #expect(result.stderr.isEmpty, "aiplat \(arguments.joined(separator: " ")) wrote to stderr: \(result.stderr)", sourceLocation: sourceLocation)
        return result
    }

    /// Checks the contract every failure keeps: a non-zero exit, nothing on stdout, and exactly one
    /// stderr line starting `error: ` that contains `fragment` (case-insensitive).
    static func expectOneLineError(
        _ result: Result, mentioning fragment: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(result.status != 0, "expected a failure: \(result)", sourceLocation: sourceLocation)
        #expect(result.errorLines.count == 1, "expected one stderr line: \(result)", sourceLocation: sourceLocation)
        let line = result.errorLines.first ?? ""
        #expect(line.hasPrefix("error: "), "stderr must start with `error: `: \(result)", sourceLocation: sourceLocation)
        #expect(line.lowercased().contains(fragment.lowercased()), "stderr must mention \"\(fragment)\": \(result)", sourceLocation: sourceLocation)
        #expect(!line.contains("Usage:") && !line.contains("Error("), "no usage dump or Swift description: \(result)", sourceLocation: sourceLocation)
    }
}

/// The reference outputs written by `scripts/vectors/gen_cli.py` (eth-utils, eth-abi, eth-account).
enum ChainCLIVectors {
    static func load() throws -> [String: Any] {
        let url = AIPlatCLI.repositoryRoot.appendingPathComponent("Tests/EthereumKitTests/Vectors/cli.json")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
        return try #require(object as? [String: Any])
    }

    /// The cases of one section, each a JSON object.
    static func cases(_ section: String) throws -> [[String: Any]] {
        try #require(try load()[section] as? [[String: Any]], "cli.json has no section \(section)")
    }
}

/// anvil's and Hardhat's first dev accounts (`test test ... junk`), which the devchain funds.
enum ChainCLIAccounts {
    static let account0 = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
    static let key0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
    static let account1 = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
    static let key1 = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"
    static let account2 = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"
    static let key2 = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a"
}
