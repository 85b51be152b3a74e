// AVX-512F kernels (Skylake-X and later). Compiled for that target per function, called only
// after cpuid said yes.
#if defined(__x86_64__)
#include <immintrin.h>
#include "aiplat_kernels.h"
#include "kernels_internal.h"

#define AVX512 __attribute__((target("avx512f")))

AVX512 float aiplat_vec_dot_f32_avx512(int64_t n, const float *x, const float *y) {
    __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps(), a2 = _mm512_setzero_ps(), a3 = _mm512_setzero_ps();
    int64_t i = 0;
    for (; i + 64 <= n; i += 64) {
        a0 = _mm512_fmadd_ps(_mm512_loadu_ps(x + i), _mm512_loadu_ps(y + i), a0);
        a1 = _mm512_fmadd_ps(_mm512_loadu_ps(x + i + 16), _mm512_loadu_ps(y + i + 16), a1);
        a2 = _mm512_fmadd_ps(_mm512_loadu_ps(x + i + 32), _mm512_loadu_ps(y + i + 32), a2);
        a3 = _mm512_fmadd_ps(_mm512_loadu_ps(x + i + 48), _mm512_loadu_ps(y + i + 48), a3);
    }
    for (; i + 16 <= n; i += 16) a0 = _mm512_fmadd_ps(_mm512_loadu_ps(x + i), _mm512_loadu_ps(y + i), a0);
    if (i < n) {
        __mmask16 m = (__mmask16)((1u << (n - i)) - 1);
        a1 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, x + i), _mm512_maskz_loadu_ps(m, y + i), a1);
    }
    return _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3)));
}

AVX512 void aiplat_vec_axpy_f32_avx512(int64_t n, float a, const float *x, float *y) {
    __m512 va = _mm512_set1_ps(a);
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) _mm512_storeu_ps(y + i, _mm512_fmadd_ps(va, _mm512_loadu_ps(x + i), _mm512_loadu_ps(y + i)));
    if (i < n) {
        __mmask16 m = (__mmask16)((1u << (n - i)) - 1);
        _mm512_mask_storeu_ps(y + i, m, _mm512_fmadd_ps(va, _mm512_maskz_loadu_ps(m, x + i), _mm512_maskz_loadu_ps(m, y + i)));
    }
}

// 14 x 32 tile: 28 zmm accumulators + 2 for B + 1 broadcast = 31 of 32 registers.
#define MR 14
#define NR 32

AVX512 static void ukernel_avx512_14x32(int64_t kc, const float *ap, const float *bp, float *c, int64_t ldc,
                                        float alpha, int mr, int nr) {
    // the C tile is read once at the end; start fetching it now
    for (int i = 0; i < mr; i++) {
        _mm_prefetch((const char *)(c + i * ldc), _MM_HINT_T0);
        _mm_prefetch((const char *)(c + i * ldc + 16), _MM_HINT_T0);
    }
    __m512 acc[MR][2];
    for (int i = 0; i < MR; i++) { acc[i][0] = _mm512_setzero_ps(); acc[i][1] = _mm512_setzero_ps(); }
    for (int64_t p = 0; p < kc; p++) {
        __m512 b0 = _mm512_load_ps(bp + p * NR);
        __m512 b1 = _mm512_load_ps(bp + p * NR + 16);
        _mm_prefetch((const char *)(bp + (p + 8) * NR), _MM_HINT_T0);
        for (int i = 0; i < MR; i++) {
            __m512 a = _mm512_set1_ps(ap[p * MR + i]);
            acc[i][0] = _mm512_fmadd_ps(a, b0, acc[i][0]);
            acc[i][1] = _mm512_fmadd_ps(a, b1, acc[i][1]);
        }
    }
    // spill through a tile so the accumulators never get a run-time index (keeps them in registers)
    _Alignas(64) float tile[MR * NR];
    for (int i = 0; i < MR; i++) {
        _mm512_store_ps(tile + i * NR, acc[i][0]);
        _mm512_store_ps(tile + i * NR + 16, acc[i][1]);
    }
    __mmask16 m0 = nr >= 16 ? 0xFFFF : (__mmask16)((1u << nr) - 1);
    __mmask16 m1 = nr >= 32 ? 0xFFFF : (nr > 16 ? (__mmask16)((1u << (nr - 16)) - 1) : 0);
    __m512 va = _mm512_set1_ps(alpha);
    for (int i = 0; i < mr; i++) {
        float *row = c + i * ldc;
        _mm512_mask_storeu_ps(row, m0, _mm512_fmadd_ps(va, _mm512_load_ps(tile + i * NR), _mm512_maskz_loadu_ps(m0, row)));
        _mm512_mask_storeu_ps(row + 16, m1, _mm512_fmadd_ps(va, _mm512_load_ps(tile + i * NR + 16), _mm512_maskz_loadu_ps(m1, row + 16)));
    }
}

// B micro-panel (kc x 32 floats = 32 KiB) stays in L1, the A block (mc x kc) in L2.
#ifndef AVX512_MC
#define AVX512_MC (MR * 24)
#endif
#ifndef AVX512_KC
#define AVX512_KC 256
#endif
#ifndef AVX512_NC
#define AVX512_NC (NR * 64)
#endif
const aiplat_sgemm_kernel_info aiplat_sgemm_kernel_avx512 = {
    .mr = MR, .nr = NR, .mc = AVX512_MC, .kc = AVX512_KC, .nc = AVX512_NC, .kernel = ukernel_avx512_14x32,
};

AVX512 double aiplat_peak_probe_avx512(int64_t iterations) {
    __m512 acc[16];
    for (int i = 0; i < 16; i++) acc[i] = _mm512_set1_ps((float)i);
    __m512 m = _mm512_set1_ps(0.999999f), a = _mm512_set1_ps(1e-7f);
    for (int64_t it = 0; it < iterations; it++) {
        for (int i = 0; i < 16; i++) acc[i] = _mm512_fmadd_ps(acc[i], m, a);
    }
    __m512 s = acc[0];
    for (int i = 1; i < 16; i++) s = _mm512_add_ps(s, acc[i]);
    volatile float sink = _mm512_reduce_add_ps(s);
    (void)sink;
    return (double)iterations * 16.0 * 16.0 * 2.0;
}
#endif
