import CSecp256k1

/// The process-wide libsecp256k1 context and small helpers shared by the key and signature types.
enum Secp256k1 {
    /// A libsecp256k1 context pointer that may be shared across threads.
    ///
    /// Why `@unchecked Sendable` is safe: libsecp256k1 documents that every API function taking a
    /// `const secp256k1_context*` is thread-safe. The only calls that mutate a context are
    /// `secp256k1_context_randomize`, `secp256k1_context_set_*_callback` and `secp256k1_context_destroy`;
    /// we call `randomize` exactly once inside `make()`, before the value is published through a `static let`
    /// (whose lazy initialisation is a once-only barrier), never set callbacks and never destroy it.
    struct SharedContext: @unchecked Sendable {
        let pointer: OpaquePointer

        static func make() -> SharedContext {
            guard let pointer = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE)) else {
                // Only an allocation failure at start-up gets here; nothing a caller passes in can cause it.
                fatalError("libsecp256k1: secp256k1_context_create failed")
            }
            // Blinding against side channels in signing and key generation (upstream recommends it).
            var seed = [UInt8](repeating: 0, count: 32)
            var rng = SystemRandomNumberGenerator()
            for i in seed.indices { seed[i] = rng.next() }
            _ = secp256k1_context_randomize(pointer, seed)
            return SharedContext(pointer: pointer)
        }
    }

    /// The one context every operation uses: created and randomised on first use, never destroyed.
    static let shared = SharedContext.make()

    @inline(__always)
    static var context: OpaquePointer { shared.pointer }

    /// True when the 32 big-endian bytes at `scalar` are in 1..<n (the group order); used for keys, r and s.
    @inline(__always)
    static func isValidScalar(_ scalar: UnsafePointer<UInt8>) -> Bool {
        secp256k1_ec_seckey_verify(context, scalar) == 1
    }

    /// `isValidScalar` for a byte array of any length (false unless it has exactly 32 bytes).
    static func isValidScalar(_ bytes: [UInt8]) -> Bool {
        guard bytes.count == 32 else { return false }
        return bytes.withUnsafeBufferPointer { isValidScalar($0.baseAddress!) }
    }

    /// Serialises a parsed public key as 64 bytes x || y (the uncompressed form without its `0x04` prefix).
    static func rawBytes(of key: inout secp256k1_pubkey) -> [UInt8] {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 65) { buffer in
            var length = 65
            _ = secp256k1_ec_pubkey_serialize(
                context, buffer.baseAddress!, &length, &key, UInt32(SECP256K1_EC_UNCOMPRESSED))
            return Array(buffer[1..<65])
        }
    }
}
