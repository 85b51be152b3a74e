import ArgumentParser
import EthereumKit
import Foundation

/// `--contract`: the ModelRegistry.vy deployment models are anchored in (default:
/// `AIPLAT_MODEL_REGISTRY_CONTRACT`).
struct ModelRegistryContractOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The ModelRegistry contract (default: AIPLAT_MODEL_REGISTRY_CONTRACT).", valueName: "ADDRESS"))
    var contract: String?

    func address() throws -> Address {
        guard let text = contract ?? ProcessInfo.processInfo.environment["AIPLAT_MODEL_REGISTRY_CONTRACT"], !text.isEmpty else {
            throw ValidationError("pass --contract ADDRESS or set AIPLAT_MODEL_REGISTRY_CONTRACT (deploy contracts/build/ModelRegistry.json with `aiplat chain deploy ModelRegistry`)")
        }
        return try ChainArguments.address(text)
    }
}
