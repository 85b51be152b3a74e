import ArgumentParser
import EthereumKit
import Foundation
import ModelRegistry
import PlatformCore

/// `aiplat models anchor NAME:TAG`: registers the model's manifest digest (and its config digest as
/// the metadata digest) in the ModelRegistry contract, so anyone can later check that bytes they
/// pulled are the ones the owner published.
struct ModelAnchorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "anchor", abstract: "Register a model's manifest digest on chain (ModelRegistry.register).")

    @Argument(help: "[registry/]namespace/name[:tag|@sha256:...]") var name: String
    @OptionGroup var options: RegistryOptions
    @OptionGroup var contract: ModelRegistryContractOptions
    @OptionGroup var transaction: TransactionOptions
    @OptionGroup var signer: SignerOptions
    @OptionGroup var rpc: RPCOptions

    @Option(help: ArgumentHelp("Seconds to wait for the receipt.", valueName: "SECONDS"))
    var timeout: UInt64 = 120

    func run() async throws {
        let reference = try ModelReference(parsing: name)
        let client = try options.client(for: reference)
        let puller = ModelPuller(client: client, cache: try options.cache())
        let resolved = try await puller.resolve(reference)
        let configDigest = try BlobDigest(parsing: resolved.manifest.config.digest)
        let uri = "\(client.baseURL)/\(reference.repository)@\(resolved.digest)"
        // The named form register(modelDigest, metadataDigest, uri, name): the digest becomes the next
        // version of the repository's name (ModelRegistry.vy's 3-argument form appends to the signer's
        // own list instead).
        let target = try CallTarget(
            signature: "register(bytes32,bytes32,string,string)",
            arguments: ["0x" + resolved.digest.hex, "0x" + configDigest.hex, uri, reference.repository])
        let key = try signer.load()
        let planner = TransactionPlanner(options: try transaction.parsed(), client: try rpc.client())
        let request = planner.request(to: try contract.address(), data: target.calldata)
        let (_, receipt) = try await planner.send(request, from: key, wait: true, confirmations: 1, timeout: timeout, json: false)
        guard let receipt else { return }
        try TransactionPlanner.requireSuccess(receipt)
        Console.line("anchored \(reference.repository)@\(resolved.digest) by \(key.address.checksummed) in block \(receipt.blockNumber)")
    }
}
