import Logging

extension PlatformConfiguration {
    /// The standard development mnemonic used by anvil and Hardhat, so their scripts work unchanged.
    public static let standardTestMnemonic = "test test test test test test test test test test test junk"

    /// The key table: every configuration key, in documentation order. To add a key, add a stored
    /// property above and one row here, then regenerate `docs/configuration.md` (see
    /// ``markdownReference()``); the loader, `describe()` and the docs follow from this table.
    public static let keys: [ConfigurationKey] = [
        ConfigurationKey(
            "server.host", .string, default: "127.0.0.1",
            "Address the HTTP server binds to. Use 0.0.0.0 to listen on every interface.",
            \.server.host),
        ConfigurationKey(
            "server.port", .integer(in: 0...65535), default: 8080,
            "TCP port the HTTP server listens on; 0 picks a free port.",
            \.server.port),
        ConfigurationKey(
            "data_dir", .path, default: "~/.aiplat",
            "Root of the data directory (SQLite database, blobs, keystore, logs, pid files). Created with mode 0700.",
            \.dataDirectory),
        ConfigurationKey(
            "log.level", .choice, default: Logger.Level.info,
            "Lowest log level written to stderr.",
            \.log.level),
        ConfigurationKey(
            "log.format", .choice, default: LogFormat.text,
            "Log line format: text for people, json for one JSON object per line.",
            \.log.format),
        ConfigurationKey(
            "database.url", .databaseURL, default: "",
            "Database location. Empty: the SQLite file <data_dir>/aiplat.sqlite. sqlite:///absolute/path for another SQLite file; postgres://... is reserved for the PostgreSQL backend.",
            \.database.url),
        ConfigurationKey(
            "chain.rpc_url", .url(schemes: ["http", "https"], allowsEmpty: false), default: "http://127.0.0.1:8545",
            "Ethereum JSON-RPC endpoint of the chain the platform uses.",
            \.chain.rpcURL),
        ConfigurationKey(
            "chain.id", .integer(in: 1...Int.max), default: 31337,
            "Chain id transactions are signed for (EIP-155); must match the endpoint's eth_chainId.",
            \.chain.id),
        ConfigurationKey(
            "chain.confirmations", .integer(in: 0...1000), default: 1,
            "Blocks that must be mined on top of a transaction's block before it counts as final.",
            \.chain.confirmations),
        ConfigurationKey(
            "devchain.port", .integer(in: 0...65535), default: 8545,
            "Loopback port the local devchain serves JSON-RPC on; 0 picks a free port.",
            \.devchain.port),
        ConfigurationKey(
            "devchain.chain_id", .integer(in: 1...Int.max), default: 31337,
            "Chain id of the local devchain.",
            \.devchain.chainID),
        ConfigurationKey(
            "devchain.block_time", .integer(in: 0...86400), default: 0,
            "Seconds between devchain blocks; 0 mines a block for every transaction (automine).",
            \.devchain.blockTime),
        ConfigurationKey(
            "devchain.accounts", .integer(in: 1...1000), default: 10,
            "Number of devchain accounts derived from the mnemonic and funded.",
            \.devchain.accounts),
        ConfigurationKey(
            "devchain.balance", .integer(in: 0...1_000_000_000), default: 10000,
            "Starting balance of each devchain account, in ether.",
            \.devchain.balance),
        ConfigurationKey(
            "devchain.mnemonic", .mnemonic, default: standardTestMnemonic,
            "BIP-39 mnemonic the devchain accounts are derived from (m/44'/60'/0'/0/i, as anvil and Hardhat do).",
            \.devchain.mnemonic),
        ConfigurationKey(
            "devchain.python", .path, default: "",
            "Python interpreter that runs the devchain. Empty: <repo>/.venv/bin/python.",
            \.devchain.python),
        ConfigurationKey(
            "devchain.script", .path, default: "",
            "Devchain entry point. Empty: <repo>/infra/devchain/devchain.py.",
            \.devchain.script),
        ConfigurationKey(
            "registry.blob_dir", .path, default: "",
            "Directory of the registry's local content-addressed blob store. Empty: <data_dir>/blobs.",
            \.registry.blobDirectory),
        ConfigurationKey(
            "registry.max_blob_bytes", .integer(in: 1...Int.max), default: 64 << 30,
            "Largest blob (model file, layer) a client may push, in bytes; larger uploads are refused and discarded.",
            \.registry.maxBlobBytes),
        ConfigurationKey(
            "registry.max_manifest_bytes", .integer(in: 1024...(64 << 20)), default: 4 << 20,
            "Largest manifest a client may push, in bytes.",
            \.registry.maxManifestBytes),
        ConfigurationKey(
            "registry.anonymous_pull", .string, default: "",
            "Comma-separated repository patterns anyone may pull from without an API key (* matches any run of characters, e.g. public/*). Empty: every pull needs a key.",
            \.registry.anonymousPull),
        ConfigurationKey(
            "registry.storage", .choice, default: BlobStorageKind.local,
            "Where registry blobs live: local (registry.blob_dir) or s3 (registry.s3.*, credentials from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY).",
            \.registry.storage),
        ConfigurationKey(
            "registry.s3.endpoint", .url(schemes: ["http", "https"], allowsEmpty: true), default: "",
            "S3-compatible endpoint (MinIO, Ceph, ...). Empty: AWS, https://s3.<registry.s3.region>.amazonaws.com.",
            \.registry.s3Endpoint),
        ConfigurationKey(
            "registry.s3.bucket", .string, default: "",
            "Bucket for registry blobs; required when registry.storage is s3.",
            \.registry.s3Bucket),
        ConfigurationKey(
            "registry.s3.region", .string, default: "us-east-1",
            "Region S3 requests are signed for (SigV4).",
            \.registry.s3Region),
        ConfigurationKey(
            "registry.s3.prefix", .string, default: "",
            "Prepended to every object key, e.g. aiplat/ to keep the registry in one folder of a shared bucket.",
            \.registry.s3Prefix),
        ConfigurationKey(
            "registry.s3.addressing", .choice, default: S3Addressing.path,
            "Bucket URLs: path (endpoint/bucket/key; MinIO, Ceph) or virtual (bucket.endpoint/key; AWS buckets created since 2020).",
            \.registry.s3Addressing),
        ConfigurationKey(
            "registry.s3.part_size", .integer(in: (5 << 20)...(5 << 30)), default: 8 << 20,
            "Bytes per multipart part when writing to S3; also the most one transfer holds in memory.",
            \.registry.s3PartSize),
    ]
}
