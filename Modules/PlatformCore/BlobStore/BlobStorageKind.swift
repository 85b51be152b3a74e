/// `registry.storage`: which ``BlobStore`` holds the registry's blobs.
public enum BlobStorageKind: String, Sendable, CaseIterable, Hashable {
    /// ``LocalBlobStore`` in `registry.blob_dir`.
    case local
    /// ``S3BlobStore`` in `registry.s3.bucket`.
    case s3
}

/// `registry.s3.addressing`: how bucket URLs are formed.
public enum S3Addressing: String, Sendable, CaseIterable, Hashable {
    /// `endpoint/bucket/key`.
    case path
    /// `bucket.endpoint/key`.
    case virtual
}
