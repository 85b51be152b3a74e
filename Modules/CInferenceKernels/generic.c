// Portable kernels. No FMA contraction and a fixed summation order, so results are identical on
// every machine (the deterministic mode relies on this).
#pragma STDC FP_CONTRACT OFF
#include "aiplat_kernels.h"
#include "kernels_internal.h"

float aiplat_vec_dot_f32_generic(int64_t n, const float *x, const float *y) {
    float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        for (int l = 0; l < 8; l++) acc[l] += x[i + l] * y[i + l];
    }
    for (; i < n; i++) acc[i & 7] += x[i] * y[i];
    // pairwise, fixed order
    return ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
}

void aiplat_vec_axpy_f32_generic(int64_t n, float a, const float *x, float *y) {
    for (int64_t i = 0; i < n; i++) y[i] += a * x[i];
}

#define GEN_MR 4
#define GEN_NR 16

static void ukernel_generic(int64_t kc, const float *ap, const float *bp, float *c, int64_t ldc,
                            float alpha, int mr, int nr) {
    float acc[GEN_MR][GEN_NR] = {{0}};
    for (int64_t p = 0; p < kc; p++) {
        const float *b = bp + p * GEN_NR;
        for (int i = 0; i < GEN_MR; i++) {
            float a = ap[p * GEN_MR + i];
            for (int j = 0; j < GEN_NR; j++) acc[i][j] += a * b[j];
        }
    }
    for (int i = 0; i < mr; i++) {
        for (int j = 0; j < nr; j++) c[i * ldc + j] += alpha * acc[i][j];
    }
}

const aiplat_sgemm_kernel_info aiplat_sgemm_kernel_generic = {
    .mr = GEN_MR, .nr = GEN_NR, .mc = GEN_MR * 32, .kc = 256, .nc = GEN_NR * 64, .kernel = ukernel_generic,
};

double aiplat_peak_probe_generic(int64_t iterations) {
    float acc[8] = {1, 1, 1, 1, 1, 1, 1, 1};
    for (int64_t it = 0; it < iterations; it++) {
        for (int l = 0; l < 8; l++) acc[l] = acc[l] * 0.999999f + 1e-7f;
    }
    volatile float sink = acc[0] + acc[7];
    (void)sink;
    return (double)iterations * 8.0 * 2.0;
}
