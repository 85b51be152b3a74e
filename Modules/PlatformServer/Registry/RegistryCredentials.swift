import Foundation
import HTTPTypes

/// The API key a request carries: `Authorization: Bearer KEY`, or Basic with any user name and
/// the key as the password (what docker, skopeo and oras send).
enum RegistryCredentials: Equatable {
    case none
    case key(String)
    /// The token the token endpoint hands out to callers without credentials.
    case anonymousToken
    /// An `Authorization` header that is neither valid Bearer nor valid Basic.
    case malformed

    static let anonymousTokenValue = "anonymous"

    init(_ headers: HTTPFields) {
        guard let value = headers[.authorization] else {
            self = .none
            return
        }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2 else {
            self = .malformed
            return
        }
        let scheme = parts[0].lowercased()
        let credential = parts[1].trimmingCharacters(in: .whitespaces)
        switch scheme {
        case "bearer":
            self = credential == Self.anonymousTokenValue ? .anonymousToken : .key(credential)
        case "basic":
            guard let decoded = Data(base64Encoded: credential).map({ String(decoding: $0, as: UTF8.self) }),
                let colon = decoded.firstIndex(of: ":")
            else {
                self = .malformed
                return
            }
            let password = String(decoded[decoded.index(after: colon)...])
            self = password.isEmpty ? .none : .key(password)
        default:
            self = .malformed
        }
    }
}
