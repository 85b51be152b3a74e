import Foundation
import HTTPTypes
import Hummingbird

/// An error the API reports to its caller: an HTTP status and a JSON body in the OpenAI shape,
/// `{"error": {"message": ..., "type": ..., "code": ...}}`, so every client already knows how to read it.
public struct APIError: HTTPResponseError, Sendable, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var type: String
    public var code: String
    public var message: String

    public init(status: HTTPResponse.Status, type: String, code: String, message: String) {
        self.status = status
        self.type = type
        self.code = code
        self.message = message
    }

    public var description: String { message }

    public static func badRequest(_ message: String, code: String = "invalid_request") -> APIError {
        APIError(status: .badRequest, type: "invalid_request_error", code: code, message: message)
    }

    public static func notFound(_ message: String) -> APIError {
        APIError(status: .notFound, type: "not_found_error", code: "not_found", message: message)
    }

    public static func unavailable(_ message: String, code: String) -> APIError {
        APIError(status: .serviceUnavailable, type: "service_unavailable", code: code, message: message)
    }

    struct Body: Encodable {
        struct Detail: Encodable {
            let message: String
            let type: String
            let code: String
        }
        let error: Detail
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let data = try encoder.encode(Body(error: .init(message: message, type: type, code: code)))
        var buffer = ByteBuffer()
        buffer.writeBytes(data)
        return Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: buffer)
        )
    }
}
