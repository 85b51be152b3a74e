import PlatformCore

/// A registry failure, carrying the OCI distribution error code clients understand
/// (`BLOB_UNKNOWN`, `DIGEST_INVALID`, ...) and one readable line. The HTTP edge maps ``code`` to a
/// status and writes `{"errors":[{"code":...,"message":...,"detail":...}]}`.
public struct RegistryError: PlatformError, Equatable {
    /// An OCI distribution-spec error code (plus `TOO_LARGE`/`RANGE_INVALID` for our limits).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code as it appears on the wire.
        public let rawValue: String
        private init(_ rawValue: String) { self.rawValue = rawValue }

        public static let blobUnknown = Code("BLOB_UNKNOWN")
        public static let blobUploadInvalid = Code("BLOB_UPLOAD_INVALID")
        public static let blobUploadUnknown = Code("BLOB_UPLOAD_UNKNOWN")
        public static let digestInvalid = Code("DIGEST_INVALID")
        public static let manifestBlobUnknown = Code("MANIFEST_BLOB_UNKNOWN")
        public static let manifestInvalid = Code("MANIFEST_INVALID")
        public static let manifestUnknown = Code("MANIFEST_UNKNOWN")
        public static let nameInvalid = Code("NAME_INVALID")
        public static let nameUnknown = Code("NAME_UNKNOWN")
        public static let sizeInvalid = Code("SIZE_INVALID")
        public static let unauthorized = Code("UNAUTHORIZED")
        public static let denied = Code("DENIED")
        public static let unsupported = Code("UNSUPPORTED")
        public static let tooManyRequests = Code("TOOMANYREQUESTS")
        /// A failure on the registry's side (what distribution reports for internal errors).
        public static let unknown = Code("UNKNOWN")
        /// A blob or manifest over the configured size limit.
        public static let tooLarge = Code("SIZE_INVALID_TOO_LARGE")
        /// A chunk that does not continue the upload where its bytes end.
        public static let rangeInvalid = Code("RANGE_INVALID")

        public var description: String { rawValue }

        /// Lets `catch RegistryError.Code.blobUnknown { ... }` match on the code alone.
        public static func ~= (code: Code, error: any Error) -> Bool {
            (error as? RegistryError)?.code == code
        }
    }

    public var code: Code
    public var message: String
    /// Extra machine-readable context for the `detail` field (the digest, the name, ...).
    public var detail: String?

    public var errorCode: String { "registry.\(code.rawValue.lowercased())" }

    public init(_ code: Code, _ message: String, detail: String? = nil) {
        self.code = code
        self.message = message
        self.detail = detail
    }

    public static func == (lhs: RegistryError, rhs: RegistryError) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message && lhs.detail == rhs.detail
    }
}
