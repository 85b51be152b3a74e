/// The data directory could not be created or is unusable.
public struct DataDirectoryError: PlatformError {
    /// The kind of data directory failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// A directory could not be created (a parent is read-only, missing permissions, disk full).
        public static let cannotCreate = Code("cannot_create")
        /// A path that must be a directory is something else.
        public static let notADirectory = Code("not_a_directory")
        /// The directory exists but files cannot be written in it.
        public static let notWritable = Code("not_writable")

        public var description: String { name }
    }

    public var code: Code
    /// The directory concerned.
    public var path: String
    public var message: String
    public var cause: (any Error)?

    public var errorCode: String { "data_dir.\(code)" }

    init(_ code: Code, path: String, _ message: String, cause: (any Error)? = nil) {
        self.code = code
        self.path = path
        self.message = message
        self.cause = cause
    }
}
