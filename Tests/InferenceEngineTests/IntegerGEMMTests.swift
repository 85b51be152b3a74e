import CInferenceKernels
import Foundation
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

    /// The VNNI u8 x s8 kernel (weights packed at plan time, zero points corrected afterwards)
    /// against the int16 path, for every signedness of A and B, with zero points, at tail sizes.
    @Test(arguments: shapes + [Shape(m: 9, n: 33, k: 67), Shape(m: 1, n: 16, k: 4)], [DType.uint8, .int8])
    func vnniMatchesInt16Path(shape: Shape, activations: DType) throws {
        let cpuHasVNNI = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?.contains(" avx512_vnni") ?? false
        #expect((aiplat_gemm_u8s8_supported() != 0) == cpuHasVNNI, "VNNI detection disagrees with /proc/cpuinfo")
        guard cpuHasVNNI else { return }
        for weights in [DType.int8, .uint8] {
            func bytes(_ count: Int, seed: UInt64, _ dtype: DType) throws -> Tensor {
                let raw = Self.values(count, seed: seed).map { UInt8(truncatingIfNeeded: $0) }
                return dtype == .uint8 ? try Tensor(shape: [count], scalars: raw) : try Tensor(shape: [count], scalars: raw.map { Int8(bitPattern: $0) })
            }
            let a = try bytes(shape.m * shape.k, seed: 11 &+ UInt64(shape.k), activations).reshaped([shape.m, shape.k])
            let b = try bytes(shape.k * shape.n, seed: 29 &+ UInt64(shape.n), weights).reshaped([shape.k, shape.n])
            let aZero = activations == .uint8 ? try Tensor(shape: [], scalars: [UInt8(131)]) : try Tensor(shape: [], scalars: [Int8(-7)])
            let bZero = weights == .uint8 ? try Tensor(shape: [shape.n], scalars: (0..<shape.n).map { UInt8(120 + $0 % 16) })
                : try Tensor(shape: [shape.n], scalars: (0..<shape.n).map { Int8($0 % 5 - 2) })
            let context = OperatorContext(node: ONNXNode(name: "mm", opType: "MatMulInteger", inputs: ["a", "b", "az", "bz"], outputs: ["y"]),
                                          opset: 10, inputs: [nil, .tensor(b), nil, .tensor(bZero)], options: .default)
            let prepared = try #require(QuantizationOperators.prepareRight(context, right: 1, zero: 3) as? QuantizationOperators.PreparedIntegerMatrix)
            #expect(prepared.vnni != nil)
            let vnni = try QuantizationOperators.integerMatmul(a, prepared, aZero: aZero, c: context)
            var int16 = prepared
            int16.vnni = nil
            let reference = try QuantizationOperators.integerMatmul(a, int16, aZero: aZero, c: context)
            #expect(vnni.shape == reference.shape)
            #expect(vnni.values == reference.values, "\(shape.testDescription) a \(activations) b \(weights)")
        }
    }

    /// Rows are split between threads above the small-GEMM threshold: every split gives the
    /// same sums, on the int16 path and on VNNI.
    @Test func threadedRowsMatchOneThread() throws {
        let m = 97, n = 80, k = 64
        #expect(m * n * k >= Kernels.smallGEMMThreshold)
        let a = Self.values(m * k, seed: 3), bt = Self.values(n * k, seed: 5)
        func run(_ threads: Int) -> [Int32] {
            var out = [Int32](repeating: 0, count: m * n)
            a.withUnsafeBufferPointer { ap in bt.withUnsafeBufferPointer { bp in out.withUnsafeMutableBufferPointer { op in
                QuantizationOperators.gemm(m: m, n: n, k: k, a: ap.baseAddress!, bt: bp.baseAddress!, c: op.baseAddress!, threads: threads)
            } } }
            return out
        }
        let one = run(1)
        #expect(one == Self.reference(Shape(m: m, n: n, k: k), a, bt))
        for threads in [2, 3] { #expect(run(threads) == one, "\(threads) threads") }
        guard aiplat_gemm_u8s8_supported() != 0 else { return }
        let weights = (0..<(k * n)).map { Int16(Int($0 * 37 % 255) - 127) }
        let vnni = QuantizationOperators.VNNIMatrix(k: k, n: n, weights: weights, zeros: [3], unsigned: false)
        let bytes = (0..<(m * k)).map { UInt8($0 * 11 % 256) }
        func multiply(_ threads: Int) -> [Int32] {
            var out = [Int32](repeating: 0, count: m * n)
            bytes.withUnsafeBufferPointer { ap in out.withUnsafeMutableBufferPointer { op in
                vnni.multiply(rows: m, k: k, n: n, a: ap.baseAddress!, aZero: 128, c: op.baseAddress!, threads: threads)
            } }
            return out
        }
        let single = multiply(1)
        #expect(multiply(2) == single)
        #expect(multiply(3) == single)
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
