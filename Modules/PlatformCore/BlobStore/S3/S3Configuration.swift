/// Where an S3-compatible bucket is and how to sign for it.
public struct S3Configuration: Sendable, Hashable {
    /// `scheme://host[:port]` of the service, e.g. `https://s3.eu-central-1.amazonaws.com` or
    /// `http://127.0.0.1:9000` (MinIO, moto).
    public var endpoint: String
    public var bucket: String
    public var region: String
    /// Prepended to every object key (`aiplat/` keeps the registry in one folder of a shared bucket).
    public var keyPrefix: String
    /// Path-style URLs (`endpoint/bucket/key`, what MinIO and moto want) instead of
    /// virtual-hosted ones (`bucket.endpoint/key`, AWS's default).
    public var pathStyle: Bool
    public var accessKeyID: String
    public var secretAccessKey: String
    /// Bytes per multipart part (S3's minimum is 5 MiB for every part but the last); also the
    /// most a write holds in memory at once.
    public var partSize: Int

    public init(
        endpoint: String, bucket: String, region: String = "us-east-1", keyPrefix: String = "", pathStyle: Bool = true,
        accessKeyID: String, secretAccessKey: String, partSize: Int = 8 << 20
    ) {
        self.endpoint = endpoint
        self.bucket = bucket
        self.region = region
        self.keyPrefix = keyPrefix
        self.pathStyle = pathStyle
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.partSize = max(partSize, 5 << 20)
    }
}
