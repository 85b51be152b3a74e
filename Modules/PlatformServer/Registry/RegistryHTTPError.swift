import Foundation
import HTTPTypes
import Hummingbird
import ModelRegistry
import NIOCore

/// Renders a ``RegistryError`` the way OCI clients read it: the status the distribution spec
/// gives its code, and `{"errors":[{"code":...,"message":...,"detail":...}]}`.
enum RegistryHTTPError {
    static func status(for code: RegistryError.Code) -> HTTPResponse.Status {
        switch code {
        case .blobUnknown, .blobUploadUnknown, .manifestUnknown, .nameUnknown: .notFound
        case .unauthorized: .unauthorized
        case .denied: .forbidden
        case .unsupported: .notFound
        case .tooManyRequests: .tooManyRequests
        case .tooLarge: .contentTooLarge
        case .rangeInvalid: .rangeNotSatisfiable
        case .unknown: .internalServerError
        default: .badRequest
        }
    }

    struct Body: Encodable {
        struct Entry: Encodable {
            let code: String
            let message: String
            let detail: String?
        }
        let errors: [Entry]
    }

    static func response(_ error: RegistryError, headers extra: HTTPFields = [:]) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        let data = (try? encoder.encode(Body(errors: [.init(code: error.code.rawValue, message: error.message, detail: error.detail)])))
            ?? Data("{\"errors\":[]}".utf8)
        var headers: HTTPFields = [.contentType: "application/json"]
        headers.append(contentsOf: extra)
        return Response(status: status(for: error.code), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
