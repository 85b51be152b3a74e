import Foundation

/// `~` expansion and path joining shared by the configuration loader and ``DataDirectory``.
enum PathExpansion {
    /// The home directory: `HOME` from `environment`, else the account's home.
    static func homeDirectory(environment: [String: String]) -> String {
        if let home = environment["HOME"], !home.isEmpty { return home }
        return NSHomeDirectory()
    }

    /// Expands a leading `~` or `~/` to `homeDirectory` and makes a relative path absolute against the
    /// current directory. `~user` forms are left as written (they name another account's home).
    static func expand(_ path: String, homeDirectory: String) -> String {
        var expanded = path
        if path == "~" {
            expanded = homeDirectory
        } else if path.hasPrefix("~/") {
            expanded = join(homeDirectory, String(path.dropFirst(2)))
        }
        if !expanded.hasPrefix("/") {
            expanded = join(FileManager.default.currentDirectoryPath, expanded)
        }
        return URL(fileURLWithPath: expanded).standardizedFileURL.path
    }

    /// `base/component` with exactly one slash between them.
    static func join(_ base: String, _ component: String) -> String {
        if base.hasSuffix("/") { return base + component }
        return base + "/" + component
    }
}
