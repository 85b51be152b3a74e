import CBLAS
import Dispatch
import CInferenceKernels

/// f32 compute kernels: thin, checked entry points over our kernels (SIMD variants in C, the
/// portable ones in Swift: ``GenericKernels``) and CBLAS.
public enum Kernels {
    /// The SIMD level our kernels use on this CPU: "avx512", "avx2" or "generic".
    public static var cpuLevel: String {
        switch aiplat_isa_best() {
        case AIPLAT_ISA_AVX512: "avx512"
        case AIPLAT_ISA_AVX2: "avx2"
        default: "generic"
        }
    }

    /// Below this many multiply-adds a GEMM runs on one thread (spawning costs more than it saves).
    public static let smallGEMMThreshold = 64 * 64 * 64

    /// Row-major `C[m,n] = alpha * op(A)[m,k] * op(B)[k,n] + beta * C` where `op` transposes when
    /// asked. `lda`/`ldb`/`ldc` are row strides in elements of the stored (untransposed) matrices.
    /// `beta == 0` overwrites C without reading it.
    public static func sgemm(
        transposeA: Bool = false, transposeB: Bool = false,
        m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int,
        backend: GEMMBackend = .automatic, threads: Int = 1
    ) throws {
        guard m >= 0, n >= 0, k >= 0 else { throw TensorError(.invalidShape, "sgemm: negative size m=\(m) n=\(n) k=\(k)") }
        guard lda >= max(1, transposeA ? m : k), ldb >= max(1, transposeB ? k : n), ldc >= max(1, n) else {
            throw TensorError(.invalidShape, "sgemm: leading dimensions lda=\(lda) ldb=\(ldb) ldc=\(ldc) too small for m=\(m) n=\(n) k=\(k)")
        }
        if m == 0 || n == 0 { return }
        let work = m * n * k
        // automatic: ours where we have the AVX-512 kernel or the shape is tiny, else the system BLAS
        var chosen = backend
        if backend == .automatic {
            chosen = aiplat_isa_best() == AIPLAT_ISA_AVX512 || work < smallGEMMThreshold ? .avx512 : .cblas
        }
        switch chosen {
        case .cblas:
            cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                        blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
        case .automatic, .generic, .avx2, .avx512:
            let threadCount = work < smallGEMMThreshold ? 1 : threads
            let isa = aiplat_isa_resolve(chosen.isa)
            if isa == AIPLAT_ISA_GENERIC {
                GenericKernels.sgemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                                     a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc, threads: threadCount)
            } else {
                aiplat_sgemm(isa, transposeA ? 1 : 0, transposeB ? 1 : 0, Int64(m), Int64(n), Int64(k), alpha,
                             a, Int64(lda), b, Int64(ldb), beta, c, Int64(ldc), Int32(threadCount))
            }
        }
    }

    /// Runs `body(first, end)` over `rows` rows split into contiguous ranges (multiples of
    /// `granularity`) for up to `threads` workers; inline on the caller when `work` (multiply-adds)
    /// is below ``smallGEMMThreshold``. For kernels whose every output row is computed
    /// independently, so the split never changes a result.
    static func splitRows(_ rows: Int, threads: Int, work: Int, granularity: Int = 4, _ body: (Int, Int) -> Void) {
        let chunks = (rows + granularity - 1) / granularity
        let workers = work < smallGEMMThreshold ? 1 : max(1, min(threads, chunks))
        guard workers > 1 else { if rows > 0 { body(0, rows) }; return }
        let perWorker = (chunks + workers - 1) / workers * granularity
        withoutActuallyEscaping(body) { body in
            let job = RowJob(body: body)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                let first = min(rows, worker * perWorker)
                let end = min(rows, first + perWorker)
                if end > first { job.body(first, end) }
            }
        }
    }

    /// `@unchecked Sendable`: `concurrentPerform` returns only after every worker has run, so the
    /// body and everything it captures (the operand pointers) outlive the calls, and the workers
    /// write disjoint row ranges of the output.
    private struct RowJob: @unchecked Sendable {
        let body: (Int, Int) -> Void
    }

    /// In place `x = e^x` (about 1 ulp; `vector_math.c`). Each element takes the same IEEE
    /// operations on every instruction set, so results are bit-identical on every x86-64 machine.
    public static func expInPlace(_ x: UnsafeMutablePointer<Float>, count: Int) {
        aiplat_vec_exp_f32(aiplat_isa_best(), Int64(count), x)
    }

    /// In place exact GELU, `0.5 x (1 + erf(x / sqrt 2))` (a few ulp, no cancellation below 0;
    /// `vector_math.c`), bit-identical on every instruction set as ``expInPlace(_:count:)``.
    public static func geluInPlace(_ x: UnsafeMutablePointer<Float>, count: Int) {
        aiplat_vec_gelu_f32(aiplat_isa_best(), Int64(count), x)
    }

    /// `sum(x[i] * y[i])`; `deterministic` pins the generic kernel (fixed order, no FMA).
    public static func dot(_ x: UnsafeBufferPointer<Float>, _ y: UnsafeBufferPointer<Float>, deterministic: Bool = false) throws -> Float {
        guard x.count == y.count else { throw TensorError(.shapeMismatch, "dot: lengths \(x.count) and \(y.count) differ") }
        guard let xs = x.baseAddress, let ys = y.baseAddress else { return 0 }
        let isa = deterministic ? AIPLAT_ISA_GENERIC : aiplat_isa_best()
        return isa == AIPLAT_ISA_GENERIC ? GenericKernels.dot(x.count, xs, ys) : aiplat_vec_dot_f32(isa, Int64(x.count), xs, ys)
    }

    /// `y += a * x`.
    public static func axpy(_ a: Float, _ x: UnsafeBufferPointer<Float>, _ y: UnsafeMutableBufferPointer<Float>, deterministic: Bool = false) throws {
        guard x.count == y.count else { throw TensorError(.shapeMismatch, "axpy: lengths \(x.count) and \(y.count) differ") }
        guard let xs = x.baseAddress, let ys = y.baseAddress else { return }
        let isa = deterministic ? AIPLAT_ISA_GENERIC : aiplat_isa_best()
        if isa == AIPLAT_ISA_GENERIC { GenericKernels.axpy(x.count, a, xs, ys) } else { aiplat_vec_axpy_f32(isa, Int64(x.count), a, xs, ys) }
    }

    /// Floating-point operations per second of one core running independent FMAs for `iterations`
    /// rounds with our widest ISA: the measured peak the GEMM figures are compared with.
    public static func measuredPeakFLOPS(iterations: Int = 50_000_000) -> Double {
        let clock = ContinuousClock()
        var flops = 0.0
        let elapsed = clock.measure { flops = aiplat_peak_probe(aiplat_isa_best(), Int64(iterations)) }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return flops / seconds
    }
}
