import Foundation

/// A compiled contract as `make contracts` writes it to `contracts/build/<Name>.json`:
/// its ABI, creation and runtime bytecode, and where it came from.
public struct ContractArtifact: Sendable, Hashable {
    public var contractName: String
    public var abi: ContractABI
    /// Creation (init) code: what a deployment sends, followed by the encoded constructor arguments.
    public var bytecode: [UInt8]
    /// Runtime code: what `eth_getCode` returns once deployed.
    public var deployedBytecode: [UInt8]
    public var sourceHash: String?
    public var sourcePath: String?
    public var compiler: String?

    public init(
        contractName: String, abi: ContractABI, bytecode: [UInt8], deployedBytecode: [UInt8] = [],
        sourceHash: String? = nil, sourcePath: String? = nil, compiler: String? = nil
    ) {
        self.contractName = contractName
        self.abi = abi
        self.bytecode = bytecode
        self.deployedBytecode = deployedBytecode
        self.sourceHash = sourceHash
        self.sourcePath = sourcePath
        self.compiler = compiler
    }

    /// Reads an artifact file; errors name the file and the key that is missing or wrong.
    public init(contentsOf url: URL) throws(ContractArtifactError) {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ContractArtifactError(file: url.path, reason: "cannot read file: \(error.localizedDescription)")
        }
        try self.init(json: data, file: url.path)
    }

    /// Parses artifact JSON; `file` names the source in errors.
    public init(json: Data, file: String = "<artifact>") throws(ContractArtifactError) {
        func fail(_ reason: String) -> ContractArtifactError { ContractArtifactError(file: file, reason: reason) }
        let root: JSONValue
        do {
            root = try JSONDecoder().decode(JSONValue.self, from: json)
        } catch {
            throw fail("not JSON")
        }
        guard case .object(let members) = root else { throw fail("expected a JSON object") }

        func string(_ key: String, required: Bool) throws(ContractArtifactError) -> String? {
            switch members[key] {
            case .string(let text)?: return text
            case nil, .null?:
                if required { throw fail("missing key \"\(key)\"") }
                return nil
            case let other?: throw fail("key \"\(key)\" must be a string, got \(String(other.description.prefix(40)))")
            }
        }
        func bytes(_ key: String, required: Bool) throws(ContractArtifactError) -> [UInt8] {
            guard let text = try string(key, required: required) else { return [] }
            do {
                return try Hex.decode(text)
            } catch {
                throw fail("key \"\(key)\": \(error.description)")
            }
        }

        guard let abiValue = members["abi"], abiValue != .null else { throw fail("missing key \"abi\"") }
        do {
            let abiJSON = try JSONEncoder().encode(abiValue)
            self.abi = try ContractABI(json: abiJSON)
        } catch let error as ContractABI.LookupError {
            throw fail("key \"abi\": \(error.reason)")
        } catch {
            throw fail("key \"abi\": \(error)")
        }
        self.contractName = try string("contractName", required: true) ?? ""
        self.bytecode = try bytes("bytecode", required: true)
        self.deployedBytecode = try bytes("deployedBytecode", required: false)
        self.sourceHash = try string("sourceHash", required: false)
        self.sourcePath = try string("sourcePath", required: false)
        self.compiler = try string("compiler", required: false)
        guard !bytecode.isEmpty else { throw fail("key \"bytecode\" is empty (an interface cannot be deployed)") }
    }

    /// Loads `<directory>/<name>.json`.
    public static func load(named name: String, in directory: URL) throws(ContractArtifactError) -> ContractArtifact {
        try ContractArtifact(contentsOf: directory.appendingPathComponent("\(name).json"))
    }

    /// Loads every `*.json` in `directory`, keyed by contract name.
    public static func loadAll(in directory: URL) throws(ContractArtifactError) -> [String: ContractArtifact] {
        let files: [URL]
        do {
            files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
                .filter { $0.pathExtension == "json" }
        } catch {
            throw ContractArtifactError(file: directory.path, reason: "cannot list directory: \(error.localizedDescription)")
        }
        var artifacts: [String: ContractArtifact] = [:]
        for file in files.sorted(by: { $0.path < $1.path }) {
            let artifact = try ContractArtifact(contentsOf: file)
            artifacts[artifact.contractName] = artifact
        }
        return artifacts
    }

    /// `contracts/build` under a repository root.
    public static func buildDirectory(repositoryRoot: URL) -> URL {
        repositoryRoot.appendingPathComponent("contracts/build")
    }
}

/// A contract artifact could not be read.
public struct ContractArtifactError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The artifact's path.
    public let file: String
    public let reason: String

    public var description: String { "invalid contract artifact \(file): \(reason)" }
}
