/// The deterministic input bytes every benchmark side uses: byte i is `seed + 31 * i + 7` (mod 256).
/// scripts/bench/references.py (`pattern`) and secp256k1_floor.c (`fill_pattern`) compute the same bytes.
public func pattern(count: Int, seed: UInt8) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: Int(seed) &+ 31 &* $0 &+ 7) }
}
