import ArgumentParser
import ModelRegistry
import Foundation

/// `aiplat models login [--registry URL] [--api-key KEY]`: checks the key against the registry and
/// stores it (0600) in the data directory; the key is read from stdin when not given.
struct ModelLoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login", abstract: "Check an API key against the registry and store it (0600) for later commands.")

    @OptionGroup var options: RegistryOptions

    func run() async throws {
        var options = self.options
        if options.apiKey == nil, ProcessInfo.processInfo.environment["AIPLAT_API_KEY"]?.isEmpty ?? true {
            guard let line = readLine(strippingNewline: true)?.trimmingCharacters(in: .whitespaces), !line.isEmpty else {
                throw ValidationError("pass --api-key, set AIPLAT_API_KEY or write the key on stdin")
            }
            options.apiKey = line
        }
        let url = try options.registryURL(for: nil)
        guard let key = try options.key(for: url) else { throw ValidationError("no API key given") }
        try await options.client(for: nil).ping()
        let directory = try options.dataDirectory()
        var logins = try RegistryLogins.load(directory)
        logins.keys[url] = key
        logins.lastRegistry = url
        try logins.save(directory)
        print("logged in to \(url)")
    }
}
