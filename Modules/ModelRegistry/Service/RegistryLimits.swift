/// Size limits the registry enforces on what clients push.
public struct RegistryLimits: Sendable, Hashable {
    /// The largest blob (and upload) accepted, in bytes.
    public var maxBlobBytes: Int64
    /// The largest manifest accepted, in bytes (the OCI spec suggests registries take at least 4 MiB).
    public var maxManifestBytes: Int

    public init(maxBlobBytes: Int64 = 64 << 30, maxManifestBytes: Int = 4 << 20) {
        self.maxBlobBytes = maxBlobBytes
        self.maxManifestBytes = maxManifestBytes
    }
}
