import Foundation
import PlatformCore

/// Keys stored by `aiplat models login`, per registry URL, in `<data-dir>/registry-logins.json` (0600).
struct RegistryLogins: Codable {
    var keys: [String: String] = [:]
    var lastRegistry: String?

    static func file(_ directory: DataDirectory) -> String { ModelCache.join(directory.root, "registry-logins.json") }

    static func load(_ directory: DataDirectory) throws -> RegistryLogins {
        guard let data = FileManager.default.contents(atPath: file(directory)) else { return RegistryLogins() }
        return try JSONDecoder().decode(RegistryLogins.self, from: data)
    }

    func save(_ directory: DataDirectory) throws {
        let path = Self.file(directory)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(self)
        // Created 0600 before the key is written, so it is never readable by others.
        if !FileManager.default.fileExists(atPath: path) {
            FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        try data.write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
    }
}
