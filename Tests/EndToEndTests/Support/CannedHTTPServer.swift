import Foundation
import Synchronization

/// A loopback HTTP/1.1 server that answers each request with what a closure returns, to put the
/// JSON-RPC client in front of rate limits, outages and malformed answers. One connection at a time;
/// every answer closes its connection.
final class CannedHTTPServer: Sendable {
    struct Response: Sendable {
        var status: Int
        var reason: String
        var headers: [String: String] = [:]
        var body: String

        static func json(_ body: String, status: Int = 200, reason: String = "OK") -> Response {
            Response(status: status, reason: reason, headers: ["Content-Type": "application/json"], body: body)
        }
    }

    typealias Responder = @Sendable (_ index: Int, _ body: String) -> Response

    let port: Int
    var url: String { "http://127.0.0.1:\(port)" }
    /// Bodies of the requests received so far.
    var requests: [String] { state.withLock { $0 } }

    private let listener: Int32
    private let state = Mutex<[String]>([])

    /// `respond` is nil for a server that accepts connections but never answers.
    init(respond: Responder?) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 && listen(fd, 16) == 0
            }
        }
        guard ok else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        guard let respond else { return }
        let thread = Thread { [self] in serve(respond) }
        thread.start()
    }

    /// Stops accepting (the accept loop ends with the listening socket).
    func shutdown() {
        Glibc.shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func serve(_ respond: Responder) {
        var index = 0
        while true {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            let body = readRequestBody(connection)
            state.withLock { $0.append(body) }
            let response = respond(index, body)
            index += 1
            var head = "HTTP/1.1 \(response.status) \(response.reason)\r\n"
            var headers = response.headers
            headers["Content-Length"] = String(response.body.utf8.count)
            headers["Connection"] = "close"
            for (name, value) in headers { head += "\(name): \(value)\r\n" }
            let bytes = Array((head + "\r\n" + response.body).utf8)
            _ = bytes.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            close(connection)
        }
    }

    private func readRequestBody(_ connection: Int32) -> String {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(connection, &buffer, buffer.count, 0)
            guard count > 0 else { break }
            received += buffer[0..<count]
            let text = String(decoding: received, as: UTF8.self)
            guard let end = text.range(of: "\r\n\r\n") else { continue }
            let head = text[..<end.lowerBound].lowercased()
            let length = head.split(separator: "\r\n")
                .first { $0.hasPrefix("content-length:") }
                .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
            let body = text[end.upperBound...]
            if body.utf8.count >= length { return String(body) }
        }
        return ""
    }

    /// The `id` of a single JSON-RPC request body, as JSON text.
    static func requestID(_ body: String) -> String {
        guard let range = body.range(of: #""id":"#) else { return "null" }
        return String(body[range.upperBound...].prefix { $0.isNumber })
    }
}
