import CInferenceKernels

/// Which SGEMM implementation runs.
public enum GEMMBackend: String, Sendable, Hashable, CaseIterable {
    /// Our best kernel for this CPU; tiny shapes skip threading.
    case automatic
    /// Portable Swift SIMD (``GenericKernels``), no FMA: reproducible everywhere.
    case generic
    /// Our AVX2+FMA 6x16 micro-kernel (falls back to generic on CPUs without it).
    case avx2
    /// Our AVX-512F 14x32 micro-kernel (falls back to AVX2 or generic on CPUs without it).
    case avx512
    /// The system CBLAS (`cblas_sgemm`, OpenBLAS on Debian).
    case cblas

    /// Whether this CPU runs the backend natively (an unsupported one still runs, on a lower ISA).
    public var isNativelySupported: Bool {
        switch self {
        case .automatic, .generic, .cblas: true
        case .avx2: aiplat_isa_supported(AIPLAT_ISA_AVX2) != 0
        case .avx512: aiplat_isa_supported(AIPLAT_ISA_AVX512) != 0
        }
    }

    var isa: aiplat_isa {
        switch self {
        case .generic, .cblas: AIPLAT_ISA_GENERIC
        case .avx2: AIPLAT_ISA_AVX2
        case .avx512, .automatic: aiplat_isa_best()
        }
    }
}
