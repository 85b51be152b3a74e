// SGEMM throughput of our kernels (the exact C sources InferenceEngine links, same flags) and of
// the system CBLAS, then the integer GEMMs of the quantized operators (u8 x s8 -> s32: the VNNI
// kernel with B packed once, as at plan time, and the int16 path). Used by scripts/bench-engine;
// prints one TSV line per measurement:
//   impl  threads  n  gflops (integer rows: GOP/s, 2 ops per multiply-add)
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cblas.h>
#include "aiplat_kernels.h"
#include "aiplat_qgemm.h"

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

typedef void (*set_threads_fn)(int);

static double best_gflops(int impl, int n, int threads, float *a, float *b, float *c) {
    double flops = 2.0 * n * n * n, best = 0;
    double deadline = now() + (n >= 2048 ? 3.0 : 1.0);
    for (int rep = 0; rep < 20 && (rep < 2 || now() < deadline); rep++) {
        double t0 = now();
        if (impl < 0)
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f, a, n, b, n, 0.0f, c, n);
        else
            aiplat_sgemm((aiplat_isa)impl, 0, 0, n, n, n, 1.0f, a, n, b, n, 0.0f, c, n, threads);
        double g = flops / (now() - t0) / 1e9;
        if (rep > 0 && g > best) best = g; // rep 0 warms caches and page tables
        a[rep % n] += c[rep % n] * 1e-30f; // each run depends on the last one
    }
    return best;
}

int main(int argc, char **argv) {
    set_threads_fn set_threads = (set_threads_fn)dlsym(RTLD_DEFAULT, "openblas_set_num_threads");
    typedef char *(*corename_fn)(void);
    corename_fn corename = (corename_fn)dlsym(RTLD_DEFAULT, "openblas_get_corename");
    printf("cblas-core\t%s\n", corename ? corename() : "not OpenBLAS");
    int cblas_only = argc > 1 && strcmp(argv[1], "--cblas-only") == 0;
    // best of several probes: the machine is shared, a single one may be preempted
    double peak = 0;
    for (int i = 0; i < 60 && !cblas_only; i++) {
        double t0 = now();
        double flops = aiplat_peak_probe(aiplat_isa_best(), 3000000);
        double g = flops / (now() - t0) / 1e9;
        if (g > peak) peak = g;
    }
    if (!cblas_only) printf("peak\t1\t0\t%.1f\n", peak);
    const char *names[] = {"generic", "avx2", "avx512"};
    printf("isa\t%s\n", names[aiplat_isa_best()]);
    int sizes[] = {256, 512, 1024, 2048};
    for (int s = 0; s < 4; s++) {
        int n = sizes[s];
        float *a = aligned_alloc(64, sizeof(float) * n * n), *b = aligned_alloc(64, sizeof(float) * n * n),
              *c = aligned_alloc(64, sizeof(float) * n * n);
        for (long i = 0; i < (long)n * n; i++) { a[i] = (float)(i % 17) * 0.01f; b[i] = (float)(i % 13) * 0.01f; }
        memset(c, 0, sizeof(float) * n * n);
        for (int threads = 1; threads <= 2; threads++) {
            if (cblas_only) {
                if (set_threads) set_threads(threads);
                printf("%s\t%d\t%d\t%.1f\n", argv[2], threads, n, best_gflops(-1, n, threads, a, b, c));
                fflush(stdout);
                continue;
            }
            printf("ours-%s\t%d\t%d\t%.1f\n", names[aiplat_isa_best()], threads, n, best_gflops(aiplat_isa_best(), n, threads, a, b, c));
            if (aiplat_isa_best() == AIPLAT_ISA_AVX512)
                printf("ours-avx2\t%d\t%d\t%.1f\n", threads, n, best_gflops(AIPLAT_ISA_AVX2, n, threads, a, b, c));
            // The portable generic kernel is Swift (GenericKernels), measured by the package benchmarks.
            if (set_threads) {
                set_threads(threads);
                printf("cblas\t%d\t%d\t%.1f\n", threads, n, best_gflops(-1, n, threads, a, b, c));
            } else if (threads == 1) {
                printf("cblas\t0\t%d\t%.1f\n", n, best_gflops(-1, n, threads, a, b, c));
            }
            fflush(stdout);
        }
        free(a); free(b); free(c);
    }
    if (cblas_only) return 0;
    int isizes[] = {256, 512, 1024};
    for (int s = 0; s < 3; s++) {
        int n = isizes[s];
        uint8_t *a = aligned_alloc(64, (size_t)n * n);
        int8_t *b = aligned_alloc(64, (size_t)n * n);
        int32_t *c = aligned_alloc(64, sizeof(int32_t) * n * n), *colsum = malloc(sizeof(int32_t) * n), *bzero = calloc(n, sizeof(int32_t));
        int16_t *a16 = aligned_alloc(64, sizeof(int16_t) * n * n), *bt16 = aligned_alloc(64, sizeof(int16_t) * n * n);
        for (long i = 0; i < (long)n * n; i++) { a[i] = (uint8_t)(i * 7 % 251); b[i] = (int8_t)(i * 13 % 255 - 127); }
        for (long i = 0; i < n; i++)
            for (long j = 0; j < n; j++) { a16[i * n + j] = (int16_t)a[i * n + j] - 128; bt16[j * n + i] = b[i * n + j]; }
        double ops = 2.0 * n * n * n;
        if (aiplat_gemm_u8s8_supported()) {
            int8_t *packed = aligned_alloc(64, (size_t)((aiplat_gemm_u8s8_packed_size(n, n) + 63) / 64 * 64));
            aiplat_gemm_u8s8_pack(n, n, b, n, packed, colsum);
            double best = 0, deadline = now() + 1.0;
            for (int rep = 0; rep < 20 && (rep < 2 || now() < deadline); rep++) {
                double t0 = now();
                aiplat_gemm_u8s8s32_vnni(n, n, n, a, n, 128, packed, colsum, bzero, c, n);
                double g = ops / (now() - t0) / 1e9;
                if (rep > 0 && g > best) best = g;
            }
            printf("int8-vnni\t1\t%d\t%.1f\n", n, best);
            free(packed);
        }
        double best = 0, deadline = now() + 1.0;
        for (int rep = 0; rep < 20 && (rep < 2 || now() < deadline); rep++) {
            double t0 = now();
            aiplat_gemm_s16s32(aiplat_isa_best(), n, n, n, a16, n, bt16, n, c, n);
            double g = ops / (now() - t0) / 1e9;
            if (rep > 0 && g > best) best = g;
        }
        printf("int16\t1\t%d\t%.1f\n", n, best);
        fflush(stdout);
        free(a); free(b); free(c); free(colsum); free(bzero); free(a16); free(bt16);
    }
    return 0;
}
