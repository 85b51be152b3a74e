import CInferenceKernels
import Foundation
import Testing

@testable import InferenceEngine

/// The vector exp and GELU (`vector_math.c`) against double-precision libm over dense grids, their
/// edge values, and every instruction-set variant giving the same bits.
@Suite struct VectorMathTests {
    /// Units in the last place of `reference` rounded to Float, between `got` and `reference`.
    static func ulps(_ got: Float, _ reference: Double) -> Double {
        let spacing = Double(Float(reference).magnitude.ulp)
        return abs(Double(got) - reference) / max(spacing, Double(Float.leastNonzeroMagnitude))
    }

    static func grid(_ from: Float, _ to: Float, _ count: Int) -> [Float] {
        (0..<count).map { from + (to - from) * Float($0) / Float(count - 1) }
    }

    @Test func expIsWithinTwoUlpsOfDoubleExpAndKeepsItsEdges() {
        var x = Self.grid(-87, 88, 400_001)
        let input = x
        x.withUnsafeMutableBufferPointer { Kernels.expInPlace($0.baseAddress!, count: $0.count) }
        var worst = 0.0
        for (value, got) in zip(input, x) { worst = max(worst, Self.ulps(got, Foundation.exp(Double(value)))) }
        #expect(worst <= 2, "worst \(worst) ulp")

        var edges: [Float] = [0, -0.0, -.infinity, .infinity, .nan, -100, 100, -87.5, 88.5]
        edges.withUnsafeMutableBufferPointer { Kernels.expInPlace($0.baseAddress!, count: $0.count) }
        #expect(edges[0] == 1 && edges[1] == 1)
        #expect(edges[2] == 0 && edges[3] == .infinity && edges[4].isNaN)
        #expect(edges[5] == 0 && edges[6] == .infinity)
        #expect(edges[7] < 1e-37 && edges[8] == .infinity || edges[8] > 1e38)
    }

    /// Exact GELU against `0.5 x erfc(-x / sqrt 2)` in double: within 8 ulps from -1.3 up (erf
    /// by polynomial), 5e-6 relative below (erfc through exp, no `1 + erf` cancellation), 2e-4
    /// relative below -5.65 (the asymptotic series; the values are under 1e-7 there).
    @Test func geluMatchesDoubleGELUOnBothSides() {
        var x = Self.grid(-12, 12, 480_001)
        let input = x
        x.withUnsafeMutableBufferPointer { Kernels.geluInPlace($0.baseAddress!, count: $0.count) }
        var worstUlps = 0.0, worstMiddle = 0.0, worstTail = 0.0
        for (value, got) in zip(input, x) {
            let v = Double(value)
            let reference = 0.5 * v * Foundation.erfc(-v / 2.0.squareRoot())
            let relative = reference == 0 ? abs(Double(got)) : abs(Double(got) - reference) / abs(reference)
            if v >= -1.3 {
                worstUlps = max(worstUlps, Self.ulps(got, reference))
            } else if v >= -5.65 {
                worstMiddle = max(worstMiddle, relative)
            } else if abs(reference) > 1e-37 {
                worstTail = max(worstTail, relative)
            }
        }
        #expect(worstUlps <= 8, "worst \(worstUlps) ulp")
        #expect(worstMiddle <= 5e-6, "worst relative \(worstMiddle) in [-5.65, -1.3)")
        #expect(worstTail <= 2e-4, "worst relative \(worstTail) below -5.65")

        var edges: [Float] = [0, .infinity, .nan, -30, 30]
        edges.withUnsafeMutableBufferPointer { Kernels.geluInPlace($0.baseAddress!, count: $0.count) }
        #expect(edges[0] == 0 && edges[1] == .infinity && edges[2].isNaN)
        #expect(edges[3] == 0 && edges[4] == 30)
    }

    /// Portable C, AVX2 and AVX-512 loops run the same operations per element: the same bits.
    @Test func everyInstructionSetGivesTheSameBits() {
        var generator = SystemRandomNumberGenerator()
        let input = (0..<10_007).map { _ in Float.random(in: -20...20, using: &generator) } + [.nan, .infinity, -.infinity, 0]
        for kernel in [aiplat_vec_exp_f32, aiplat_vec_gelu_f32] {
            var results: [[UInt32]] = []
            for isa in [AIPLAT_ISA_GENERIC, AIPLAT_ISA_AVX2, AIPLAT_ISA_AVX512] where isa == AIPLAT_ISA_GENERIC || aiplat_isa_supported(isa) != 0 {
                var x = input
                x.withUnsafeMutableBufferPointer { kernel(isa, Int64($0.count), $0.baseAddress!) }
                results.append(x.map(\.bitPattern))
            }
            #expect(results.count >= 2)
            #expect(results.allSatisfy { $0 == results[0] })
        }
    }
}
