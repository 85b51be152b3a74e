import EthereumKit
import Foundation
import PlatformCore

/// Reading and writing V3 keystore files on disk (the format itself is `KeystoreFile`'s).
enum KeystoreFiles {
    /// Parses the keystore at `path`.
    static func read(_ path: String) throws -> KeystoreFile {
        let data = try InputFiles.read(path, what: "keystore")
        do {
            return try KeystoreFile(json: data)
        } catch {
            throw ChainCLIError("keystore \"\(path)\": \(error)")
        }
    }

    /// Decrypts `keystore` (read from `path`, named in errors) with `password`.
    static func decrypt(_ keystore: KeystoreFile, path: String, password: String) throws -> PrivateKey {
        do {
            return try keystore.decrypt(password: password)
        } catch .wrongPassword {
            throw ChainCLIError("wrong password for keystore \"\(path)\" (MAC mismatch)")
        } catch {
            throw ChainCLIError("keystore \"\(path)\": \(error)")
        }
    }

    /// geth's file name for a keystore: `UTC--2024-01-02T03-04-05.678000000Z--<address without 0x>`.
    static func gethFileName(address: Address, date: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH-mm-ss.SSS'000000Z'"
        return "UTC--\(formatter.string(from: date))--\(Hex.encode(address.bytes, prefix: false))"
    }

    /// The default directory for new keystores: the platform data directory's `keystore/`
    /// (`data_dir`, `$AIPLAT_DATA_DIR`, default `~/.aiplat`).
    static func defaultDirectory() throws -> URL {
        let configuration = try PlatformConfiguration.load()
        return URL(fileURLWithPath: DataDirectory(configuration: configuration).keystore)
    }

    /// Writes `keystore` to `output` (a file path, or an existing directory to hold a geth-named file;
    /// nil: the default directory), readable by the owner only, never replacing an existing file.
    /// Returns the path written.
    static func write(_ keystore: KeystoreFile, address: Address, to output: String?) throws -> String {
        let fileManager = FileManager.default
        var target: URL
        if let output {
            target = URL(fileURLWithPath: (output as NSString).expandingTildeInPath)
            var isDirectory: ObjCBool = false
            if fileManager.fileExists(atPath: target.path, isDirectory: &isDirectory), isDirectory.boolValue {
                target.appendPathComponent(gethFileName(address: address))
            }
        } else {
            target = try defaultDirectory().appendingPathComponent(gethFileName(address: address))
        }
        let directory = target.deletingLastPathComponent()
        do {
            try fileManager.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw ChainCLIError("cannot create directory \"\(directory.path)\": \(error.localizedDescription)")
        }
        guard !fileManager.fileExists(atPath: target.path) else {
            throw ChainCLIError("cannot write keystore \"\(target.path)\": the file exists (choose another --out)")
        }
        guard fileManager.createFile(atPath: target.path, contents: keystore.json(), attributes: [.posixPermissions: 0o600]) else {
            throw ChainCLIError("cannot write keystore \"\(target.path)\": permission denied or no such directory")
        }
        return target.path
    }
}
