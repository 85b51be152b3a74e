// Integer GEMM dispatch (see include/aiplat_qgemm.h); the portable kernel is Swift
// (GenericKernels.gemmS16S32).
#include <stdlib.h>
#include "aiplat_qgemm.h"

static int has_avx512bw(void) {
#if defined(__x86_64__)
    static int cached = -1;
    int value = cached;
    if (value < 0) {
        __builtin_cpu_init();
        value = aiplat_isa_supported(AIPLAT_ISA_AVX512) && __builtin_cpu_supports("avx512bw");
        __atomic_store_n(&cached, value, __ATOMIC_RELAXED);
    }
    return value;
#else
    return 0;
#endif
}

aiplat_isa aiplat_gemm_s16s32_resolve(aiplat_isa isa) {
    aiplat_isa resolved = aiplat_isa_resolve(isa);
    if (resolved == AIPLAT_ISA_AVX512 && !has_avx512bw()) resolved = aiplat_isa_resolve(AIPLAT_ISA_AVX2);
    return resolved;
}

void aiplat_gemm_s16s32(aiplat_isa isa, int64_t m, int64_t n, int64_t k, const int16_t *a, int64_t lda,
                        const int16_t *bt, int64_t ldb, int32_t *c, int64_t ldc) {
    switch (aiplat_gemm_s16s32_resolve(isa)) {
#if defined(__x86_64__)
    case AIPLAT_ISA_AVX512: aiplat_gemm_s16s32_avx512(m, n, k, a, lda, bt, ldb, c, ldc); return;
    case AIPLAT_ISA_AVX2: aiplat_gemm_s16s32_avx2(m, n, k, a, lda, bt, ldb, c, ldc); return;
#endif
    default: abort(); // generic: GenericKernels.gemmS16S32 in Swift
    }
}
