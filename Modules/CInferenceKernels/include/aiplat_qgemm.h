#ifndef AIPLAT_QGEMM_H
#define AIPLAT_QGEMM_H

// Integer GEMM for the quantized ONNX operators (MatMulInteger, QLinearMatMul, ConvInteger,
// QLinearConv). Operands arrive as int16 with their zero points already subtracted, so every
// uint8/int8 combination and per-row/per-column zero point takes the same exact path: int16 x int16
// products summed in int32 (`madd_epi16`, no saturation, unlike `maddubs_epi16`). Integer sums do
// not depend on order, so every variant and thread count gives identical results.

#include <stdint.h>
#include "aiplat_kernels.h"

#ifdef __cplusplus
extern "C" {
#endif

/// Row-major C[M,N] = A[M,K] * Bt[N,K]^T with wrapping int32 accumulation.
void aiplat_gemm_s16s32_avx2(int64_t m, int64_t n, int64_t k, const int16_t *a, int64_t lda,
                             const int16_t *bt, int64_t ldb, int32_t *c, int64_t ldc);
void aiplat_gemm_s16s32_avx512(int64_t m, int64_t n, int64_t k, const int16_t *a, int64_t lda,
                               const int16_t *bt, int64_t ldb, int32_t *c, int64_t ldc);
/// Dispatches to `isa` or the best SIMD variant below it this CPU runs (AVX-512 needs avx512bw
/// too); the portable variant is Swift (GenericKernels.gemmS16S32).
void aiplat_gemm_s16s32(aiplat_isa isa, int64_t m, int64_t n, int64_t k, const int16_t *a, int64_t lda,
                        const int16_t *bt, int64_t ldb, int32_t *c, int64_t ldc);
/// The variant `aiplat_gemm_s16s32` runs for `isa` on this CPU.
aiplat_isa aiplat_gemm_s16s32_resolve(aiplat_isa isa);

/// Whether this CPU runs the VNNI u8 x s8 kernel (avx512f + avx512bw + avx512vnni).
int aiplat_gemm_u8s8_supported(void);
/// Bytes of a packed B for `aiplat_gemm_u8s8s32_vnni`.
int64_t aiplat_gemm_u8s8_packed_size(int64_t n, int64_t k);
/// Packs s8 B[k,n] (row stride ldb) into VNNI panels and writes each column's sum to colsum[n].
void aiplat_gemm_u8s8_pack(int64_t n, int64_t k, const int8_t *b, int64_t ldb, int8_t *packed, int32_t *colsum);
/// C[m,n] = sum_p (A[i,p] - a_zero) * (B[p,j] - b_zero[j]) with u8 A, packed s8 B, wrapping int32
/// arithmetic: bit-identical to the int16 path. Only call when aiplat_gemm_u8s8_supported().
void aiplat_gemm_u8s8s32_vnni(int64_t m, int64_t n, int64_t k, const uint8_t *a, int64_t lda, int32_t a_zero,
                              const int8_t *packed, const int32_t *colsum, const int32_t *b_zero, int32_t *c, int64_t ldc);

#ifdef __cplusplus
}
#endif
#endif
