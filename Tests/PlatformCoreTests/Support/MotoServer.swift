import Foundation

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

    static func start() async throws -> MotoServer {
        let executable = repositoryRoot() + "/.venv/bin/moto_server"
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw Missing(description: "\(executable) is missing: run scripts/setup (it installs moto[server] from infra/requirements.txt)")
        }
        let port = try freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-H", "127.0.0.1", "-p", String(port)]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let server = MotoServer(process: process, endpoint: "http://127.0.0.1:\(port)")
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            var request = URLRequest(url: URL(string: server.endpoint + "/moto-api/")!)
            request.timeoutInterval = 1
            if (try? await URLSession.shared.data(for: request)) != nil { return server }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        server.stop()
        throw Missing(description: "moto_server did not answer on \(server.endpoint) within 30 s")
    }

    func stop() {
        // No waitUntilExit: it would block a thread of the test pool; Foundation reaps the child.
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    deinit { stop() }

    /// A port nothing listens on right now (bound to 0, read back, released).
    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw Missing(description: "cannot find a free loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
