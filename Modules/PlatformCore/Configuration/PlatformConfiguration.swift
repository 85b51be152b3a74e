import Foundation
import Logging

/// Every setting the platform reads, typed, with the layer each value came from.
///
/// Build one with ``load(flags:configFile:environment:)``; the layers, lowest precedence first, are
/// built-in defaults < config file (JSON) < `AIPLAT_*` environment variables < command-line flags.
/// The key table ``keys`` defines names, types, defaults and documentation for all of them.
public struct PlatformConfiguration: Sendable, Equatable {
    /// The HTTP server (`aiplat serve`).
    public struct Server: Sendable, Equatable {
        /// `server.host`: the address the HTTP server binds to.
        public var host = ""
        /// `server.port`: the TCP port the HTTP server listens on (0 picks a free port).
        public var port = 0
    }

    /// Structured logging.
    public struct Log: Sendable, Equatable {
        /// `log.level`: the lowest level written.
        public var level = Logger.Level.info
        /// `log.format`: text for people, JSON lines for machines.
        public var format = LogFormat.text
    }

    /// The SQL database behind every module.
    public struct Database: Sendable, Equatable {
        /// `database.url`: empty for the SQLite file in the data directory; see ``SQLDatabaseLocation``.
        public var url = ""
    }

    /// The EVM chain the platform talks to.
    public struct Chain: Sendable, Equatable {
        /// `chain.rpc_url`: the JSON-RPC endpoint.
        public var rpcURL = ""
        /// `chain.id`: the chain id transactions are signed for.
        public var id = 0
        /// `chain.confirmations`: blocks on top of a transaction's block before it counts as final.
        public var confirmations = 0
    }

    /// The local development chain started by `aiplat devchain` and `aiplat serve --dev`.
    public struct Devchain: Sendable, Equatable {
        /// `devchain.port`: the loopback port the devchain serves JSON-RPC on.
        public var port = 0
        /// `devchain.chain_id`: the devchain's chain id.
        public var chainID = 0
        /// `devchain.block_time`: seconds between blocks; 0 mines one block per transaction.
        public var blockTime = 0
        /// `devchain.accounts`: how many accounts are derived from the mnemonic and funded.
        public var accounts = 0
        /// `devchain.balance`: each account's starting balance, in ether.
        public var balance = 0
        /// `devchain.mnemonic`: the BIP-39 mnemonic accounts are derived from.
        public var mnemonic = ""
        /// `devchain.python`: the Python interpreter; empty means `<repo>/.venv/bin/python`.
        public var python = ""
        /// `devchain.script`: the devchain entry point; empty means `<repo>/infra/devchain/devchain.py`.
        public var script = ""

        /// The interpreter to run: ``python``, or `<repositoryRoot>/.venv/bin/python` when empty.
        public func resolvedPython(repositoryRoot: String) -> String {
            python.isEmpty ? PathExpansion.join(repositoryRoot, ".venv/bin/python") : python
        }

        /// The script to run: ``script``, or `<repositoryRoot>/infra/devchain/devchain.py` when empty.
        public func resolvedScript(repositoryRoot: String) -> String {
            script.isEmpty ? PathExpansion.join(repositoryRoot, "infra/devchain/devchain.py") : script
        }
    }

    /// The model registry (OCI distribution API on `aiplat serve`).
    public struct Registry: Sendable, Equatable {
        /// `registry.blob_dir`: the local blob store's directory; empty means `<data_dir>/blobs`.
        public var blobDirectory = ""
        /// `registry.max_blob_bytes`: the largest blob a client may push.
        public var maxBlobBytes = 0
        /// `registry.max_manifest_bytes`: the largest manifest a client may push.
        public var maxManifestBytes = 0
        /// `registry.anonymous_pull`: comma-separated repository patterns anyone may pull without a key.
        public var anonymousPull = ""
        /// `registry.storage`: where blobs live.
        public var storage = BlobStorageKind.local
        /// `registry.s3.endpoint`: the S3 service; empty means AWS in ``s3Region``.
        public var s3Endpoint = ""
        /// `registry.s3.bucket`: the bucket blobs go to.
        public var s3Bucket = ""
        /// `registry.s3.region`: the region requests are signed for.
        public var s3Region = ""
        /// `registry.s3.prefix`: prepended to every object key.
        public var s3Prefix = ""
        /// `registry.s3.addressing`: path-style or virtual-hosted bucket URLs.
        public var s3Addressing = S3Addressing.path
        /// `registry.s3.part_size`: bytes per multipart part.
        public var s3PartSize = 0

        /// The blob directory to use: ``blobDirectory``, or `dataDirectory.blobs` when empty.
        public func resolvedBlobDirectory(_ dataDirectory: DataDirectory) -> String {
            blobDirectory.isEmpty ? dataDirectory.blobs : PathExpansion.expand(blobDirectory, homeDirectory: PathExpansion.homeDirectory(environment: ProcessInfo.processInfo.environment))
        }

        /// ``anonymousPull`` split at commas, blanks dropped.
        public var anonymousPullPatterns: [String] {
            anonymousPull.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
    }

    public var server = Server()
    /// `data_dir`: the data directory root, as written (`~` not yet expanded; see ``DataDirectory``).
    public var dataDirectory = ""
    public var log = Log()
    public var database = Database()
    public var chain = Chain()
    public var devchain = Devchain()
    public var registry = Registry()

    /// The layer each key's effective value came from, by dotted key name.
    public internal(set) var sources: [String: ConfigurationSource] = [:]

    /// Placeholder values only; every public path starts from ``defaults``, which applies the key table.
    private init() {}

    /// The built-in defaults, straight from the key table, every source `.default`.
    public static var defaults: PlatformConfiguration {
        var configuration = PlatformConfiguration()
        for key in keys {
            key.applyDefault(&configuration)
            configuration.sources[key.name] = .default
        }
        return configuration
    }

    /// The key table entry named `name`, if any.
    public static func key(named name: String) -> ConfigurationKey? {
        keys.first { $0.name == name }
    }

    /// The effective value of `key` as text (the form an environment variable would take), or nil
    /// for an unknown key.
    public func value(forKey key: String) -> String? {
        Self.key(named: key)?.currentValue(self)
    }

    /// The layer the effective value of `key` came from.
    public func source(ofKey key: String) -> ConfigurationSource? {
        sources[key]
    }
}
