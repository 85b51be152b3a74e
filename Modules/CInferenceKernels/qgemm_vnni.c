// AVX-512 VNNI int8 GEMM (see include/aiplat_qgemm.h): `vpdpbusd` multiplies 64 u8 x s8 pairs and
// adds each group of four products into one int32 lane, four times the work per instruction of the
// int16 `madd` path and without widening the activations. Weights are packed once (at plan time)
// into 64-byte panels of 16 columns x 4 depths; four rows of A share every panel load. The zero
// points are applied afterwards, exactly: sum((a - za)(b - zb)) = sum(ab) - za*sum(b) - zb*sum(a)
// + k*za*zb, all in wrapping 32-bit arithmetic, so results equal the int16 path bit for bit.
#include <string.h>
#include "aiplat_qgemm.h"

#if defined(__x86_64__)
#include <immintrin.h>
#define VNNI __attribute__((target("avx512f,avx512bw,avx512vnni")))

int aiplat_gemm_u8s8_supported(void) {
    static int cached = -1;
    int value = cached;
    if (value < 0) {
        __builtin_cpu_init();
        value = aiplat_isa_supported(AIPLAT_ISA_AVX512) && __builtin_cpu_supports("avx512bw") &&
                __builtin_cpu_supports("avx512vnni");
        __atomic_store_n(&cached, value, __ATOMIC_RELAXED);
    }
    return value;
}
#else
int aiplat_gemm_u8s8_supported(void) { return 0; }
#endif

int64_t aiplat_gemm_u8s8_packed_size(int64_t n, int64_t k) { return ((n + 15) / 16) * ((k + 3) / 4) * 64; }

void aiplat_gemm_u8s8_pack(int64_t n, int64_t k, const int8_t *b, int64_t ldb, int8_t *packed, int32_t *colsum) {
    const int64_t groups = (k + 3) / 4;
    memset(packed, 0, (size_t)aiplat_gemm_u8s8_packed_size(n, k));
    for (int64_t j = 0; j < n; j++) {
        int32_t sum = 0;
        for (int64_t p = 0; p < k; p++) {
            int8_t v = b[p * ldb + j];
            sum += v;
            packed[((j / 16) * groups + p / 4) * 64 + (j % 16) * 4 + p % 4] = v;
        }
        colsum[j] = sum;
    }
}

#if defined(__x86_64__)
// Four bytes of row `a` at depth 4g, zero-padded past k.
static inline int32_t quad(const uint8_t *a, int64_t g, int64_t k) {
    int64_t p = 4 * g;
    uint8_t bytes[4] = {0, 0, 0, 0};
    if (p + 4 <= k) { memcpy(bytes, a + p, 4); } else { for (int64_t t = 0; p + t < k; t++) bytes[t] = a[p + t]; }
    int32_t word;
    memcpy(&word, bytes, 4);
    return word;
}

VNNI void aiplat_gemm_u8s8s32_vnni(int64_t m, int64_t n, int64_t k, const uint8_t *a, int64_t lda, int32_t a_zero,
                                   const int8_t *packed, const int32_t *colsum, const int32_t *b_zero, int32_t *c, int64_t ldc) {
    const int64_t groups = (k + 3) / 4, full = k / 4;
    for (int64_t i0 = 0; i0 < m; i0 += 4) {
        const int rows = (int)(m - i0 < 4 ? m - i0 : 4);
        const uint8_t *ar[4];
        uint32_t rowsum[4] = {0, 0, 0, 0};
        for (int r = 0; r < 4; r++) {
            ar[r] = a + (i0 + (r < rows ? r : 0)) * lda;
            if (r < rows) for (int64_t p = 0; p < k; p++) rowsum[r] += ar[r][p];
        }
        for (int64_t jb = 0; jb * 16 < n; jb++) {
            const int8_t *panel = packed + jb * groups * 64;
            __m512i s0 = _mm512_setzero_si512(), s1 = s0, s2 = s0, s3 = s0;
            for (int64_t g = 0; g < full; g++) {
                __m512i bv = _mm512_loadu_si512((const void *)(panel + g * 64));
                int32_t w0, w1, w2, w3;
                memcpy(&w0, ar[0] + 4 * g, 4);
                memcpy(&w1, ar[1] + 4 * g, 4);
                memcpy(&w2, ar[2] + 4 * g, 4);
                memcpy(&w3, ar[3] + 4 * g, 4);
                s0 = _mm512_dpbusd_epi32(s0, _mm512_set1_epi32(w0), bv);
                s1 = _mm512_dpbusd_epi32(s1, _mm512_set1_epi32(w1), bv);
                s2 = _mm512_dpbusd_epi32(s2, _mm512_set1_epi32(w2), bv);
                s3 = _mm512_dpbusd_epi32(s3, _mm512_set1_epi32(w3), bv);
            }
            if (groups > full) {
                __m512i bv = _mm512_loadu_si512((const void *)(panel + full * 64));
                s0 = _mm512_dpbusd_epi32(s0, _mm512_set1_epi32(quad(ar[0], full, k)), bv);
                s1 = _mm512_dpbusd_epi32(s1, _mm512_set1_epi32(quad(ar[1], full, k)), bv);
                s2 = _mm512_dpbusd_epi32(s2, _mm512_set1_epi32(quad(ar[2], full, k)), bv);
                s3 = _mm512_dpbusd_epi32(s3, _mm512_set1_epi32(quad(ar[3], full, k)), bv);
            }
            int32_t lanes[4][16];
            _mm512_storeu_si512((void *)lanes[0], s0);
            _mm512_storeu_si512((void *)lanes[1], s1);
            _mm512_storeu_si512((void *)lanes[2], s2);
            _mm512_storeu_si512((void *)lanes[3], s3);
            const int columns = (int)(n - jb * 16 < 16 ? n - jb * 16 : 16);
            for (int r = 0; r < rows; r++) {
                int32_t *cr = c + (i0 + r) * ldc + jb * 16;
                for (int j = 0; j < columns; j++) {
                    const int64_t col = jb * 16 + j;
                    uint32_t zb = (uint32_t)b_zero[col], za = (uint32_t)a_zero;
                    uint32_t v = (uint32_t)lanes[r][j] - za * (uint32_t)colsum[col] - zb * rowsum[r] + (uint32_t)k * za * zb;
                    cr[j] = (int32_t)v;
                }
            }
        }
    }
}
#else
void aiplat_gemm_u8s8s32_vnni(int64_t m, int64_t n, int64_t k, const uint8_t *a, int64_t lda, int32_t a_zero,
                              const int8_t *packed, const int32_t *colsum, const int32_t *b_zero, int32_t *c, int64_t ldc) {
    (void)m; (void)n; (void)k; (void)a; (void)lda; (void)a_zero; (void)packed; (void)colsum; (void)b_zero; (void)c; (void)ldc;
    __builtin_trap(); // callers check aiplat_gemm_u8s8_supported() first
}
#endif
