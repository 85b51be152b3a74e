// AVX2 + FMA kernels (Haswell and later). Compiled for that target per function, called only
// after cpuid said yes.
#if defined(__x86_64__)
#include <immintrin.h>
#include "aiplat_kernels.h"
#include "kernels_internal.h"

#define AVX2 __attribute__((target("avx2,fma")))

AVX2 static float hsum256(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

AVX2 float aiplat_vec_dot_f32_avx2(int64_t n, const float *x, const float *y) {
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
    int64_t i = 0;
    for (; i + 32 <= n; i += 32) {
        a0 = _mm256_fmadd_ps(_mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i), a0);
        a1 = _mm256_fmadd_ps(_mm256_loadu_ps(x + i + 8), _mm256_loadu_ps(y + i + 8), a1);
        a2 = _mm256_fmadd_ps(_mm256_loadu_ps(x + i + 16), _mm256_loadu_ps(y + i + 16), a2);
        a3 = _mm256_fmadd_ps(_mm256_loadu_ps(x + i + 24), _mm256_loadu_ps(y + i + 24), a3);
    }
    for (; i + 8 <= n; i += 8) a0 = _mm256_fmadd_ps(_mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i), a0);
    float sum = hsum256(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)));
    for (; i < n; i++) sum += x[i] * y[i];
    return sum;
}

AVX2 void aiplat_vec_axpy_f32_avx2(int64_t n, float a, const float *x, float *y) {
    __m256 va = _mm256_set1_ps(a);
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(y + i, _mm256_fmadd_ps(va, _mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i)));
    for (; i < n; i++) y[i] += a * x[i];
}

#define MR 6
#define NR 16

// lanes [0, n) set; n in 0...8
static const int32_t mask_source[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};

AVX2 static void ukernel_avx2_6x16(int64_t kc, const float *ap, const float *bp, float *c, int64_t ldc,
                                   float alpha, int mr, int nr) {
    __m256 acc[MR][2];
    for (int i = 0; i < MR; i++) { acc[i][0] = _mm256_setzero_ps(); acc[i][1] = _mm256_setzero_ps(); }
    for (int64_t p = 0; p < kc; p++) {
        __m256 b0 = _mm256_load_ps(bp + p * NR);
        __m256 b1 = _mm256_load_ps(bp + p * NR + 8);
        for (int i = 0; i < MR; i++) {
            __m256 a = _mm256_broadcast_ss(ap + p * MR + i);
            acc[i][0] = _mm256_fmadd_ps(a, b0, acc[i][0]);
            acc[i][1] = _mm256_fmadd_ps(a, b1, acc[i][1]);
        }
    }
    // spill through a tile so the accumulators never get a run-time index (keeps them in registers)
    _Alignas(32) float tile[MR * NR];
    for (int i = 0; i < MR; i++) {
        _mm256_store_ps(tile + i * NR, acc[i][0]);
        _mm256_store_ps(tile + i * NR + 8, acc[i][1]);
    }
    int n0 = nr >= 8 ? 8 : nr, n1 = nr >= 16 ? 8 : (nr > 8 ? nr - 8 : 0);
    __m256i m0 = _mm256_loadu_si256((const __m256i *)(mask_source + 8 - n0));
    __m256i m1 = _mm256_loadu_si256((const __m256i *)(mask_source + 8 - n1));
    __m256 va = _mm256_set1_ps(alpha);
    for (int i = 0; i < mr; i++) {
        float *row = c + i * ldc;
        _mm256_maskstore_ps(row, m0, _mm256_fmadd_ps(va, _mm256_load_ps(tile + i * NR), _mm256_maskload_ps(row, m0)));
        _mm256_maskstore_ps(row + 8, m1, _mm256_fmadd_ps(va, _mm256_load_ps(tile + i * NR + 8), _mm256_maskload_ps(row + 8, m1)));
    }
}

const aiplat_sgemm_kernel_info aiplat_sgemm_kernel_avx2 = {
    .mr = MR, .nr = NR, .mc = MR * 24, .kc = 256, .nc = NR * 128, .kernel = ukernel_avx2_6x16,
};

AVX2 double aiplat_peak_probe_avx2(int64_t iterations) {
    __m256 acc[12];
    for (int i = 0; i < 12; i++) acc[i] = _mm256_set1_ps((float)i);
    __m256 m = _mm256_set1_ps(0.999999f), a = _mm256_set1_ps(1e-7f);
    for (int64_t it = 0; it < iterations; it++) {
        for (int i = 0; i < 12; i++) acc[i] = _mm256_fmadd_ps(acc[i], m, a);
    }
    __m256 s = acc[0];
    for (int i = 1; i < 12; i++) s = _mm256_add_ps(s, acc[i]);
    volatile float sink = hsum256(s);
    (void)sink;
    return (double)iterations * 12.0 * 8.0 * 2.0;
}
#endif
