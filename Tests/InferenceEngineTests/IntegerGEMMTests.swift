import Testing
@testable import InferenceEngine

/// The int16 x int16 -> int32 GEMM behind MatMulInteger/QLinearMatMul/ConvInteger/QLinearConv:
/// every instruction-set variant must equal a plain Int32 loop exactly, at every tail length.
@Suite struct IntegerGEMMTests {
    struct Shape: Sendable, CustomTestStringConvertible {
        let m: Int, n: Int, k: Int
        var testDescription: String { "\(m)x\(n)x\(k)" }
    }

    static let shapes = [
        Shape(m: 1, n: 1, k: 1), Shape(m: 3, n: 5, k: 15), Shape(m: 2, n: 4, k: 16), Shape(m: 4, n: 7, k: 17),
        Shape(m: 5, n: 9, k: 31), Shape(m: 3, n: 8, k: 32), Shape(m: 6, n: 3, k: 33), Shape(m: 7, n: 13, k: 100),
        Shape(m: 2, n: 2, k: 0),
    ]

    /// Zero-point-shifted 8-bit values span [-255, 255]; xorshift keeps failures reproducible.
    static func values(_ count: Int, seed: UInt64) -> [Int16] {
        var state = seed
        return (0..<count).map { _ in
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return Int16(Int(state % 511) - 255)
        }
    }

    static func reference(_ s: Shape, _ a: [Int16], _ bt: [Int16]) -> [Int32] {
        var out = [Int32](repeating: 0, count: s.m * s.n)
        for i in 0..<s.m { for j in 0..<s.n { for p in 0..<s.k { out[i * s.n + j] &+= Int32(a[i * s.k + p]) * Int32(bt[j * s.k + p]) } } }
        return out
    }

    @Test(arguments: shapes, [GEMMBackend.generic, .avx2, .avx512])
    func matchesPlainLoop(shape: Shape, backend: GEMMBackend) {
        let a = Self.values(shape.m * shape.k, seed: 0x9E37 &+ UInt64(shape.k)), bt = Self.values(shape.n * shape.k, seed: 0x5851 &+ UInt64(shape.n))
        #expect(QuantizationOperators.integerGEMM(backend: backend, m: shape.m, n: shape.n, k: shape.k, a: a, bt: bt) == Self.reference(shape, a, bt))
    }

    @Test func extremeOperandsDoNotSaturate() {
        // 255 * 255 * 2 per madd pair exceeds int16, the reason the kernel avoids maddubs
        let k = 40
        let a = [Int16](repeating: 255, count: k), bt = [Int16](repeating: -255, count: 2 * k)
        for backend in [GEMMBackend.generic, .avx2, .avx512] {
            #expect(QuantizationOperators.integerGEMM(backend: backend, m: 1, n: 2, k: k, a: a, bt: bt) == [Int32(-255 * 255 * k), Int32(-255 * 255 * k)])
        }
    }

    @Test func variantsResolveToWhatTheCPURuns() {
        #expect(QuantizationOperators.integerGEMMVariant(.generic) == "generic")
        if GEMMBackend.avx2.isNativelySupported { #expect(QuantizationOperators.integerGEMMVariant(.avx2) == "avx2") }
    }
}
