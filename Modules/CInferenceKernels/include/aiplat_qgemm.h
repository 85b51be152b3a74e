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

#ifdef __cplusplus
}
#endif
#endif
