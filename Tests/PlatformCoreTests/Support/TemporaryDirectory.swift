import Foundation

/// A fresh directory under the system temporary directory, removed when `body` finishes.
@discardableResult
func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("aiplat-platformcore-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await body(path)
}

/// Writes `text` to `path`, creating the parent directory.
func writeFile(_ path: String, _ text: String) throws {
    try FileManager.default.createDirectory(
        atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
}

/// The repository root, found from this source file's location (Tests/PlatformCoreTests/Support/).
func repositoryRoot(filePath: String = #filePath) -> String {
    var url = URL(fileURLWithPath: filePath)
    for _ in 0..<4 { url.deleteLastPathComponent() }
    return url.path
}
