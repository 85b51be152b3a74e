import ArgumentParser
import EthereumKit
import Foundation

/// Turns any error a chain command can meet into the one line it prints: `error: <what was wrong>`.
///
/// Library errors already describe themselves in one line (see the brief's error rule); this adds the
/// prefix, words a few cases better for a terminal (reverts, JSON and file errors), and makes sure
/// nothing spans lines, so scripts can rely on exactly one line on stderr.
enum ChainErrorReporter {
    /// The text after `error: ` for `error`. `root` words ArgumentParser's own errors (missing or
    /// unexpected arguments, `validate()` failures) without their usage block.
    static func message(for error: any Error, root: any ParsableCommand.Type) -> String {
        let text: String
        switch error {
        case let error as ChainCLIError:
            text = error.message
        case let revert as ContractRevert:
            text = revertMessage(revert.reason)
        case let error as DecodingError:
            text = decodingMessage(error)
        case let error as CocoaError:
            text = fileMessage(error)
        default:
            text = root.message(for: error)
        }
        return singleLine(text.isEmpty ? "failed: \(type(of: error))" : text)
    }

    /// A revert reason worded as cast words it: `execution reverted: <reason>`.
    static func revertMessage(_ reason: RevertReason) -> String {
        switch reason {
        case .error, .empty, .unknown: reason.description
        case .panic, .custom: "execution reverted: \(reason)"
        }
    }

    /// Prints `error: ...` for `error` and exits: with 0 (after printing help) for help and version
    /// requests, silently with an `ExitCode`'s own code, else with ArgumentParser's code (64 for usage
    /// mistakes, 1 for everything else).
    static func exit(with error: any Error, root: any ParsableCommand.Type) -> Never {
        if let exitCode = error as? ExitCode {
            root.exit(withError: exitCode)
        }
        let exitCode = root.exitCode(for: error)
        if exitCode == .success {
            root.exit(withError: error)
        }
        Console.error("error: " + message(for: error, root: root))
        Foundation.exit(exitCode.rawValue)
    }

    private static func decodingMessage(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context):
            return "invalid JSON\(path(context.codingPath)): \(underlyingReason(context))"
        case .keyNotFound(let key, let context):
            return "invalid JSON\(path(context.codingPath)): missing field \"\(key.stringValue)\""
        case .typeMismatch(let type, let context):
            return "invalid JSON\(path(context.codingPath)): expected \(type)"
        case .valueNotFound(let type, let context):
            return "invalid JSON\(path(context.codingPath)): expected \(type), found null"
        @unknown default:
            return "invalid JSON"
        }
    }

    private static func underlyingReason(_ context: DecodingError.Context) -> String {
        if let underlying = context.underlyingError as? any CustomStringConvertible, !(underlying is NSError) {
            return underlying.description
        }
        return context.debugDescription
    }

    private static func path(_ codingPath: [any CodingKey]) -> String {
        guard !codingPath.isEmpty else { return "" }
        return " at " + codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }

    private static func fileMessage(_ error: CocoaError) -> String {
        let path = (error.userInfo[NSFilePathErrorKey] as? String).map { " \"\($0)\"" } ?? ""
        switch error.code {
        case .fileReadNoSuchFile, .fileNoSuchFile: return "cannot read\(path): no such file"
        case .fileReadNoPermission: return "cannot read\(path): permission denied"
        case .fileWriteNoPermission: return "cannot write\(path): permission denied"
        case .fileWriteFileExists: return "cannot write\(path): file exists"
        default: return "file error\(path): \(error.localizedDescription)"
        }
    }

    private static func singleLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
            .joined(separator: " ")
    }
}
