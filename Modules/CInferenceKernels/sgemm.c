// Blocked SGEMM driver (Goto/BLIS loop order) shared by every micro-kernel. Threads own disjoint
// row ranges of C and pack their own panels: no locks, no shared writes.
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "aiplat_kernels.h"
#include "kernels_internal.h"

typedef struct {
    const aiplat_sgemm_kernel_info *info;
    int trans_a, trans_b;
    int64_t m0, m1, n, k;
    float alpha, beta;
    const float *a, *b;
    int64_t lda, ldb, ldc;
    float *c;
    int failed;
    int reuse_buffers; // 1 on the calling thread (its buffers outlive the call), 0 on workers
} sgemm_job;

static inline float elem_a(const sgemm_job *job, int64_t i, int64_t p) {
    return job->trans_a ? job->a[p * job->lda + i] : job->a[i * job->lda + p];
}

// A block rows [i0, i0+mc) x cols [p0, p0+kc) -> MR-row panels, p-major, zero-padded
static void pack_a(const sgemm_job *job, int64_t i0, int64_t mc, int64_t p0, int64_t kc, float *out) {
    const int mr = job->info->mr;
    for (int64_t ir = 0; ir < mc; ir += mr) {
        float *panel = out + ir * kc;
        int rows = (int)(mc - ir < mr ? mc - ir : mr);
        if (job->trans_a) {
            for (int64_t p = 0; p < kc; p++) {
                const float *src = job->a + (p0 + p) * job->lda + i0 + ir;
                float *dst = panel + p * mr;
                int i = 0;
                for (; i < rows; i++) dst[i] = src[i];
                for (; i < mr; i++) dst[i] = 0.0f;
            }
        } else {
            for (int i = 0; i < mr; i++) {
                if (i < rows) {
                    const float *src = job->a + (i0 + ir + i) * job->lda + p0;
                    for (int64_t p = 0; p < kc; p++) panel[p * mr + i] = src[p];
                } else {
                    for (int64_t p = 0; p < kc; p++) panel[p * mr + i] = 0.0f;
                }
            }
        }
    }
}

// B block rows [p0, p0+kc) x cols [j0, j0+nc) -> NR-column panels, p-major, zero-padded
static void pack_b(const sgemm_job *job, int64_t p0, int64_t kc, int64_t j0, int64_t nc, float *out) {
    const int nr = job->info->nr;
    for (int64_t jr = 0; jr < nc; jr += nr) {
        float *panel = out + jr * kc;
        int cols = (int)(nc - jr < nr ? nc - jr : nr);
        for (int64_t p = 0; p < kc; p++) {
            float *dst = panel + p * nr;
            if (!job->trans_b) {
                const float *src = job->b + (p0 + p) * job->ldb + j0 + jr;
                memcpy(dst, src, (size_t)cols * sizeof(float));
            } else {
                const float *src = job->b + (j0 + jr) * job->ldb + p0 + p;
                for (int j = 0; j < cols; j++) dst[j] = src[j * job->ldb];
            }
            for (int j = cols; j < nr; j++) dst[j] = 0.0f;
        }
    }
    (void)elem_a;
}

// The calling thread's packing buffers, kept between calls: small GEMMs (a transformer at batch
// 1) would otherwise spend as long in malloc/free as in the kernel. Bounded by the largest
// (kc x nc + mc x kc) panel pair ever used on that thread; never shared, so no locks.
static _Thread_local float *tls_pack = NULL;
static _Thread_local size_t tls_pack_floats = 0;

static float *pack_buffers(size_t floats, int reuse) {
    if (!reuse) return aligned_alloc(64, ((floats * sizeof(float) + 63) / 64) * 64);
    if (floats > tls_pack_floats) {
        free(tls_pack);
        tls_pack = aligned_alloc(64, ((floats * sizeof(float) + 63) / 64) * 64);
        tls_pack_floats = tls_pack ? floats : 0;
    }
    return tls_pack;
}

static void *sgemm_rows(void *arg) {
    sgemm_job *job = arg;
    const aiplat_sgemm_kernel_info *info = job->info;
    const int64_t mr = info->mr, nr = info->nr;
    const int64_t mrows = job->m1 - job->m0;
    if (mrows <= 0) return NULL;

    for (int64_t i = job->m0; i < job->m1; i++) {
        float *row = job->c + i * job->ldc;
        if (job->beta == 0.0f) memset(row, 0, (size_t)job->n * sizeof(float)); // NaNs in C are not propagated, as in BLAS
        else if (job->beta != 1.0f) for (int64_t j = 0; j < job->n; j++) row[j] *= job->beta;
    }
    if (job->k == 0 || job->alpha == 0.0f) return NULL;

    int64_t kc_max = info->kc < job->k ? info->kc : job->k;
    int64_t nc_max = info->nc < job->n ? info->nc : job->n;
    int64_t mc_max = info->mc < mrows ? info->mc : mrows;
    size_t b_floats = (size_t)(((nc_max + nr - 1) / nr) * nr * kc_max);
    size_t a_floats = (size_t)(((mc_max + mr - 1) / mr) * mr * kc_max);
    // One allocation for both panels; the B panel size is a multiple of 16 floats (nr is), so
    // the A panel stays 64-byte aligned.
    size_t b_rounded = (b_floats + 15) / 16 * 16;
    float *bpack = pack_buffers(b_rounded + a_floats, job->reuse_buffers);
    if (!bpack) {
        job->failed = 1;
        return NULL;
    }
    float *apack = bpack + b_rounded;

    for (int64_t jc = 0; jc < job->n; jc += info->nc) {
        int64_t nc = job->n - jc < info->nc ? job->n - jc : info->nc;
        for (int64_t pc = 0; pc < job->k; pc += info->kc) {
            int64_t kc = job->k - pc < info->kc ? job->k - pc : info->kc;
            pack_b(job, pc, kc, jc, nc, bpack);
            for (int64_t ic = job->m0; ic < job->m1; ic += info->mc) {
                int64_t mc = job->m1 - ic < info->mc ? job->m1 - ic : info->mc;
                pack_a(job, ic, mc, pc, kc, apack);
                for (int64_t jr = 0; jr < nc; jr += nr) {
                    int cols = (int)(nc - jr < nr ? nc - jr : nr);
                    for (int64_t ir = 0; ir < mc; ir += mr) {
                        int rows = (int)(mc - ir < mr ? mc - ir : mr);
                        info->kernel(kc, apack + ir * kc, bpack + jr * kc,
                                     job->c + (ic + ir) * job->ldc + jc + jr, job->ldc, job->alpha, rows, cols);
                    }
                }
            }
        }
    }
    if (!job->reuse_buffers) free(bpack);
    return NULL;
}

// Reference loop used when the packing buffers cannot be allocated: slow, but never wrong.
static void sgemm_fallback(const sgemm_job *job) {
    for (int64_t i = job->m0; i < job->m1; i++) {
        for (int64_t j = 0; j < job->n; j++) {
            float acc = 0.0f;
            for (int64_t p = 0; p < job->k; p++) {
                float bv = job->trans_b ? job->b[j * job->ldb + p] : job->b[p * job->ldb + j];
                acc += elem_a(job, i, p) * bv;
            }
            job->c[i * job->ldc + j] += job->alpha * acc;
        }
    }
}

#define MAX_THREADS 256

void aiplat_sgemm(aiplat_isa isa, int trans_a, int trans_b, int64_t m, int64_t n, int64_t k,
                  float alpha, const float *a, int64_t lda, const float *b, int64_t ldb,
                  float beta, float *c, int64_t ldc, int threads) {
    if (m <= 0 || n <= 0) return;
    const aiplat_sgemm_kernel_info *info = NULL;
    switch (aiplat_isa_resolve(isa)) {
#if defined(__x86_64__)
    case AIPLAT_ISA_AVX512: info = &aiplat_sgemm_kernel_avx512; break;
    case AIPLAT_ISA_AVX2: info = &aiplat_sgemm_kernel_avx2; break;
#endif
    default: abort(); // generic: GenericKernels.sgemm in Swift
    }
    // rows per thread, rounded to whole micro-tiles; never more threads than tiles
    int64_t tiles = (m + info->mr - 1) / info->mr;
    if (threads < 1) threads = 1;
    if (threads > MAX_THREADS) threads = MAX_THREADS;
    if (threads > tiles) threads = (int)tiles;
    int64_t tiles_per_thread = (tiles + threads - 1) / threads;

    sgemm_job jobs[MAX_THREADS];
    pthread_t tids[MAX_THREADS];
    int started[MAX_THREADS];
    for (int t = 0; t < threads; t++) {
        int64_t m0 = t * tiles_per_thread * info->mr, m1 = m0 + tiles_per_thread * info->mr;
        if (m0 > m) m0 = m;
        if (m1 > m) m1 = m;
        jobs[t] = (sgemm_job){info, trans_a, trans_b, m0, m1, n, k, alpha, beta, a, b, lda, ldb, ldc, c, 0, t == 0};
        started[t] = 0;
    }
    for (int t = 1; t < threads; t++) started[t] = pthread_create(&tids[t], NULL, sgemm_rows, &jobs[t]) == 0;
    for (int t = 0; t < threads; t++) {
        if (t == 0 || !started[t]) sgemm_rows(&jobs[t]); // a thread that could not start runs inline
    }
    for (int t = 1; t < threads; t++) if (started[t]) pthread_join(tids[t], NULL);
    for (int t = 0; t < threads; t++) if (jobs[t].failed) sgemm_fallback(&jobs[t]);
}
