/// How ops run: threads, GEMM backend, and whether results must be reproducible.
public struct ExecutionOptions: Sendable, Hashable {
    /// Deterministic mode: forces the `_generic` kernels (no FMA contraction, fixed summation
    /// order, no CBLAS whose threading may reorder sums). Results are then bit-identical across
    /// runs and thread counts on one machine, and across x86-64 machines given the same libm
    /// (exp and GELU in softmax, attention and the fused GELU steps use our own vector kernels,
    /// which give the same bits on every machine; other operators call libm).
    public var deterministic: Bool
    /// Threads for GEMM (rows of C are split between them). Every kernel of ours reduces each
    /// output element in the same order whatever the split, so this never changes our results.
    public var threads: Int
    /// GEMM implementation when not deterministic.
    public var gemmBackend: GEMMBackend

    public init(deterministic: Bool = false, threads: Int = 1, gemmBackend: GEMMBackend = .automatic) {
        self.deterministic = deterministic
        self.threads = max(1, threads)
        self.gemmBackend = gemmBackend
    }

    /// Fastest kernels, one thread.
    public static let `default` = ExecutionOptions()
    /// Reproducible results, one thread.
    public static let reproducible = ExecutionOptions(deterministic: true)

    /// The backend actually used for a GEMM call.
    var effectiveGEMMBackend: GEMMBackend { deterministic ? .generic : gemmBackend }
}
