import Foundation
import Logging
import Synchronization

/// The local devchain (`infra/devchain/devchain.py`, a JSON-RPC server over py-evm) as a child process.
///
/// ```swift
/// let devchain = try await DevchainProcess.start()
/// let client = try EthereumClient(url: devchain.rpcURL)
/// ...
/// await devchain.stop()
/// ```
/// `start` returns once the process printed its `Listening on host:port` line and answers
/// `eth_chainId`. `stop` sends SIGTERM and, after a grace period, SIGKILL. A process never stopped
/// is terminated when the value is deinitialised, and the devchain exits by itself when this process
/// dies (it watches the parent named by `AIPLAT_DEVCHAIN_PARENT_PID`, which `start` sets).
public actor DevchainProcess {
    /// `http://host:port` of the running devchain.
    public nonisolated let rpcURL: String
    /// The port it listens on (the real one when 0 was asked).
    public nonisolated let port: Int
    public nonisolated let host: String
    public nonisolated let chainID: UInt64
    /// The child's process id.
    public nonisolated let processID: Int32

    private let process: Process
    private let output: OutputCollector
    private let logger: Logger

    private init(process: Process, output: OutputCollector, host: String, port: Int, chainID: UInt64, logger: Logger) {
        self.process = process
        self.output = output
        self.host = host
        self.port = port
        self.chainID = chainID
        self.processID = process.processIdentifier
        self.rpcURL = "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
        self.logger = logger
    }

    deinit {
        if process.isRunning { process.terminate() }
    }

    /// Starts the devchain and waits until it answers JSON-RPC.
    ///
    /// - Parameters:
    ///   - options: anvil-like flags (default: loopback, a free port, chain id 31337).
    ///   - repositoryRoot: the checkout holding `infra/devchain/devchain.py`; found by walking up from
    ///     the current directory (then from this source file) when nil.
    ///   - python: the interpreter; `<root>/.venv/bin/python` (or `$AIPLAT_PYTHON`) when nil.
    ///   - startupTimeout: how long to wait for the ready line and the first answer.
    ///   - outputLine: called with every line the devchain writes (stdout and stderr), e.g. to show its
    ///     banner of accounts and keys in the foreground `aiplat devchain`; lines also go to `logger` at debug.
    public static func start(
        options: DevchainOptions = DevchainOptions(), repositoryRoot: URL? = nil, python: String? = nil,
        startupTimeout: Duration = .seconds(60),
        logger: Logger = Logger(label: "aiplat.devchain", factory: { _ in SwiftLogNoOpLogHandler() }),
        outputLine: (@Sendable (String) -> Void)? = nil
    ) async throws -> DevchainProcess {
        guard let root = repositoryRoot ?? findRepositoryRoot() else {
            throw DevchainError(
                "cannot find infra/devchain/devchain.py above \(FileManager.default.currentDirectoryPath); "
                    + "run from the aiplat checkout or pass repositoryRoot")
        }
        let script = root.appendingPathComponent(scriptPath)
        guard FileManager.default.fileExists(atPath: script.path) else {
            throw DevchainError("devchain script not found at \(script.path)")
        }
        let interpreter = python ?? pythonExecutable(repositoryRoot: root)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: interpreter)
        process.arguments = ["-u", script.path] + options.arguments
        process.currentDirectoryURL = root
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONUNBUFFERED"] = "1"
        // The devchain exits when it is re-parented, so a kill -9 of this process (or a crashed test
        // runner) does not leave it holding its port.
        environment["AIPLAT_DEVCHAIN_PARENT_PID"] = String(getpid())
        process.environment = environment
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice

        let output = OutputCollector(logger: logger, onLine: outputLine)
        for pipe in [stdout, stderr] {
            pipe.fileHandleForReading.readabilityHandler = { handle in
                let data = handle.availableData
                if data.isEmpty {
                    handle.readabilityHandler = nil
                } else {
                    output.append(data)
                }
            }
        }
        process.terminationHandler = { _ in output.markExited() }

        do {
            try process.run()
        } catch {
            throw DevchainError("cannot start devchain with \(interpreter): \(error.localizedDescription)")
        }
        logger.info("devchain starting", metadata: ["pid": "\(process.processIdentifier)", "python": "\(interpreter)"])

        let clock = ContinuousClock()
        let deadline = clock.now + startupTimeout
        func fail(_ message: String) async -> DevchainError {
            if process.isRunning {
                process.terminate()
                await waitForExit(process, timeout: .seconds(3))
            }
            return DevchainError(message, outputTail: output.tail)
        }

        // 1. The ready line names the real port.
        var listening: (host: String, port: Int)?
        while listening == nil {
            if let found = output.readyAddress {
                listening = found
                break
            }
            if output.exited || !process.isRunning {
                // Give the pipe a moment to deliver the last words.
                try? await Task.sleep(for: .milliseconds(100))
                throw await fail("devchain exited with status \(process.terminationStatus) before it was ready")
            }
            guard clock.now < deadline else {
                throw await fail("devchain printed no \"Listening on\" line within \(startupTimeout)")
            }
            do {
                try await Task.sleep(for: .milliseconds(20))
            } catch {
                throw await fail("devchain start cancelled")
            }
        }
        guard let listening else { throw await fail("devchain did not report its address") }

        let devchain = DevchainProcess(
            process: process, output: output, host: listening.host, port: listening.port,
            chainID: options.chainID, logger: logger)

        // 2. It answers eth_chainId.
        let client = try EthereumClient(
            url: devchain.rpcURL,
            configuration: .init(requestTimeout: .seconds(5), retry: .none))
        while true {
            do {
                let answered = try await client.chainID()
                guard answered == options.chainID else {
                    await devchain.stop()
                    throw DevchainError("devchain answered chain id \(answered), expected \(options.chainID)")
                }
                break
            } catch let error as DevchainError {
                throw error
            } catch {
                guard clock.now < deadline, process.isRunning else {
                    await devchain.stop()
                    throw DevchainError("devchain at \(devchain.rpcURL) does not answer: \(error)", outputTail: output.tail)
                }
                try? await Task.sleep(for: .milliseconds(50))
            }
        }
        logger.info("devchain ready", metadata: ["url": "\(devchain.rpcURL)"])
        return devchain
    }

    /// True while the child runs.
    public var isRunning: Bool { process.isRunning }

    /// The last lines the devchain wrote (stdout and stderr), for diagnostics.
    public nonisolated var outputTail: String { output.tail }

    /// Stops the devchain: SIGTERM, then SIGKILL if it is still running after `gracePeriod`.
    public func stop(gracePeriod: Duration = .seconds(5)) async {
        guard process.isRunning else { return }
        process.terminate()
        await Self.waitForExit(process, timeout: gracePeriod)
        if process.isRunning {
            logger.warning("devchain ignored SIGTERM; killing it", metadata: ["pid": "\(processID)"])
            kill(processID, SIGKILL)
            await Self.waitForExit(process, timeout: .seconds(5))
        }
    }

    private static func waitForExit(_ process: Process, timeout: Duration) async {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while process.isRunning, clock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    // MARK: Locating the checkout

    /// The devchain script, relative to the repository root.
    public static let scriptPath = "infra/devchain/devchain.py"

    /// The nearest directory at or above `start` that contains `infra/devchain/devchain.py`.
    /// With no `start`: the current directory, then the directory of this source file (for tests).
    public static func findRepositoryRoot(startingAt start: URL? = nil) -> URL? {
        let candidates = start.map { [$0] } ?? [
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
            URL(fileURLWithPath: #filePath).deletingLastPathComponent(),
        ]
        for candidate in candidates {
            var directory = candidate.standardizedFileURL
            while true {
                if FileManager.default.fileExists(atPath: directory.appendingPathComponent(scriptPath).path) {
                    return directory
                }
                let parent = directory.deletingLastPathComponent()
                if parent.path == directory.path { break }
                directory = parent
            }
        }
        return nil
    }

    /// `$AIPLAT_PYTHON` when set, else `<root>/.venv/bin/python` when it exists, else `/usr/bin/python3`.
    public static func pythonExecutable(repositoryRoot root: URL) -> String {
        if let configured = ProcessInfo.processInfo.environment["AIPLAT_PYTHON"], !configured.isEmpty {
            return configured
        }
        let venv = root.appendingPathComponent(".venv/bin/python").path
        if FileManager.default.isExecutableFile(atPath: venv) { return venv }
        return "/usr/bin/python3"
    }
}

/// Collects the child's output from the pipes' reader threads: keeps the last lines for
/// diagnostics and notices the ready line. Mutex-protected, so safe to share across threads.
private final class OutputCollector: Sendable {
    private struct State {
        var pending = ""
        var lines: [String] = []
        var readyAddress: (host: String, port: Int)?
        var exited = false
    }

    private let state = Mutex(State())
    private let logger: Logger
    private let onLine: (@Sendable (String) -> Void)?

    init(logger: Logger, onLine: (@Sendable (String) -> Void)?) {
        self.logger = logger
        self.onLine = onLine
    }

    func append(_ data: Data) {
        let text = String(decoding: data, as: UTF8.self)
        let completed: [String] = state.withLock { state in
            state.pending += text
            var lines = state.pending.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            state.pending = lines.removeLast()
            for line in lines {
                if state.readyAddress == nil, let address = Self.parseReadyLine(line) {
                    state.readyAddress = address
                }
            }
            state.lines += lines
            if state.lines.count > 200 { state.lines.removeFirst(state.lines.count - 200) }
            return lines
        }
        for line in completed {
            logger.debug("\(line)", metadata: ["source": "devchain"])
            onLine?(line)
        }
    }

    func markExited() { state.withLock { $0.exited = true } }

    var exited: Bool { state.withLock { $0.exited } }
    var readyAddress: (host: String, port: Int)? { state.withLock { $0.readyAddress } }

    var tail: String {
        state.withLock { state in
            (state.lines.suffix(20) + (state.pending.isEmpty ? [] : [state.pending])).joined(separator: "\n")
        }
    }

    /// `Listening on 127.0.0.1:8545` (also `http://` URLs and `[::1]:8545`).
    static func parseReadyLine(_ line: String) -> (host: String, port: Int)? {
        guard let range = line.range(of: "Listening on ") else { return nil }
        var address = line[range.upperBound...].trimmingCharacters(in: .whitespaces)
        if address.hasPrefix("http://") { address.removeFirst("http://".count) }
        if let space = address.firstIndex(of: " ") { address = String(address[..<space]) }
        while address.hasSuffix("/") { address.removeLast() }
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]) else {
            return nil
        }
        var host = String(address[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host.isEmpty ? "127.0.0.1" : host, port)
    }
}
