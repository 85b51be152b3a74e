/// A registry request that failed: the status, the OCI error code and message the server sent.
public struct RegistryClientError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The HTTP status (0 when no response came).
    public let status: Int
    /// The OCI error code (`UNAUTHORIZED`, `DENIED`, `MANIFEST_UNKNOWN`, ...), when the server sent one.
    public let code: String?
    public let message: String
    /// What was asked: `PUT /v2/org/model/manifests/v1`.
    public let request: String

    public init(status: Int, code: String?, message: String, request: String) {
        self.status = status
        self.code = code
        self.message = message
        self.request = request
    }

    public var description: String {
        let hint: String
        switch status {
        case 401: hint = " (pass --api-key, set AIPLAT_API_KEY or run `aiplat models login`)"
        case 403: hint = " (the API key lacks the scope for this)"
        default: hint = ""
        }
        let what = status == 0 ? "no response" : "\(status)\(code.map { " \($0)" } ?? "")"
        return "\(request): \(what): \(message)\(hint)"
    }
}
