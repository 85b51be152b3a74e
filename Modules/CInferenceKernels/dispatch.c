// CPU feature detection, done once; every dispatching entry point resolves its ISA here so an
// unsupported request degrades to a variant the CPU can execute. The portable variants are Swift
// (InferenceEngine's GenericKernels), which calls these entry points only for a SIMD ISA the CPU
// has; asked for the generic one anyway, they stop rather than compute something else.
#include <stdlib.h>
#include "aiplat_kernels.h"
#include "kernels_internal.h"

static int isa_mask(void) {
    static int cached = -1;
    int mask = cached;
    if (mask >= 0) return mask;
    mask = 1 << AIPLAT_ISA_GENERIC;
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) mask |= 1 << AIPLAT_ISA_AVX2;
    // compiler-rt also checks that the OS saves ZMM state (xgetbv) before reporting avx512f
    if ((mask & (1 << AIPLAT_ISA_AVX2)) && __builtin_cpu_supports("avx512f")) mask |= 1 << AIPLAT_ISA_AVX512;
#endif
    __atomic_store_n(&cached, mask, __ATOMIC_RELAXED); // idempotent: racing threads store the same value
    return mask;
}

int aiplat_isa_supported(aiplat_isa isa) {
    if ((int)isa < 0 || (int)isa > AIPLAT_ISA_AVX512) return 0;
    return (isa_mask() >> isa) & 1;
}

aiplat_isa aiplat_isa_best(void) {
    if (aiplat_isa_supported(AIPLAT_ISA_AVX512)) return AIPLAT_ISA_AVX512;
    if (aiplat_isa_supported(AIPLAT_ISA_AVX2)) return AIPLAT_ISA_AVX2;
    return AIPLAT_ISA_GENERIC;
}

aiplat_isa aiplat_isa_resolve(aiplat_isa isa) {
    int wanted = (int)isa;
    if (wanted > AIPLAT_ISA_AVX512) wanted = AIPLAT_ISA_AVX512;
    for (int candidate = wanted; candidate > 0; candidate--) {
        if (aiplat_isa_supported((aiplat_isa)candidate)) return (aiplat_isa)candidate;
    }
    return AIPLAT_ISA_GENERIC;
}

float aiplat_vec_dot_f32(aiplat_isa isa, int64_t n, const float *x, const float *y) {
    switch (aiplat_isa_resolve(isa)) {
#if defined(__x86_64__)
    case AIPLAT_ISA_AVX512: return aiplat_vec_dot_f32_avx512(n, x, y);
    case AIPLAT_ISA_AVX2: return aiplat_vec_dot_f32_avx2(n, x, y);
#endif
    default: abort(); // generic: GenericKernels.dot in Swift
    }
}

void aiplat_vec_axpy_f32(aiplat_isa isa, int64_t n, float a, const float *x, float *y) {
    switch (aiplat_isa_resolve(isa)) {
#if defined(__x86_64__)
    case AIPLAT_ISA_AVX512: aiplat_vec_axpy_f32_avx512(n, a, x, y); return;
    case AIPLAT_ISA_AVX2: aiplat_vec_axpy_f32_avx2(n, a, x, y); return;
#endif
    default: abort(); // generic: GenericKernels.axpy in Swift
    }
}

double aiplat_peak_probe(aiplat_isa isa, int64_t iterations) {
    switch (aiplat_isa_resolve(isa)) {
#if defined(__x86_64__)
    case AIPLAT_ISA_AVX512: return aiplat_peak_probe_avx512(iterations);
    case AIPLAT_ISA_AVX2: return aiplat_peak_probe_avx2(iterations);
#endif
    default: return aiplat_peak_probe_generic(iterations);
    }
}
