import Foundation
import Synchronization

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A `moto_server` (PyPI `moto[server]`, installed into .venv by scripts/setup) on a free loopback
/// port: a real S3-compatible HTTP service for the S3 blob store tests, started and stopped by them.
final class MotoServer: Sendable {
    let process: Process
    let endpoint: String

    struct Missing: Error, CustomStringConvertible {
        let description: String
    }

    private init(process: Process, endpoint: String) {
        self.process = process
        self.endpoint = endpoint
    }

    /// Starts moto on a port it picks itself (`-p 0`) and reads the port from its banner, so no
    /// other server can take the port between choosing and binding it; ready once `/moto-api/`
    /// answers 200.
    static func start() async throws -> MotoServer {
        let executable = repositoryRoot() + "/.venv/bin/moto_server"
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw Missing(description: "\(executable) is missing: run scripts/setup (it installs moto[server] from infra/requirements.txt)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-H", "127.0.0.1", "-p", "0"]
        let standardError = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = standardError
        process.standardInput = FileHandle.nullDevice
        // The banner is kept (64 KiB at most); moto logs every request to stderr, so the pipe is
        // drained for its whole life or moto would block on a full pipe.
        let banner = Mutex(Data())
        standardError.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
                return
            }
            banner.withLock { if $0.count < 1 << 16 { $0.append(data) } }
        }
        try process.run()
        let deadline = ContinuousClock.now + .seconds(30)
        var endpoint: String?
        while ContinuousClock.now < deadline, process.isRunning {
            if endpoint == nil {
                let text = banner.withLock { String(decoding: $0, as: UTF8.self) }
                if let match = text.firstMatch(of: /Running on (http:\/\/127\.0\.0\.1:\d+)/) { endpoint = String(match.1) }
            }
            if let endpoint {
                var request = URLRequest(url: URL(string: endpoint + "/moto-api/")!)
                request.timeoutInterval = 1
                if let (_, response) = try? await URLSession.shared.data(for: request), (response as? HTTPURLResponse)?.statusCode == 200 {
                    return MotoServer(process: process, endpoint: endpoint)
                }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        let text = banner.withLock { String(decoding: $0.suffix(300), as: UTF8.self) }
        throw Missing(description: "moto_server did not become ready within 30 s (\(endpoint ?? "no port announced")): \(text)")
    }

    func stop() {
        // No waitUntilExit: it would block a thread of the test pool; Foundation reaps the child.
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    deinit { stop() }
}
