/// A model file that claims a format but does not parse as it.
public struct ModelFormatError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The file, relative to what was pushed.
    public let file: String
    /// The format its name or magic claims.
    public let format: ModelFileFormat
    public let reason: String

    public init(file: String, format: ModelFileFormat, reason: String) {
        self.file = file
        self.format = format
        self.reason = reason
    }

    public var description: String { "\(file) is not a valid \(format.rawValue) file: \(reason)" }
}
