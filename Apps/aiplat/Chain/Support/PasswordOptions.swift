import ArgumentParser
import Foundation

/// `--password` / `--password-file`: the password protecting a V3 keystore.
struct PasswordOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The keystore password (prefer --password-file: arguments show up in `ps`).", valueName: "PASSWORD"))
    var password: String?

    @Option(
        name: .customLong("password-file"),
        help: ArgumentHelp("A file whose content (without its trailing newline) is the keystore password.", valueName: "FILE"))
    var passwordFile: String?

    func validate() throws {
        if password != nil, passwordFile != nil {
            throw ValidationError("pass either --password or --password-file, not both")
        }
    }

    /// True when either option was given.
    var isGiven: Bool { password != nil || passwordFile != nil }

    /// The password; `purpose` names what it is for in the error when none was given.
    func resolve(for purpose: String) throws -> String {
        if let password { return password }
        guard let passwordFile else {
            throw ChainCLIError("\(purpose) needs a password: pass --password-file FILE or --password PASSWORD")
        }
        var text = try InputFiles.readText(passwordFile, what: "password file")
        // Like geth and cast: a file written with `echo` ends in a newline that is not part of the password.
        while let last = text.last, last == "\n" || last == "\r" { text.removeLast() }
        return text
    }
}
