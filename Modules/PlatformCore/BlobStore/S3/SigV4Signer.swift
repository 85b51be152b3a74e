import Foundation

/// AWS Signature Version 4 for S3 requests: canonical request, string to sign, the derived
/// signing key, and the `Authorization` header. Works with AWS and S3-compatible stores
/// (MinIO, Ceph, moto).
public struct SigV4Signer: Sendable {
    public var accessKeyID: String
    public var secretAccessKey: String
    public var region: String
    public var service: String

    public init(accessKeyID: String, secretAccessKey: String, region: String, service: String = "s3") {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.region = region
        self.service = service
    }

    /// The SHA-256 of an empty payload, as `x-amz-content-sha256` carries it.
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// The headers to add to a request: `x-amz-date`, `x-amz-content-sha256` and `Authorization`.
    ///
    /// - Parameters:
    ///   - path: the URL path, already percent-encoded as it goes on the wire.
    ///   - query: query parameters, unencoded.
    ///   - headers: every other header to sign (`host` included), names in any case.
    ///   - payloadHash: hex SHA-256 of the body.
    public func sign(
        method: String, path: String, query: [(String, String)], headers: [String: String], payloadHash: String, date: Date
    ) -> [String: String] {
        let amzDate = Self.timestamp(date)
        let day = String(amzDate.prefix(8))
        var signed = Dictionary(uniqueKeysWithValues: headers.map { ($0.key.lowercased(), $0.value.trimmingCharacters(in: .whitespaces)) })
        signed["x-amz-date"] = amzDate
        signed["x-amz-content-sha256"] = payloadHash
        let names = signed.keys.sorted()
        let encodedQuery: [(String, String)] = query.map { (Self.encode($0.0), Self.encode($0.1)) }
        let sortedQuery = encodedQuery.sorted { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }
        let canonicalQuery: String = sortedQuery.map { $0.0 + "=" + $0.1 }.joined(separator: "&")
        let canonicalHeaders: String = names.map { name in name + ":" + (signed[name] ?? "") + "\n" }.joined()
        let signedNames: String = names.joined(separator: ";")
        let canonicalPath: String = path.isEmpty ? "/" : path
        let canonicalRequest: String = [method, canonicalPath, canonicalQuery, canonicalHeaders, signedNames, payloadHash]
            .joined(separator: "\n")
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = [
            "AWS4-HMAC-SHA256", amzDate, scope, SHA256Hasher.hash(Array(canonicalRequest.utf8)).hex,
        ].joined(separator: "\n")
        var key = HMACSHA256.authenticate(Array(day.utf8), key: Array("AWS4\(secretAccessKey)".utf8))
        for part in [region, service, "aws4_request"] {
            key = HMACSHA256.authenticate(Array(part.utf8), key: key)
        }
        let signature = SHA256Digest(bytes: HMACSHA256.authenticate(Array(stringToSign.utf8), key: key)).hex
        return [
            "x-amz-date": amzDate,
            "x-amz-content-sha256": payloadHash,
            "Authorization":
                "AWS4-HMAC-SHA256 Credential=\(accessKeyID)/\(scope), SignedHeaders=\(names.joined(separator: ";")), Signature=\(signature)",
        ]
    }

    /// `YYYYMMDDTHHMMSSZ` in UTC.
    static func timestamp(_ date: Date) -> String {
        // LogTimestamp's RFC 3339 form, with the separators and milliseconds dropped.
        let text = LogTimestamp.format(secondsSince1970: date.timeIntervalSince1970.rounded(.down))
        let digits = text.prefix(19).filter { $0 != "-" && $0 != ":" }
        return digits + "Z"
    }

    /// RFC 3986 percent-encoding of everything but the unreserved characters (SigV4's UriEncode).
    public static func encode(_ text: String, keepingSlashes: Bool = false) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                result.append(Character(UnicodeScalar(byte)))
            case UInt8(ascii: "/") where keepingSlashes:
                result.append("/")
            default:
                result += String(format: "%%%02X", byte)
            }
        }
        return result
    }
}
