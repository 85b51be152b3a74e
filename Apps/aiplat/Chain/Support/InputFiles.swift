import Foundation

/// Reads user-named files with errors that say which file and why, and a size cap so a wrong path
/// (a disk image, /dev/zero) fails fast instead of filling memory.
enum InputFiles {
    /// The largest file a chain command reads (artifacts, keystores, typed data, passwords).
    static let maxBytes = 64 << 20

    /// The file's bytes. `what` names the file's role in the error ("keystore", "password file").
    static func read(_ path: String, what: String) throws -> Data {
        let url = URL(fileURLWithPath: (path as NSString).expandingTildeInPath)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw ChainCLIError("cannot read \(what) \"\(path)\": no such file")
        }
        guard !isDirectory.boolValue else {
            throw ChainCLIError("cannot read \(what) \"\(path)\": it is a directory")
        }
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            throw ChainCLIError("cannot read \(what) \"\(path)\": permission denied or unreadable")
        }
        defer { try? handle.close() }
        let data: Data?
        do {
            data = try handle.read(upToCount: maxBytes + 1)
        } catch {
            throw ChainCLIError("cannot read \(what) \"\(path)\": \(error.localizedDescription)")
        }
        let bytes = data ?? Data()
        guard bytes.count <= maxBytes else {
            throw ChainCLIError("cannot read \(what) \"\(path)\": larger than \(maxBytes >> 20) MiB")
        }
        return bytes
    }

    /// The file as UTF-8 text.
    static func readText(_ path: String, what: String) throws -> String {
        let data = try read(path, what: what)
        guard let text = String(data: data, encoding: .utf8) else {
            throw ChainCLIError("cannot read \(what) \"\(path)\": not UTF-8 text")
        }
        return text
    }
}
