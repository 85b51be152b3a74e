/// Hands out transaction nonces to concurrent senders sharing an account.
///
/// The first request for an address reads its pending transaction count once; later requests count
/// up locally, so twenty concurrent transfers get twenty distinct, consecutive nonces without twenty
/// round trips. When a send fails, ``NonceManager/withNonce(for:maxAttempts:_:)`` (or the caller,
/// through ``release(_:for:)`` / ``resync(_:)``) puts the counter right again:
/// - "nonce too low" / "already known": another sender used it; resync from the node and retry.
/// - a failure that provably never reached the node: the nonce is given back when it was the last
///   one handed out, otherwise the address is resynced.
/// - any other failure: the address is resynced before its next nonce.
public actor NonceManager {
    private let client: EthereumClient
    private var nextNonce: [Address: UInt64] = [:]
    private var fetches: [Address: Task<UInt64, any Error>] = [:]
    /// Bumped on every resync so a fetch started before it cannot overwrite newer state.
    private var generation: [Address: Int] = [:]

    public init(client: EthereumClient) {
        self.client = client
    }

    /// The next nonce for `address`; each call returns a different one.
    public func next(for address: Address) async throws -> UInt64 {
        while true {
            if let nonce = nextNonce[address] {
                nextNonce[address] = nonce + 1
                return nonce
            }
            // Concurrent callers share one fetch; whoever resumes first stores the count.
            let startedGeneration = generation[address, default: 0]
            let fetch: Task<UInt64, any Error>
            if let running = fetches[address] {
                fetch = running
            } else {
                let client = client
                fetch = Task { try await client.nonce(of: address, at: .pending) }
                fetches[address] = fetch
            }
            let count: UInt64
            do {
                count = try await fetch.value
            } catch {
                if fetches[address] == fetch { fetches[address] = nil }
                throw error
            }
            if fetches[address] == fetch { fetches[address] = nil }
            if nextNonce[address] == nil, generation[address, default: 0] == startedGeneration {
                nextNonce[address] = count
            }
        }
    }

    /// Gives back `nonce` after a send that never reached the node. Only the most recent nonce can be
    /// reused without leaving a gap; otherwise the next request rereads the count from the node.
    public func release(_ nonce: UInt64, for address: Address) {
        if let next = nextNonce[address], next == nonce + 1 {
            nextNonce[address] = nonce
        } else {
            resync(address)
        }
    }

    /// Forgets the local count; the next request rereads the pending count from the node.
    public func resync(_ address: Address) {
        nextNonce[address] = nil
        fetches[address] = nil
        generation[address, default: 0] += 1
    }

    /// Runs `send` with a fresh nonce, repairing the counter on failure and retrying (up to
    /// `maxAttempts` in all) when the node says the nonce was already used.
    public nonisolated func withNonce<T: Sendable>(
        for address: Address, maxAttempts: Int = 3, _ send: (UInt64) async throws -> T
    ) async throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            let nonce = try await next(for: address)
            do {
                return try await send(nonce)
            } catch {
                if Self.isNonceAlreadyUsed(error) {
                    await resync(address)
                    if attempt < maxAttempts { continue }
                } else if let transport = error as? RPCTransportError, transport.notDelivered {
                    await release(nonce, for: address)
                } else if error is ContractRevert {
                    // Simulation failed before anything was signed or sent.
                    await release(nonce, for: address)
                } else {
                    await resync(address)
                }
                throw error
            }
        }
    }

    /// True when a node refused a transaction because its nonce was already used.
    public static func isNonceAlreadyUsed(_ error: any Error) -> Bool {
        guard let error = error as? JSONRPCError else { return false }
        let message = error.message.lowercased()
        return message.contains("nonce too low") || message.contains("nonce is too low")
            || message.contains("already known") || message.contains("known transaction")
            || message.contains("nonce has already been used") || message.contains("invalid nonce")
    }
}
