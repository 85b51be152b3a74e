import EthereumKit
import Foundation
import PlatformCore

/// Asks the ModelRegistry contract (`contracts/src/ModelRegistry.vy`) whether a model digest is
/// anchored, through its view function `isAnchored(bytes32)`, with
/// `eth_call` on the configured chain. What `aiplat serve` uses to refuse serving a model whose
/// digest is not anchored when a request asks for it (`parameters.require_anchored`).
public struct ModelAnchorVerifier: Sendable {
    public let chain: EthereumClient
    /// The ModelRegistry deployment.
    public let contract: Address

    public init(chain: EthereumClient, contract: Address) {
        self.chain = chain
        self.contract = contract
    }

    private static let isAnchoredFunction = try! ABIFunction(parsing: "isAnchored(bytes32)(bool)")

    /// Whether `digest` is anchored.
    /// - Throws: ``ModelAnchorError`` `.chainUnavailable` when the call fails.
    public func isAnchored(_ digest: BlobDigest) async throws -> Bool {
        let output = try await call(Self.isAnchoredFunction, digest)
        return output == [.bool(true)]
    }

    /// Returns when `digest` is anchored.
    /// - Throws: ``ModelAnchorError`` `.notAnchored`, or `.chainUnavailable`.
    public func requireAnchored(_ digest: BlobDigest) async throws {
        guard try await isAnchored(digest) else {
            throw ModelAnchorError(.notAnchored, digest: digest, "model digest \(digest) is not anchored in ModelRegistry \(contract.checksummed)")
        }
    }

    private func call(_ function: ABIFunction, _ digest: BlobDigest) async throws -> [ABIValue] {
        do {
            let calldata = try function.encodeCall([.fixedBytes(try Hex.decode(digest.hex))])
            return try function.decodeOutput(try await chain.call(CallRequest(to: contract, data: calldata)))
        } catch {
            throw ModelAnchorError(
                .chainUnavailable, digest: digest, "cannot ask ModelRegistry \(contract.checksummed) about \(digest): \(error)")
        }
    }
}

/// Why ``ModelAnchorVerifier`` refused a digest.
public struct ModelAnchorError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Code: Sendable, Hashable {
        let rawValue: String
        /// The digest is not anchored.
        public static let notAnchored = Code(rawValue: "not anchored")
        /// The chain could not be asked (unreachable, reverted, no contract at the address).
        public static let chainUnavailable = Code(rawValue: "chain unavailable")
    }

    public let code: Code
    public let digest: BlobDigest
    public let message: String

    public init(_ code: Code, digest: BlobDigest, _ message: String) {
        self.code = code
        self.digest = digest
        self.message = message
    }

    public var description: String { message }
}
