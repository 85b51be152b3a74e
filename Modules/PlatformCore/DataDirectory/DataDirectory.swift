import Foundation

/// The on-disk layout under the data directory root (`~/.aiplat` by default):
///
/// ```
/// <root>/
///   config.json     optional configuration file
///   aiplat.sqlite   the embedded database (plus its -wal and -shm files)
///   blobs/          content-addressed blob store
///   keystore/       V3 keystore files
///   logs/           log files of spawned processes (devchain, ...)
///   run/            pid files
///   tmp/            scratch space; same file system as blobs/ so finished files can be renamed in
/// ```
///
/// Directories are created with mode 0700: the keystore and the database are private to the user.
/// Existing directories keep their permissions.
public struct DataDirectory: Sendable, Hashable {
    /// The absolute root path, with `~` expanded.
    public let root: String

    /// - Parameters:
    ///   - path: the root as configured; `~` and `~/...` expand to `homeDirectory`, a relative path
    ///     is taken from the current directory.
    ///   - homeDirectory: defaults to `HOME`.
    public init(path: String, homeDirectory: String? = nil) {
        let home = homeDirectory ?? PathExpansion.homeDirectory(environment: ProcessInfo.processInfo.environment)
        self.root = PathExpansion.expand(path, homeDirectory: home)
    }

    /// The data directory named by `configuration.dataDirectory` (`data_dir`).
    public init(configuration: PlatformConfiguration, homeDirectory: String? = nil) {
        self.init(path: configuration.dataDirectory, homeDirectory: homeDirectory)
    }

    /// `<root>/config.json`.
    public var configFile: String { PathExpansion.join(root, PlatformConfiguration.configFileName) }
    /// `<root>/aiplat.sqlite`, the embedded database file.
    public var databaseFile: String { PathExpansion.join(root, "aiplat.sqlite") }
    /// `<root>/blobs`.
    public var blobs: String { PathExpansion.join(root, "blobs") }
    /// `<root>/keystore`.
    public var keystore: String { PathExpansion.join(root, "keystore") }
    /// `<root>/logs`.
    public var logs: String { PathExpansion.join(root, "logs") }
    /// `<root>/run`, for pid files.
    public var run: String { PathExpansion.join(root, "run") }
    /// `<root>/tmp`.
    public var tmp: String { PathExpansion.join(root, "tmp") }

    /// Every directory of the layout, root first.
    public var directories: [String] { [root, blobs, keystore, logs, run, tmp] }

    /// The pid file of a spawned component, e.g. `pidFile(for: "devchain")` -> `<root>/run/devchain.pid`.
    public func pidFile(for component: String) -> String {
        PathExpansion.join(run, "\(component).pid")
    }

    /// Creates every missing directory of the layout with mode 0700 and checks that the root is
    /// writable. Idempotent.
    /// - Throws: ``DataDirectoryError`` naming the path and the reason.
    @discardableResult
    public func create() throws -> DataDirectory {
        let fileManager = FileManager.default
        for directory in directories {
            var isDirectory: ObjCBool = false
            if fileManager.fileExists(atPath: directory, isDirectory: &isDirectory) {
                guard isDirectory.boolValue else {
                    throw DataDirectoryError(.notADirectory, path: directory, "\(directory) exists and is not a directory")
                }
                continue
            }
            do {
                try fileManager.createDirectory(
                    atPath: directory, withIntermediateDirectories: true,
                    attributes: [.posixPermissions: 0o700])
                // The attribute goes through the umask on some platforms; state the mode explicitly.
                try fileManager.setAttributes([.posixPermissions: 0o700], ofItemAtPath: directory)
            } catch {
                throw DataDirectoryError(
                    .cannotCreate, path: directory,
                    "cannot create data directory \(directory) (choose another with --data-dir or AIPLAT_DATA_DIR)",
                    cause: ShortError(error))
            }
        }
        try checkWritable()
        return self
    }

    /// Writes and removes a probe file in `tmp/`, because permission bits alone do not tell
    /// (read-only mounts, ACLs, root squashing).
    private func checkWritable() throws {
        let probe = PathExpansion.join(tmp, ".write-probe-\(ProcessInfo.processInfo.processIdentifier)")
        guard FileManager.default.createFile(atPath: probe, contents: Data("ok".utf8)) else {
            throw DataDirectoryError(
                .notWritable, path: root,
                "data directory \(root) is not writable (check its owner and permissions, or choose another with --data-dir)")
        }
        try? FileManager.default.removeItem(atPath: probe)
    }
}

/// Foundation's file errors print as multi-line `Error Domain=...` dumps; keep the readable sentence.
struct ShortError: Error, CustomStringConvertible {
    let description: String
    init(_ error: any Error) {
        description = error.localizedDescription.replacingOccurrences(of: "\n", with: " ")
    }
}
