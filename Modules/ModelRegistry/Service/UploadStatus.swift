import PlatformCore

/// An upload session: its id (used in the upload URL) and how many bytes it holds.
public struct UploadStatus: Sendable, Hashable {
    public let id: String
    public let repository: RepositoryName
    public let size: Int64
}
