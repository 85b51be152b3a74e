/// Keccak-256 as Ethereum uses it: the original Keccak submission (padding byte `0x01`), not NIST SHA3-256
/// (padding `0x06`). OpenSSL 3.0 has no Keccak, so this is a self-contained implementation.
///
/// One-shot: `Keccak256.hash(bytes)`. Incremental: `var h = Keccak256(); h.update(a); h.update(b); h.finalize()`.
/// Input is XORed straight into the state (no block buffer), and the permutation runs on 25 local lanes.
public struct Keccak256: Sendable {
    /// Bytes absorbed per permutation (1600 - 2 * 256 bits).
    public static let rate = 136
    /// Length of a digest in bytes.
    public static let digestByteCount = 32

    typealias State = (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)

    private var state: State = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    /// Bytes of the current block already XORed into `state`; always < `rate`.
    private var offset = 0

    /// A hasher with nothing absorbed yet.
    public init() {}

    // MARK: One-shot

    /// Keccak-256 of `bytes`.
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { hash($0) }
    }

    /// Keccak-256 of the bytes in `buffer`.
    public static func hash(_ buffer: UnsafeRawBufferPointer) -> [UInt8] {
        var hasher = Keccak256()
        hasher.update(buffer)
        return hasher.finalize()
    }

    /// Keccak-256 of any byte collection (contiguous storage is read in place).
    public static func hash(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var hasher = Keccak256()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// Keccak-256 of the UTF-8 bytes of `string`.
    public static func hash(_ string: String) -> [UInt8] {
        var hasher = Keccak256()
        hasher.update(string)
        return hasher.finalize()
    }

    // MARK: Incremental

    /// Absorbs the bytes in `buffer`.
    public mutating func update(_ buffer: UnsafeRawBufferPointer) {
        guard var p = buffer.baseAddress, !buffer.isEmpty else { return }
        var remaining = buffer.count
        if offset > 0 {
            let take = Swift.min(remaining, Self.rate - offset)
            xorBytes(UnsafeRawBufferPointer(start: p, count: take))
            p += take
            remaining -= take
            if offset < Self.rate { return }
            Self.absorb(&state, nil, blockCount: 1)
            offset = 0
        }
        let blocks = remaining / Self.rate
        if blocks > 0 {
            Self.absorb(&state, p, blockCount: blocks)
            p += blocks * Self.rate
            remaining -= blocks * Self.rate
        }
        if remaining > 0 {
            xorBytes(UnsafeRawBufferPointer(start: p, count: remaining))
        }
    }

    /// Absorbs `bytes`.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Absorbs any byte collection; non-contiguous ones are copied in block-sized chunks.
    public mutating func update(_ bytes: some Collection<UInt8>) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { update(UnsafeRawBufferPointer($0)) }
        if done != nil { return }
        var chunk = [UInt8]()
        chunk.reserveCapacity(Self.rate)
        for byte in bytes {
            chunk.append(byte)
            if chunk.count == Self.rate {
                update(chunk)
                chunk.removeAll(keepingCapacity: true)
            }
        }
        update(chunk)
    }

    /// Absorbs the UTF-8 bytes of `string`.
    public mutating func update(_ string: String) {
        var string = string
        string.withUTF8 { update(UnsafeRawBufferPointer($0)) }
    }

    /// The digest of everything absorbed so far. The hasher itself is left unchanged, so more input may follow.
    public func finalize() -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: Self.digestByteCount) { out, count in
            finalize(into: UnsafeMutableRawBufferPointer(out))
            count = Self.digestByteCount
        }
    }

    /// Writes the digest into the first 32 bytes of `output`, which must hold at least 32 bytes; allocates nothing.
    public func finalize(into output: UnsafeMutableRawBufferPointer) {
        precondition(output.count >= Self.digestByteCount, "Keccak256.finalize(into:) needs 32 bytes of output")
        var copy = self
        // Keccak padding: 0x01 after the message, 0x80 in the last byte of the block (both may share one byte).
        copy.xorByte(0x01, at: copy.offset)
        copy.xorByte(0x80, at: Self.rate - 1)
        Self.absorb(&copy.state, nil, blockCount: 1)
        output.storeBytes(of: copy.state.0.littleEndian, toByteOffset: 0, as: UInt64.self)
        output.storeBytes(of: copy.state.1.littleEndian, toByteOffset: 8, as: UInt64.self)
        output.storeBytes(of: copy.state.2.littleEndian, toByteOffset: 16, as: UInt64.self)
        output.storeBytes(of: copy.state.3.littleEndian, toByteOffset: 24, as: UInt64.self)
    }

    // MARK: Internals

    /// XORs a partial block at `offset`, lane-wise so it is correct on either byte order.
    private mutating func xorBytes(_ bytes: UnsafeRawBufferPointer) {
        var position = offset
        withUnsafeMutableBytes(of: &state) { raw in
            let lanes = raw.assumingMemoryBound(to: UInt64.self)
            for byte in bytes {
                lanes[position &>> 3] ^= UInt64(byte) &<< ((position & 7) &<< 3)
                position &+= 1
            }
        }
        offset = position
    }

    private mutating func xorByte(_ byte: UInt8, at position: Int) {
        withUnsafeMutableBytes(of: &state) { raw in
            let lanes = raw.assumingMemoryBound(to: UInt64.self)
            lanes[position &>> 3] ^= UInt64(byte) &<< ((position & 7) &<< 3)
        }
    }

    @inline(__always)
    private static func rotl(_ x: UInt64, _ n: UInt64) -> UInt64 {
        (x &<< n) | (x &>> (64 &- n))
    }

    private static let roundConstants: [UInt64] = [
        0x0000_0000_0000_0001, 0x0000_0000_0000_8082, 0x8000_0000_0000_808A, 0x8000_0000_8000_8000,
        0x0000_0000_0000_808B, 0x0000_0000_8000_0001, 0x8000_0000_8000_8081, 0x8000_0000_0000_8009,
        0x0000_0000_0000_008A, 0x0000_0000_0000_0088, 0x0000_0000_8000_8009, 0x0000_0000_8000_000A,
        0x0000_0000_8000_808B, 0x8000_0000_0000_008B, 0x8000_0000_0000_8089, 0x8000_0000_0000_8003,
        0x8000_0000_0000_8002, 0x8000_0000_0000_0080, 0x0000_0000_0000_800A, 0x8000_0000_8000_000A,
        0x8000_0000_8000_8081, 0x8000_0000_0000_8080, 0x0000_0000_8000_0001, 0x8000_0000_8000_8008,
    ]

    /// XORs `blockCount` full blocks from `data` into the state, running keccak-f[1600] after each;
    /// with `data == nil` it only runs the permutation `blockCount` times. Lanes stay in locals across blocks.
    private static func absorb(_ s: inout State, _ data: UnsafeRawPointer?, blockCount: Int) {
        var a0 = s.0
        var a1 = s.1
        var a2 = s.2
        var a3 = s.3
        var a4 = s.4
        var a5 = s.5
        var a6 = s.6
        var a7 = s.7
        var a8 = s.8
        var a9 = s.9
        var a10 = s.10
        var a11 = s.11
        var a12 = s.12
        var a13 = s.13
        var a14 = s.14
        var a15 = s.15
        var a16 = s.16
        var a17 = s.17
        var a18 = s.18
        var a19 = s.19
        var a20 = s.20
        var a21 = s.21
        var a22 = s.22
        var a23 = s.23
        var a24 = s.24
        var next = data
        roundConstants.withUnsafeBufferPointer { roundConstants in
            for _ in 0..<blockCount {
                if let p = next {
                    a0 ^= UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
                    a1 ^= UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
                    a2 ^= UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
                    a3 ^= UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
                    a4 ^= UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 32, as: UInt64.self))
                    a5 ^= UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 40, as: UInt64.self))
                    a6 ^= UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 48, as: UInt64.self))
                    a7 ^= UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 56, as: UInt64.self))
                    a8 ^= UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 64, as: UInt64.self))
                    a9 ^= UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 72, as: UInt64.self))
                    a10 ^= UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 80, as: UInt64.self))
                    a11 ^= UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 88, as: UInt64.self))
                    a12 ^= UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 96, as: UInt64.self))
                    a13 ^= UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 104, as: UInt64.self))
                    a14 ^= UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 112, as: UInt64.self))
                    a15 ^= UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 120, as: UInt64.self))
                    a16 ^= UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 128, as: UInt64.self))
                    next = p + rate
                }
                for round in 0..<24 {
                    // theta
                    let c0 = a0 ^ a5 ^ a10 ^ a15 ^ a20
                    let c1 = a1 ^ a6 ^ a11 ^ a16 ^ a21
                    let c2 = a2 ^ a7 ^ a12 ^ a17 ^ a22
                    let c3 = a3 ^ a8 ^ a13 ^ a18 ^ a23
                    let c4 = a4 ^ a9 ^ a14 ^ a19 ^ a24
                    let d0 = c4 ^ rotl(c1, 1)
                    let d1 = c0 ^ rotl(c2, 1)
                    let d2 = c1 ^ rotl(c3, 1)
                    let d3 = c2 ^ rotl(c4, 1)
                    let d4 = c3 ^ rotl(c0, 1)
                    // rho and pi (theta's column parity folded in)
                    let b0 = (a0 ^ d0)
                    let b1 = rotl(a6 ^ d1, 44)
                    let b2 = rotl(a12 ^ d2, 43)
                    let b3 = rotl(a18 ^ d3, 21)
                    let b4 = rotl(a24 ^ d4, 14)
                    let b5 = rotl(a3 ^ d3, 28)
                    let b6 = rotl(a9 ^ d4, 20)
                    let b7 = rotl(a10 ^ d0, 3)
                    let b8 = rotl(a16 ^ d1, 45)
                    let b9 = rotl(a22 ^ d2, 61)
                    let b10 = rotl(a1 ^ d1, 1)
                    let b11 = rotl(a7 ^ d2, 6)
                    let b12 = rotl(a13 ^ d3, 25)
                    let b13 = rotl(a19 ^ d4, 8)
                    let b14 = rotl(a20 ^ d0, 18)
                    let b15 = rotl(a4 ^ d4, 27)
                    let b16 = rotl(a5 ^ d0, 36)
                    let b17 = rotl(a11 ^ d1, 10)
                    let b18 = rotl(a17 ^ d2, 15)
                    let b19 = rotl(a23 ^ d3, 56)
                    let b20 = rotl(a2 ^ d2, 62)
                    let b21 = rotl(a8 ^ d3, 55)
                    let b22 = rotl(a14 ^ d4, 39)
                    let b23 = rotl(a15 ^ d0, 41)
                    let b24 = rotl(a21 ^ d1, 2)
                    // chi
                    a0 = b0 ^ (~b1 & b2)
                    a1 = b1 ^ (~b2 & b3)
                    a2 = b2 ^ (~b3 & b4)
                    a3 = b3 ^ (~b4 & b0)
                    a4 = b4 ^ (~b0 & b1)
                    a5 = b5 ^ (~b6 & b7)
                    a6 = b6 ^ (~b7 & b8)
                    a7 = b7 ^ (~b8 & b9)
                    a8 = b8 ^ (~b9 & b5)
                    a9 = b9 ^ (~b5 & b6)
                    a10 = b10 ^ (~b11 & b12)
                    a11 = b11 ^ (~b12 & b13)
                    a12 = b12 ^ (~b13 & b14)
                    a13 = b13 ^ (~b14 & b10)
                    a14 = b14 ^ (~b10 & b11)
                    a15 = b15 ^ (~b16 & b17)
                    a16 = b16 ^ (~b17 & b18)
                    a17 = b17 ^ (~b18 & b19)
                    a18 = b18 ^ (~b19 & b15)
                    a19 = b19 ^ (~b15 & b16)
                    a20 = b20 ^ (~b21 & b22)
                    a21 = b21 ^ (~b22 & b23)
                    a22 = b22 ^ (~b23 & b24)
                    a23 = b23 ^ (~b24 & b20)
                    a24 = b24 ^ (~b20 & b21)
                    // iota
                    a0 ^= roundConstants[round]
                }
            }
        }
        s.0 = a0
        s.1 = a1
        s.2 = a2
        s.3 = a3
        s.4 = a4
        s.5 = a5
        s.6 = a6
        s.7 = a7
        s.8 = a8
        s.9 = a9
        s.10 = a10
        s.11 = a11
        s.12 = a12
        s.13 = a13
        s.14 = a14
        s.15 = a15
        s.16 = a16
        s.17 = a17
        s.18 = a18
        s.19 = a19
        s.20 = a20
        s.21 = a21
        s.22 = a22
        s.23 = a23
        s.24 = a24
    }
}
