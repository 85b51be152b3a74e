import EthereumKit
import Foundation

/// What `deploy` deploys: init code and the constructor's inputs, from an artifact file, a contract
/// name looked up in `contracts/build`, or raw bytecode with `--constructor-sig`.
struct DeploymentSource: Sendable {
    /// The contract's creation bytecode (without constructor arguments).
    let bytecode: [UInt8]
    /// The constructor's inputs (empty when it takes none).
    let constructorInputs: [ABIParameter]
    /// How the source was named, for errors.
    let name: String
    /// The contract's custom errors (to decode a revert in simulation).
    var errors: [ABIError] = []

    static func isBytecode(_ source: String) -> Bool {
        source.hasPrefix("0x") || source.hasPrefix("0X")
    }

    static func resolve(_ source: String, constructorSignature: String?, artifactsDirectory: String?) throws -> DeploymentSource {
        if isBytecode(source) {
            let bytecode = try ChainArguments.hexBytes(source, name: "bytecode")
            guard !bytecode.isEmpty else { throw ChainCLIError("invalid bytecode \"\(source)\": empty") }
            var inputs: [ABIParameter] = []
            if let constructorSignature {
                // `constructor(string,uint256)` parses as a function named "constructor"; its inputs are what matter.
                inputs = try ABIFunction(parsing: constructorSignature).inputs
            }
            return DeploymentSource(bytecode: bytecode, constructorInputs: inputs, name: "bytecode")
        }
        let path = try artifactPath(source, artifactsDirectory: artifactsDirectory)
        let artifact = try ContractArtifact(json: InputFiles.read(path, what: "artifact"), file: path)
        return DeploymentSource(
            bytecode: artifact.bytecode, constructorInputs: artifact.abi.constructor?.inputs ?? [],
            name: artifact.contractName, errors: artifact.abi.errors)
    }

    /// The init code: bytecode followed by the ABI-encoded constructor arguments.
    func initCode(arguments: [String]) throws -> [UInt8] {
        let types = constructorInputs.map(\.type)
        guard arguments.count == types.count else {
            let expected = types.isEmpty
                ? "takes no arguments" + (name == "bytecode" ? " (give its types with --constructor-sig)" : "")
                : "takes \(types.count) argument\(types.count == 1 ? "" : "s") (\(types.map(\.description).joined(separator: ", ")))"
            throw ChainCLIError("the constructor of \(name) \(expected), got \(arguments.count)")
        }
        let values = try ChainArguments.values(arguments, as: types, signature: "constructor of \(name)")
        return try ABIConstructor(inputs: constructorInputs).encodeDeployment(bytecode: bytecode, arguments: values)
    }

    /// A path to an existing file, or `<directory>/<name>.json` for a bare contract name, where the
    /// directory is `--artifacts` or the nearest `contracts/build` at or above the working directory.
    static func artifactPath(_ source: String, artifactsDirectory: String?) throws -> String {
        let fileManager = FileManager.default
        let expanded = (source as NSString).expandingTildeInPath
        if fileManager.fileExists(atPath: expanded) { return expanded }
        let looksLikePath = source.contains("/") || source.hasSuffix(".json")
        if looksLikePath {
            throw ChainCLIError("cannot read artifact \"\(source)\": no such file")
        }
        let candidates: [URL]
        if let artifactsDirectory {
            candidates = [URL(fileURLWithPath: (artifactsDirectory as NSString).expandingTildeInPath)]
        } else {
            var directory = URL(fileURLWithPath: fileManager.currentDirectoryPath)
            var found: [URL] = []
            while true {
                found.append(directory.appendingPathComponent("contracts/build"))
                let parent = directory.deletingLastPathComponent()
                if parent.path == directory.path { break }
                directory = parent
            }
            candidates = found
        }
        for directory in candidates {
            let file = directory.appendingPathComponent(source + ".json")
            if fileManager.fileExists(atPath: file.path) { return file.path }
        }
        let searched = artifactsDirectory ?? "contracts/build (here or in a parent directory)"
        throw ChainCLIError("no artifact named \"\(source)\": \(source).json not found in \(searched)")
    }
}
