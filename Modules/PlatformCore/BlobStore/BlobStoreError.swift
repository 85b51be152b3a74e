/// A blob store failure: a ``Code`` to branch on and one readable line.
public struct BlobStoreError: PlatformError {
    /// The kind of failure. New kinds may be added; switch with a `default`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// Text that should be a digest is not `sha256:<64 hex>`.
        public static let invalidDigest = Code("invalid_digest")
        /// The bytes written do not hash to the digest the caller expected; nothing was kept.
        public static let digestMismatch = Code("digest_mismatch")
        /// No blob (or upload) with that digest (or id).
        public static let notFound = Code("not_found")
        /// A requested byte range lies outside the blob.
        public static let rangeNotSatisfiable = Code("range_not_satisfiable")
        /// A write would exceed the size limit the caller set; nothing was kept.
        public static let tooLarge = Code("too_large")
        /// An upload id is not a plain token, or an append does not start where the upload ends.
        public static let invalidUpload = Code("invalid_upload")
        /// The upload is being written by another request right now.
        public static let uploadBusy = Code("upload_busy")
        /// The file system refused (permissions, disk full, ...).
        public static let io = Code("io")

        public var description: String { name }

        /// Lets `catch BlobStoreError.Code.notFound { ... }` match on the code alone.
        public static func ~= (code: Code, error: any Error) -> Bool {
            (error as? BlobStoreError)?.code == code
        }
    }

    public var code: Code
    public var message: String
    public var cause: (any Error)?

    public var errorCode: String { "blobs.\(code)" }

    public init(_ code: Code, _ message: String, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }
}
