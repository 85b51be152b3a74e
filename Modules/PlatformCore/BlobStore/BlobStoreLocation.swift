/// Where the registry's blobs live, decided from `registry.*` and the data directory, the way
/// ``SQLDatabaseLocation`` decides for the database.
public enum BlobStoreLocation: Sendable, Hashable, CustomStringConvertible {
    /// A local directory (``LocalBlobStore``).
    case directory(path: String)
    /// An S3-compatible bucket (``S3BlobStore``).
    case s3(S3Configuration)

    /// The location the configuration names. S3 credentials come from `AWS_ACCESS_KEY_ID` and
    /// `AWS_SECRET_ACCESS_KEY` in `environment`, never from a configuration file.
    /// - Throws: ``ConfigurationError`` when S3 is chosen without a bucket or credentials.
    public init(
        configuration: PlatformConfiguration, dataDirectory: DataDirectory, environment: [String: String]
    ) throws {
        let registry = configuration.registry
        switch registry.storage {
        case .local:
            self = .directory(path: registry.resolvedBlobDirectory(dataDirectory))
        case .s3:
            guard !registry.s3Bucket.isEmpty else {
                throw ConfigurationError(
                    code: .invalidValue, key: "registry.s3.bucket", source: configuration.source(ofKey: "registry.storage"),
                    message: "registry.storage is s3 but registry.s3.bucket is empty: name the bucket")
            }
            guard let accessKey = environment["AWS_ACCESS_KEY_ID"], !accessKey.isEmpty,
                let secret = environment["AWS_SECRET_ACCESS_KEY"], !secret.isEmpty
            else {
                throw ConfigurationError(
                    code: .invalidValue, key: "registry.storage", source: configuration.source(ofKey: "registry.storage"),
                    message: "registry.storage is s3 but AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set")
            }
            let endpoint = registry.s3Endpoint.isEmpty ? "https://s3.\(registry.s3Region).amazonaws.com" : registry.s3Endpoint
            self = .s3(
                S3Configuration(
                    endpoint: endpoint, bucket: registry.s3Bucket, region: registry.s3Region, keyPrefix: registry.s3Prefix,
                    pathStyle: registry.s3Addressing == .path, accessKeyID: accessKey, secretAccessKey: secret,
                    partSize: registry.s3PartSize))
        }
    }

    /// Opens the store (creating a local directory when missing).
    public func open() throws -> any BlobStore {
        switch self {
        case .directory(let path):
            let store = try LocalBlobStore(root: path)
            store.removeStaleTemporaryFiles()
            return store
        case .s3(let configuration):
            return S3BlobStore(configuration: configuration)
        }
    }

    /// Names the place, never a credential.
    public var description: String {
        switch self {
        case .directory(let path): "directory \(path)"
        case .s3(let configuration): "s3 \(configuration.endpoint) bucket \(configuration.bucket) prefix \"\(configuration.keyPrefix)\""
        }
    }
}
