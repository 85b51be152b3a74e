import Foundation
import Synchronization

/// A real process started by a test, with its output collected so the test can wait for a line.
final class ChildProcess: Sendable {
    let process: Process
    private let stdoutText = TextBuffer()
    private let stderrText = TextBuffer()

    init(executable: URL, arguments: [String], environment: [String: String] = [:], directory: URL? = nil) throws {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        self.process = process
        out.fileHandleForReading.readabilityHandler = { [stdoutText] handle in
            let data = handle.availableData
            if !data.isEmpty { stdoutText.append(data) }
        }
        err.fileHandleForReading.readabilityHandler = { [stderrText] handle in
            let data = handle.availableData
            if !data.isEmpty { stderrText.append(data) }
        }
        try process.run()
    }

    var standardOutput: String { stdoutText.text }
    var standardError: String { stderrText.text }

    /// Waits until stdout has a line starting with `prefix` and returns it.
    func waitForLine(startingWith prefix: String, timeout: Duration = .seconds(90)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let line = standardOutput.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) {
                return String(line)
            }
            if !process.isRunning {
                throw ChildProcessFailure("exited with \(process.terminationStatus) before printing \"\(prefix)\"; stderr: \(standardError.suffix(2000))")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ChildProcessFailure("no line \"\(prefix)\" within \(timeout); stderr: \(standardError.suffix(2000))")
    }

    /// Sends `signal` and waits for the exit status.
    func stop(signal: Int32 = SIGTERM, timeout: Duration = .seconds(30)) async throws -> Int32 {
        if process.isRunning { kill(process.processIdentifier, signal) }
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline {
                kill(process.processIdentifier, SIGKILL)
                throw ChildProcessFailure("did not exit within \(timeout) after signal \(signal)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

/// Output collected from a pipe's handler thread and read by the test.
final class TextBuffer: Sendable {
    private let storage = Mutex("")
    func append(_ data: Data) { storage.withLock { $0 += String(decoding: data, as: UTF8.self) } }
    var text: String { storage.withLock { $0 } }
}

struct ChildProcessFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Paths of the built products and the checkout, as the tests see them (shared with the CLI tests).
enum TestPaths {
    static var repositoryRoot: URL { AIPlatCLI.repositoryRoot }

    /// The `aiplat` executable built beside the test bundle.
    static var aiplatExecutable: URL {
        AIPlatCLI.executable ?? repositoryRoot.appendingPathComponent(".build/debug/aiplat")
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("aiplat-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
