#ifndef AIPLAT_KERNELS_H
#define AIPLAT_KERNELS_H

// f32 kernels with one variant per instruction set, ggml-style: `aiplat_<op>_f32_<isa>`.
// Every SIMD variant has a portable `_generic` twin written in Swift SIMD (InferenceEngine's
// GenericKernels); the dispatching entry points take an `aiplat_isa` so callers (and tests) can pin
// a variant. Asking for an ISA the CPU lacks falls back to the best SIMD one it has, never to an
// illegal instruction; the Swift side resolves the ISA first and runs the generic kernels itself.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    AIPLAT_ISA_GENERIC = 0,
    AIPLAT_ISA_AVX2 = 1,   // avx2 + fma
    AIPLAT_ISA_AVX512 = 2, // avx512f
} aiplat_isa;

/// Whether this CPU can run `isa` (cpuid, checked once).
int aiplat_isa_supported(aiplat_isa isa);
/// The fastest variant this CPU runs.
aiplat_isa aiplat_isa_best(void);
/// `isa` if supported, otherwise the best supported one below it.
aiplat_isa aiplat_isa_resolve(aiplat_isa isa);

float aiplat_vec_dot_f32_avx2(int64_t n, const float *x, const float *y);
float aiplat_vec_dot_f32_avx512(int64_t n, const float *x, const float *y);
float aiplat_vec_dot_f32(aiplat_isa isa, int64_t n, const float *x, const float *y);

/// y += a * x
void aiplat_vec_axpy_f32_avx2(int64_t n, float a, const float *x, float *y);
void aiplat_vec_axpy_f32_avx512(int64_t n, float a, const float *x, float *y);
void aiplat_vec_axpy_f32(aiplat_isa isa, int64_t n, float a, const float *x, float *y);

/// In place: x = e^x, and x = GELU(x) = 0.5 x (1 + erf(x / sqrt 2)), f32 (vector_math.c: about
/// 1 ulp for exp, a few ulp for GELU). The same operations per element in every variant, so all
/// variants (and `AIPLAT_ISA_GENERIC`, a portable C loop here) give bit-identical results.
void aiplat_vec_exp_f32(aiplat_isa isa, int64_t n, float *x);
void aiplat_vec_gelu_f32(aiplat_isa isa, int64_t n, float *x);
void aiplat_vec_exp_f32_portable(int64_t n, float *x);
void aiplat_vec_gelu_f32_portable(int64_t n, float *x);
#if defined(__x86_64__)
void aiplat_vec_exp_f32_avx2(int64_t n, float *x);
void aiplat_vec_exp_f32_avx512(int64_t n, float *x);
void aiplat_vec_gelu_f32_avx2(int64_t n, float *x);
void aiplat_vec_gelu_f32_avx512(int64_t n, float *x);
#endif

/// Row-major C[M,N] = alpha * op(A)[M,K] * op(B)[K,N] + beta * C, op = transpose when trans != 0.
/// Rows of C are split across `threads` threads (no locks); each C element's reduction order
/// depends only on K, so the result is bit-identical for every thread count.
void aiplat_sgemm(aiplat_isa isa, int trans_a, int trans_b, int64_t m, int64_t n, int64_t k,
                  float alpha, const float *a, int64_t lda, const float *b, int64_t ldb,
                  float beta, float *c, int64_t ldc, int threads);

/// Runs `iterations` rounds of independent AVX-512 FMAs (or AVX2 / scalar where absent) and
/// returns the floating-point operations done: timing it measures the core's real peak.
double aiplat_peak_probe(aiplat_isa isa, int64_t iterations);

/// The buffer pool of the inference run on this thread (an unretained Swift object), or NULL.
void *aiplat_current_buffer_pool(void);
void aiplat_set_current_buffer_pool(void *pool);

#ifdef __cplusplus
}
#endif
#endif
