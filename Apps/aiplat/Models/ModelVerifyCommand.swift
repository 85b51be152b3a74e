import ArgumentParser
import EthereumKit
import Foundation
import ModelRegistry
import PlatformCore

/// `aiplat models verify NAME[:TAG|@DIGEST]`: pulls (or reads from the cache) the model, checks every
/// blob's digest, and asks the ModelRegistry contract whether the manifest digest is anchored;
/// prints the owner and block, fails when it is not anchored or the anchored config digest differs.
struct ModelVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Check a pulled model's manifest digest is anchored on chain; prints owner and block.")

    @Argument(help: "[registry/]namespace/name[:tag|@sha256:...]") var name: String
    @OptionGroup var options: RegistryOptions
    @OptionGroup var contract: ModelRegistryContractOptions
    @OptionGroup var rpc: RPCOptions

    func run() async throws {
        let reference = try ModelReference(parsing: name)
        let puller = ModelPuller(client: try options.client(for: reference), cache: try options.cache())
        let resolved = try await puller.resolve(reference)
        let configDigest = try BlobDigest(parsing: resolved.manifest.config.digest)
        let target = try CallTarget(
            signature: "isAnchored(bytes32)(bool)", arguments: ["0x" + resolved.digest.hex])
        let client = try rpc.client()
        let address = try contract.address()
        let anchored = try target.function?.decodeOutput(try await client.call(CallRequest(to: address, data: target.calldata)))
        guard anchored == [.bool(true)] else {
            throw ChainCLIError("\(reference.repository)@\(resolved.digest) is not anchored in \(address.checksummed)")
        }
        let anchor = try CallTarget(
            signature: "anchorOf(bytes32)(address,uint256,bytes32,string)", arguments: ["0x" + resolved.digest.hex])
        let values = try anchor.function?.decodeOutput(try await client.call(CallRequest(to: address, data: anchor.calldata))) ?? []
        guard values.count == 4, case .address(let owner) = values[0], case .uint(let block) = values[1],
            case .fixedBytes(let metadata) = values[2], case .string(let uri) = values[3]
        else { throw ChainCLIError("anchorOf returned an unexpected shape") }
        if metadata.contains(where: { $0 != 0 }), Hex.encode(metadata, prefix: false) != configDigest.hex {
            throw ChainCLIError("the anchored metadata digest \(Hex.encode(metadata)) is not the model's config digest \(configDigest)")
        }
        // Every blob checked against its digest, so the anchored manifest digest stands for all the
        // bytes (fetched only once the anchor is known: an unanchored model is not downloaded).
        _ = try await puller.fetchBlobs(reference.repository, resolved.manifest)
        Console.line("verified \(reference.repository)@\(resolved.digest)")
        Console.line("owner  \(owner.checksummed)")
        Console.line("block  \(block)")
        Console.line("uri    \(uri)")
    }
}
