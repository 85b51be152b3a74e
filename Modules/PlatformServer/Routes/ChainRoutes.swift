import EthereumKit
import Hummingbird

/// `GET /v1/chain/status`: the configured chain's id, head block and JSON-RPC round-trip latency.
struct ChainRoutes {
    let chain: EthereumClient

    struct Status: ResponseEncodable {
        let rpcURL: String
        let chainID: UInt64
        let headBlock: UInt64
        let rpcLatencyMilliseconds: Double

        enum CodingKeys: String, CodingKey {
            case rpcURL = "rpc_url"
            case chainID = "chain_id"
            case headBlock = "head_block"
            case rpcLatencyMilliseconds = "rpc_latency_ms"
        }
    }

    func register(on router: Router<some RequestContext>) {
        router.get("/v1/chain/status") { _, _ in
            let chain = self.chain
            do {
                let start = ContinuousClock.now
                // Concurrently, so the figure is one round trip's latency.
                async let chainID = chain.chainID()
                async let head = chain.blockNumber()
                let (id, number) = try await (chainID, head)
                let elapsed = ContinuousClock.now - start
                return Status(
                    rpcURL: chain.url, chainID: id, headBlock: number,
                    rpcLatencyMilliseconds: Double(elapsed.components.attoseconds) / 1e15
                        + Double(elapsed.components.seconds) * 1000
                )
            } catch {
                throw APIError.unavailable("chain RPC \(chain.url) is not answering: \(error)", code: "chain_unavailable")
            }
        }
    }
}
