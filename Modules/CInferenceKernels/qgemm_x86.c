// AVX2 and AVX-512BW integer GEMM (see include/aiplat_qgemm.h). One row of A against four rows of
// Bt at a time, `madd_epi16` into int32 lanes; compiled per function for the target, called only
// after cpuid said yes.
#if defined(__x86_64__)
#include <immintrin.h>
#include "aiplat_qgemm.h"

#define AVX2 __attribute__((target("avx2")))
#define AVX512BW __attribute__((target("avx512f,avx512bw")))

AVX2 static int32_t hsum_epi32_256(__m256i v) {
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4E));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xB1));
    return _mm_cvtsi128_si32(s);
}

static int32_t tail_dot(int64_t from, int64_t k, const int16_t *x, const int16_t *y) {
    uint32_t sum = 0;
    for (int64_t p = from; p < k; p++) sum += (uint32_t)((int32_t)x[p] * (int32_t)y[p]);
    return (int32_t)sum;
}

AVX2 void aiplat_gemm_s16s32_avx2(int64_t m, int64_t n, int64_t k, const int16_t *a, int64_t lda,
                                  const int16_t *bt, int64_t ldb, int32_t *c, int64_t ldc) {
    const int64_t k16 = k & ~(int64_t)15;
    for (int64_t i = 0; i < m; i++) {
        const int16_t *ar = a + i * lda;
        int64_t j = 0;
        for (; j + 4 <= n; j += 4) {
            const int16_t *b0 = bt + j * ldb, *b1 = b0 + ldb, *b2 = b1 + ldb, *b3 = b2 + ldb;
            __m256i s0 = _mm256_setzero_si256(), s1 = s0, s2 = s0, s3 = s0;
            for (int64_t p = 0; p < k16; p += 16) {
                __m256i x = _mm256_loadu_si256((const __m256i *)(ar + p));
                s0 = _mm256_add_epi32(s0, _mm256_madd_epi16(x, _mm256_loadu_si256((const __m256i *)(b0 + p))));
                s1 = _mm256_add_epi32(s1, _mm256_madd_epi16(x, _mm256_loadu_si256((const __m256i *)(b1 + p))));
                s2 = _mm256_add_epi32(s2, _mm256_madd_epi16(x, _mm256_loadu_si256((const __m256i *)(b2 + p))));
                s3 = _mm256_add_epi32(s3, _mm256_madd_epi16(x, _mm256_loadu_si256((const __m256i *)(b3 + p))));
            }
            int32_t *cr = c + i * ldc + j;
            cr[0] = (int32_t)((uint32_t)hsum_epi32_256(s0) + (uint32_t)tail_dot(k16, k, ar, b0));
            cr[1] = (int32_t)((uint32_t)hsum_epi32_256(s1) + (uint32_t)tail_dot(k16, k, ar, b1));
            cr[2] = (int32_t)((uint32_t)hsum_epi32_256(s2) + (uint32_t)tail_dot(k16, k, ar, b2));
            cr[3] = (int32_t)((uint32_t)hsum_epi32_256(s3) + (uint32_t)tail_dot(k16, k, ar, b3));
        }
        for (; j < n; j++) {
            const int16_t *b0 = bt + j * ldb;
            __m256i s0 = _mm256_setzero_si256();
            for (int64_t p = 0; p < k16; p += 16) {
                s0 = _mm256_add_epi32(s0, _mm256_madd_epi16(_mm256_loadu_si256((const __m256i *)(ar + p)),
                                                            _mm256_loadu_si256((const __m256i *)(b0 + p))));
            }
            c[i * ldc + j] = (int32_t)((uint32_t)hsum_epi32_256(s0) + (uint32_t)tail_dot(k16, k, ar, b0));
        }
    }
}

AVX512BW void aiplat_gemm_s16s32_avx512(int64_t m, int64_t n, int64_t k, const int16_t *a, int64_t lda,
                                        const int16_t *bt, int64_t ldb, int32_t *c, int64_t ldc) {
    const int64_t k32 = k & ~(int64_t)31;
    const __mmask32 tail = (__mmask32)((k - k32) >= 32 ? 0xFFFFFFFFu : ((1u << (k - k32)) - 1u));
    for (int64_t i = 0; i < m; i++) {
        const int16_t *ar = a + i * lda;
        __m512i xt = _mm512_maskz_loadu_epi16(tail, ar + k32); // masked: never reads past the row
        int64_t j = 0;
        for (; j + 4 <= n; j += 4) {
            const int16_t *b0 = bt + j * ldb, *b1 = b0 + ldb, *b2 = b1 + ldb, *b3 = b2 + ldb;
            __m512i s0 = _mm512_setzero_si512(), s1 = s0, s2 = s0, s3 = s0;
            for (int64_t p = 0; p < k32; p += 32) {
                __m512i x = _mm512_loadu_si512(ar + p);
                s0 = _mm512_add_epi32(s0, _mm512_madd_epi16(x, _mm512_loadu_si512(b0 + p)));
                s1 = _mm512_add_epi32(s1, _mm512_madd_epi16(x, _mm512_loadu_si512(b1 + p)));
                s2 = _mm512_add_epi32(s2, _mm512_madd_epi16(x, _mm512_loadu_si512(b2 + p)));
                s3 = _mm512_add_epi32(s3, _mm512_madd_epi16(x, _mm512_loadu_si512(b3 + p)));
            }
            s0 = _mm512_add_epi32(s0, _mm512_madd_epi16(xt, _mm512_maskz_loadu_epi16(tail, b0 + k32)));
            s1 = _mm512_add_epi32(s1, _mm512_madd_epi16(xt, _mm512_maskz_loadu_epi16(tail, b1 + k32)));
            s2 = _mm512_add_epi32(s2, _mm512_madd_epi16(xt, _mm512_maskz_loadu_epi16(tail, b2 + k32)));
            s3 = _mm512_add_epi32(s3, _mm512_madd_epi16(xt, _mm512_maskz_loadu_epi16(tail, b3 + k32)));
            int32_t *cr = c + i * ldc + j;
            cr[0] = _mm512_reduce_add_epi32(s0);
            cr[1] = _mm512_reduce_add_epi32(s1);
            cr[2] = _mm512_reduce_add_epi32(s2);
            cr[3] = _mm512_reduce_add_epi32(s3);
        }
        for (; j < n; j++) {
            const int16_t *b0 = bt + j * ldb;
            __m512i s0 = _mm512_madd_epi16(xt, _mm512_maskz_loadu_epi16(tail, b0 + k32));
            for (int64_t p = 0; p < k32; p += 32) s0 = _mm512_add_epi32(s0, _mm512_madd_epi16(_mm512_loadu_si512(ar + p), _mm512_loadu_si512(b0 + p)));
            c[i * ldc + j] = _mm512_reduce_add_epi32(s0);
        }
    }
}
#endif
