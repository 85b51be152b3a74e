#ifndef AIPLAT_KERNELS_INTERNAL_H
#define AIPLAT_KERNELS_INTERNAL_H
#include <stdint.h>

// A GEMM micro-kernel: C[mr,nr] += alpha * Apanel[kc,MR]^T * Bpanel[kc,NR] with packed, zero-padded
// panels; `mr`/`nr` (<= MR/NR) say how much of the tile is inside C.
typedef void (*aiplat_sgemm_ukernel)(int64_t kc, const float *ap, const float *bp, float *c,
                                     int64_t ldc, float alpha, int mr, int nr);

typedef struct {
    int mr, nr;           // register tile
    int64_t mc, kc, nc;   // cache blocks: A block mc x kc in L2, B panel kc x nc in L3
    aiplat_sgemm_ukernel kernel;
} aiplat_sgemm_kernel_info;

#if defined(__x86_64__)
extern const aiplat_sgemm_kernel_info aiplat_sgemm_kernel_avx2;
extern const aiplat_sgemm_kernel_info aiplat_sgemm_kernel_avx512;
double aiplat_peak_probe_avx2(int64_t iterations);
double aiplat_peak_probe_avx512(int64_t iterations);
// C[m,n] += alpha * A[m,k] B[k,n] without packing, for k <= 256 (C already scaled by beta).
void aiplat_sgemm_small_avx512(int64_t m, int64_t n, int64_t k, float alpha, const float *a, int64_t lda,
                               const float *b, int64_t ldb, float *c, int64_t ldc);
#endif
double aiplat_peak_probe_generic(int64_t iterations);

// Runs fn(ctx, 0) on the calling thread and fn(ctx, 1 ... count-1) on persistent pool workers,
// returning when all are done (thread_pool.c). Returns 0, having run nothing, when the pool is
// in use by another call or cannot start enough workers: the caller then runs the work itself.
int aiplat_pool_run(int count, void (*fn)(void *ctx, int index), void *ctx);
#endif
