import CInferenceKernels
import Testing
@testable import InferenceEngine

/// Deterministic pseudo-random floats (xorshift), so failures reproduce.
struct SeededFloats {
    var state: UInt64
    mutating func next() -> Float {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return Float(Int(state % 2001) - 1000) / 500
    }
    mutating func array(_ count: Int) -> [Float] { (0..<count).map { _ in next() } }
}

struct GEMMShape: Sendable, CustomTestStringConvertible {
    let m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool
    var testDescription: String { "\(m)x\(n)x\(k)\(transposeA ? " Aᵀ" : "")\(transposeB ? " Bᵀ" : "")" }
}

@Suite("SGEMM kernels")
struct SGEMMTests {
    static let shapes: [GEMMShape] = {
        let sizes: [(Int, Int, Int)] = [(1, 1, 1), (17, 33, 65), (14, 32, 384), (15, 33, 385), (3, 100, 7),
                                        (100, 3, 1), (29, 64, 257), (64, 96, 300), (1, 50, 300), (131, 47, 19)]
        return sizes.flatMap { s in
            [(false, false), (true, false), (false, true), (true, true)].map {
                GEMMShape(m: s.0, n: s.1, k: s.2, transposeA: $0.0, transposeB: $0.1)
            }
        }
    }()

    /// alpha * op(A) op(B) + beta * C in Double.
    static func reference(_ s: GEMMShape, _ a: [Float], _ b: [Float], _ c: [Float], alpha: Float, beta: Float) -> [Double] {
        var out = [Double](repeating: 0, count: s.m * s.n)
        for i in 0..<s.m {
            for j in 0..<s.n {
                var sum = 0.0
                for p in 0..<s.k {
                    let av = s.transposeA ? a[p * s.m + i] : a[i * s.k + p]
                    let bv = s.transposeB ? b[j * s.k + p] : b[p * s.n + j]
                    sum += Double(av) * Double(bv)
                }
                out[i * s.n + j] = Double(alpha) * sum + Double(beta) * Double(c[i * s.n + j])
            }
        }
        return out
    }

    static func run(_ s: GEMMShape, _ a: [Float], _ b: [Float], _ c: [Float], alpha: Float, beta: Float,
                    backend: GEMMBackend, threads: Int) throws -> [Float] {
        var out = c
        try a.withUnsafeBufferPointer { a in
            try b.withUnsafeBufferPointer { b in
                try out.withUnsafeMutableBufferPointer { c in
                    try Kernels.sgemm(transposeA: s.transposeA, transposeB: s.transposeB, m: s.m, n: s.n, k: s.k,
                                      alpha: alpha, a: a.baseAddress!, lda: max(1, s.transposeA ? s.m : s.k),
                                      b: b.baseAddress!, ldb: max(1, s.transposeB ? s.k : s.n), beta: beta,
                                      c: c.baseAddress!, ldc: s.n, backend: backend, threads: threads)
                }
            }
        }
        return out
    }

    @Test("every backend matches a Double reference over odd and transposed shapes",
          arguments: [GEMMBackend.generic, .avx2, .avx512, .cblas, .automatic])
    func matchesReference(backend: GEMMBackend) throws {
        var random = SeededFloats(state: 0x9E37_79B9)
        for shape in Self.shapes {
            let a = random.array(shape.m * shape.k), b = random.array(shape.k * shape.n), c = random.array(shape.m * shape.n)
            let expected = Self.reference(shape, a, b, c, alpha: 0.75, beta: -0.5)
            let actual = try Self.run(shape, a, b, c, alpha: 0.75, beta: -0.5, backend: backend, threads: 2)
            // |error| of an f32 dot product of length k with |terms| <= 4: about k * 4 * 2^-24 each
            let ratio = toleranceRatio(actual, expected, atol: Double(shape.k) * 4e-6, rtol: 1e-5)
            #expect(ratio <= 1, "\(backend) \(shape.testDescription): error ratio \(ratio)")
        }
    }

    @Test("beta = 0 ignores NaN in C; k = 0 scales C by beta")
    func betaSemantics() throws {
        let shape = GEMMShape(m: 3, n: 5, k: 4, transposeA: false, transposeB: false)
        let a = [Float](repeating: 1, count: 12), b = [Float](repeating: 2, count: 20)
        for backend in [GEMMBackend.generic, .avx2, .avx512] {
            let out = try Self.run(shape, a, b, [Float](repeating: .nan, count: 15), alpha: 1, beta: 0, backend: backend, threads: 1)
            #expect(out == [Float](repeating: 8, count: 15))
            let empty = GEMMShape(m: 3, n: 5, k: 0, transposeA: false, transposeB: false)
            // one dummy element each: the pointers must be valid even though k = 0 reads nothing
            let scaled = try Self.run(empty, [0], [0], [Float](repeating: 3, count: 15), alpha: 1, beta: 2, backend: backend, threads: 1)
            #expect(scaled == [Float](repeating: 6, count: 15))
        }
    }

    @Test("results are bit-identical for 1, 2 and 3 threads with each of our kernels",
          arguments: [GEMMBackend.generic, .avx2, .avx512])
    func threadCountDoesNotChangeBits(backend: GEMMBackend) throws {
        var random = SeededFloats(state: 42)
        // Several K blocks (k > 256), several N blocks (n > 2048: the shared B panel is refilled
        // behind a barrier), and fewer row tiles than threads for the last one.
        for shape in [GEMMShape(m: 157, n: 71, k: 530, transposeA: false, transposeB: true),
                      GEMMShape(m: 45, n: 2100, k: 300, transposeA: true, transposeB: false),
                      GEMMShape(m: 20, n: 700, k: 700, transposeA: false, transposeB: false)] {
            let a = random.array(shape.m * shape.k), b = random.array(shape.k * shape.n), c = random.array(shape.m * shape.n)
            let single = try Self.run(shape, a, b, c, alpha: 1, beta: 1, backend: backend, threads: 1)
            for threads in [2, 3] {
                let multi = try Self.run(shape, a, b, c, alpha: 1, beta: 1, backend: backend, threads: threads)
                #expect(multi.map(\.bitPattern) == single.map(\.bitPattern), "\(shape) on \(threads) threads")
            }
        }
    }

    @Test("small products (32 rows or fewer, no packing) give the packed kernel's bits")
    func smallProductsMatchThePackedPath() throws {
        guard aiplat_isa_best() == AIPLAT_ISA_AVX512 else { return }
        var random = SeededFloats(state: 11)
        for (m, n, k) in [(1, 1, 1), (4, 32, 32), (8, 32, 32), (7, 45, 9), (16, 64, 72), (32, 130, 256), (5, 2000, 30)] {
            // The same m rows computed alone (small path) and as the top of a 40-row product (packed).
            let tall = 40
            let a = random.array(tall * k), b = random.array(k * n), c = random.array(tall * n)
            for (alpha, beta) in [(Float(1), Float(0)), (0.75, -0.5), (1, 1)] {
                let small = try Self.run(GEMMShape(m: m, n: n, k: k, transposeA: false, transposeB: false), Array(a[..<(m * k)]), b,
                                         Array(c[..<(m * n)]), alpha: alpha, beta: beta, backend: .avx512, threads: 1)
                let packed = try Self.run(GEMMShape(m: tall, n: n, k: k, transposeA: false, transposeB: false), a, b, c,
                                          alpha: alpha, beta: beta, backend: .avx512, threads: 1)
                #expect(small.map(\.bitPattern) == packed[..<(m * n)].map(\.bitPattern), "\(m)x\(n)x\(k) alpha \(alpha) beta \(beta)")
            }
        }
    }

    @Test("concurrent multi-threaded calls (the worker pool busy with one of them) give the single-thread bits")
    func concurrentThreadedCallsAgree() async throws {
        var random = SeededFloats(state: 7)
        let shape = GEMMShape(m: 200, n: 300, k: 400, transposeA: false, transposeB: false)
        let a = random.array(shape.m * shape.k), b = random.array(shape.k * shape.n), c = random.array(shape.m * shape.n)
        let single = try Self.run(shape, a, b, c, alpha: 1, beta: 0, backend: .automatic, threads: 1)
        try await withThrowingTaskGroup(of: [Float].self) { group in
            for _ in 0..<6 {
                group.addTask { try Self.run(shape, a, b, c, alpha: 1, beta: 0, backend: .automatic, threads: 2) }
            }
            for try await result in group { #expect(result.map(\.bitPattern) == single.map(\.bitPattern)) }
        }
    }

    @Test("invalid sizes and leading dimensions are rejected")
    func invalidArguments() throws {
        var out = [Float](repeating: 0, count: 4)
        let a = [Float](repeating: 1, count: 4)
        #expect(throws: TensorError.self) {
            try out.withUnsafeMutableBufferPointer { c in
                try Kernels.sgemm(m: 2, n: 2, k: 2, a: a, lda: 1, b: a, ldb: 2, c: c.baseAddress!, ldc: 2)
            }
        }
        #expect(throws: TensorError.self) {
            try out.withUnsafeMutableBufferPointer { c in
                try Kernels.sgemm(m: -1, n: 2, k: 2, a: a, lda: 2, b: a, ldb: 2, c: c.baseAddress!, ldc: 2)
            }
        }
    }

    @Test("dot and axpy agree with a Double reference for every length class")
    func dotAndAxpy() throws {
        var random = SeededFloats(state: 7)
        for n in [0, 1, 7, 16, 31, 64, 65, 1000] {
            let x = random.array(n), y = random.array(n)
            let reference = zip(x, y).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            for deterministic in [false, true] {
                let dot = try x.withUnsafeBufferPointer { xs in try y.withUnsafeBufferPointer { try Kernels.dot(xs, $0, deterministic: deterministic) } }
                #expect(abs(Double(dot) - reference) <= Double(n) * 4e-6 + 1e-6)
                var out = y
                try x.withUnsafeBufferPointer { xs in try out.withUnsafeMutableBufferPointer { try Kernels.axpy(0.5, xs, $0, deterministic: deterministic) } }
                #expect(zip(out, zip(x, y)).allSatisfy { abs(Double($0) - (Double($1.1) + 0.5 * Double($1.0))) <= 1e-5 })
            }
        }
    }

    @Test("the generic kernels follow their documented summation order exactly (bit for bit)")
    func genericOrder() throws {
        var generator = SeededFloats(state: 7)
        // dot: lane i mod 8, then ((l0+l1)+(l2+l3))+((l4+l5)+(l6+l7)), no FMA.
        for n in [0, 1, 7, 8, 9, 31, 64, 1000] {
            let x = (0..<n).map { _ in generator.next() }, y = (0..<n).map { _ in generator.next() }
            var lanes = [Float](repeating: 0, count: 8)
            for i in 0..<n { lanes[i % 8] = lanes[i % 8] + x[i] * y[i] }
            let expected = ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]))
            let got = x.withUnsafeBufferPointer { xp in y.withUnsafeBufferPointer { yp in
                try! Kernels.dot(xp, yp, deterministic: true)
            } }
            #expect(got.bitPattern == expected.bitPattern, "dot n=\(n)")
        }
        // sgemm: each C element sums k in blocks of 256, each block from zero in order, then C += block.
        let (m, n, k) = (5, 19, 300)
        let a = (0..<(m * k)).map { _ in generator.next() }, b = (0..<(k * n)).map { _ in generator.next() }
        var c = [Float](repeating: .nan, count: m * n)
        try a.withUnsafeBufferPointer { ap in try b.withUnsafeBufferPointer { bp in try c.withUnsafeMutableBufferPointer { cp in
            try Kernels.sgemm(m: m, n: n, k: k, a: ap.baseAddress!, lda: k, b: bp.baseAddress!, ldb: n, c: cp.baseAddress!, ldc: n, backend: .generic, threads: 2)
        } } }
        for i in 0..<m {
            for j in 0..<n {
                var expected: Float = 0
                for block in stride(from: 0, to: k, by: 256) {
                    var sum: Float = 0
                    for p in block..<min(k, block + 256) { sum = sum + a[i * k + p] * b[p * n + j] }
                    expected = expected + 1 * sum
                }
                #expect(c[i * n + j].bitPattern == expected.bitPattern, "C[\(i),\(j)]")
            }
        }
    }

    @Test("the CPU level reported matches what the kernels can run")
    func cpuLevel() {
        #expect(["avx512", "avx2", "generic"].contains(Kernels.cpuLevel))
        #expect(GEMMBackend.generic.isNativelySupported)
        if Kernels.cpuLevel == "avx512" { #expect(GEMMBackend.avx512.isNativelySupported && GEMMBackend.avx2.isNativelySupported) }
    }
}
