// AVX-512F kernels (Skylake-X and later). Compiled for that target per function, called only
// after cpuid said yes.
#if defined(__x86_64__)
#include <immintrin.h>
#include <string.h>
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

// Small GEMMs without packing (the per-token projections of a transformer at batch 1, a small
// CNN's per-image convolutions): B is read straight from its rows, four rows of C at a time share
// each load of B. Every element goes through exactly the packed path's operations - an
// accumulator from zero, one FMA per p in ascending order, then fma(alpha, acc, c) into the
// C, already scaled by beta (the caller does that, as for the packed path) - so the result is
// bit-identical to the packed kernel; valid while k <= KC (the packed path would split longer sums
// into blocks).
AVX512 void aiplat_sgemm_small_avx512(int64_t m, int64_t n, int64_t k, float alpha, const float *a, int64_t lda,
                                      const float *b, int64_t ldb, float *c, int64_t ldc) {
    const __m512 va = _mm512_set1_ps(alpha);
    for (int64_t j = 0; j < n; j += 32) {
        const int64_t cols = n - j < 32 ? n - j : 32;
        const __mmask16 m0 = cols >= 16 ? 0xFFFF : (__mmask16)((1u << cols) - 1);
        const __mmask16 m1 = cols >= 32 ? 0xFFFF : (cols > 16 ? (__mmask16)((1u << (cols - 16)) - 1) : 0);
        int64_t i = 0;
        for (; i + 4 <= m; i += 4) {
            __m512 c00 = _mm512_setzero_ps(), c01 = _mm512_setzero_ps(), c10 = _mm512_setzero_ps(), c11 = _mm512_setzero_ps();
            __m512 c20 = _mm512_setzero_ps(), c21 = _mm512_setzero_ps(), c30 = _mm512_setzero_ps(), c31 = _mm512_setzero_ps();
            const float *a0 = a + i * lda, *a1 = a0 + lda, *a2 = a1 + lda, *a3 = a2 + lda;
            for (int64_t p = 0; p < k; p++) {
                const __m512 b0 = _mm512_maskz_loadu_ps(m0, b + p * ldb + j), b1 = _mm512_maskz_loadu_ps(m1, b + p * ldb + j + 16);
                __m512 x = _mm512_set1_ps(a0[p]);
                c00 = _mm512_fmadd_ps(x, b0, c00); c01 = _mm512_fmadd_ps(x, b1, c01);
                x = _mm512_set1_ps(a1[p]);
                c10 = _mm512_fmadd_ps(x, b0, c10); c11 = _mm512_fmadd_ps(x, b1, c11);
                x = _mm512_set1_ps(a2[p]);
                c20 = _mm512_fmadd_ps(x, b0, c20); c21 = _mm512_fmadd_ps(x, b1, c21);
                x = _mm512_set1_ps(a3[p]);
                c30 = _mm512_fmadd_ps(x, b0, c30); c31 = _mm512_fmadd_ps(x, b1, c31);
            }
            float *r0 = c + i * ldc + j, *r1 = r0 + ldc, *r2 = r1 + ldc, *r3 = r2 + ldc;
            _mm512_mask_storeu_ps(r0, m0, _mm512_fmadd_ps(va, c00, _mm512_maskz_loadu_ps(m0, r0)));
            _mm512_mask_storeu_ps(r0 + 16, m1, _mm512_fmadd_ps(va, c01, _mm512_maskz_loadu_ps(m1, r0 + 16)));
            _mm512_mask_storeu_ps(r1, m0, _mm512_fmadd_ps(va, c10, _mm512_maskz_loadu_ps(m0, r1)));
            _mm512_mask_storeu_ps(r1 + 16, m1, _mm512_fmadd_ps(va, c11, _mm512_maskz_loadu_ps(m1, r1 + 16)));
            _mm512_mask_storeu_ps(r2, m0, _mm512_fmadd_ps(va, c20, _mm512_maskz_loadu_ps(m0, r2)));
            _mm512_mask_storeu_ps(r2 + 16, m1, _mm512_fmadd_ps(va, c21, _mm512_maskz_loadu_ps(m1, r2 + 16)));
            _mm512_mask_storeu_ps(r3, m0, _mm512_fmadd_ps(va, c30, _mm512_maskz_loadu_ps(m0, r3)));
            _mm512_mask_storeu_ps(r3 + 16, m1, _mm512_fmadd_ps(va, c31, _mm512_maskz_loadu_ps(m1, r3 + 16)));
        }
        for (; i < m; i++) {
            __m512 c0 = _mm512_setzero_ps(), c1 = _mm512_setzero_ps();
            const float *ai = a + i * lda;
            for (int64_t p = 0; p < k; p++) {
                const __m512 x = _mm512_set1_ps(ai[p]);
                c0 = _mm512_fmadd_ps(x, _mm512_maskz_loadu_ps(m0, b + p * ldb + j), c0);
                c1 = _mm512_fmadd_ps(x, _mm512_maskz_loadu_ps(m1, b + p * ldb + j + 16), c1);
            }
            float *r = c + i * ldc + j;
            _mm512_mask_storeu_ps(r, m0, _mm512_fmadd_ps(va, c0, _mm512_maskz_loadu_ps(m0, r)));
            _mm512_mask_storeu_ps(r + 16, m1, _mm512_fmadd_ps(va, c1, _mm512_maskz_loadu_ps(m1, r + 16)));
        }
    }
}

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
