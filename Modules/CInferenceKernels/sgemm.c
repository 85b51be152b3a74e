// Blocked SGEMM driver (Goto/BLIS loop order) shared by every micro-kernel. Threads own disjoint
// row ranges of C and pack their own panels: no locks, no shared writes. Threads come from the
// persistent pool (thread_pool.c); only when another call holds it are threads created per call.
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
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
    struct sgemm_shared *shared; // pool runs: one B panel packed by all threads together
    int index;                   // this job's thread among shared->threads
} sgemm_job;

// A pool run shares one packed B panel: each thread packs a slice of its NR-column panels, a
// barrier, then every thread multiplies its own rows with the whole panel, and a barrier before
// the next panel overwrites it. Packing B once instead of once per thread is what two threads on
// 256-512 matrices were losing (B is as large as each thread's share of A).
typedef struct sgemm_shared {
    float *bpack;
    int threads;
    _Atomic int arrived;
    _Atomic int phase;
} sgemm_shared;

// Sense-reversing barrier; every thread of a shared run reaches the same sequence of barriers.
static void sgemm_barrier(sgemm_shared *shared, int *sense) {
    *sense = !*sense;
    if (atomic_fetch_add_explicit(&shared->arrived, 1, memory_order_acq_rel) == shared->threads - 1) {
        atomic_store_explicit(&shared->arrived, 0, memory_order_relaxed);
        atomic_store_explicit(&shared->phase, *sense, memory_order_release);
    } else {
        for (int spin = 0; atomic_load_explicit(&shared->phase, memory_order_acquire) != *sense; spin++) {
            if (spin > 4000) sched_yield(); // more threads than free cores: let the others run
#if defined(__x86_64__)
            __builtin_ia32_pause();
#endif
        }
    }
}

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

// B block rows [p0, p0+kc) x cols [j0, j0+nc) -> NR-column panels, p-major, zero-padded; only
// the panels starting in [jr0, jr1) (multiples of NR), so threads can pack one panel together
static void pack_b(const sgemm_job *job, int64_t p0, int64_t kc, int64_t j0, int64_t nc, float *out, int64_t jr0, int64_t jr1) {
    const int nr = job->info->nr;
    for (int64_t jr = jr0; jr < nc && jr < jr1; jr += nr) {
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

// C rows [m0, m1) *= beta before the products are added (beta 0 clears them: NaNs in C are not
// propagated, as in BLAS).
static void scale_rows(float *c, int64_t ldc, int64_t m0, int64_t m1, int64_t n, float beta) {
    for (int64_t i = m0; i < m1; i++) {
        float *row = c + i * ldc;
        if (beta == 0.0f) memset(row, 0, (size_t)n * sizeof(float));
        else if (beta != 1.0f) for (int64_t j = 0; j < n; j++) row[j] *= beta;
    }
}

// The job's rows times one packed B panel (K block pc..pc+kc, columns jc..jc+nc): each mc block
// of A packed into `apack`, then the micro-kernel over the tiles.
static void multiply_panel(const sgemm_job *job, int64_t pc, int64_t kc, int64_t jc, int64_t nc, const float *bpack, float *apack) {
    const aiplat_sgemm_kernel_info *info = job->info;
    const int64_t mr = info->mr, nr = info->nr;
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

// The calling thread's shared-panel buffer for pool runs (separate from its packing buffers,
// which its own rows use at the same time).
static _Thread_local float *tls_shared = NULL;
static _Thread_local size_t tls_shared_floats = 0;

static float *shared_panel_buffer(size_t floats) {
    if (floats > tls_shared_floats) {
        free(tls_shared);
        tls_shared = aligned_alloc(64, ((floats * sizeof(float) + 63) / 64) * 64);
        tls_shared_floats = tls_shared ? floats : 0;
    }
    return tls_shared;
}

// sgemm_rows for a pool run with a shared B panel (see sgemm_shared). Threads without rows of
// their own still pack their slice and meet every barrier.
static void sgemm_rows_shared(sgemm_job *job) {
    const aiplat_sgemm_kernel_info *info = job->info;
    const int64_t mr = info->mr, nr = info->nr;
    sgemm_shared *shared = job->shared;
    int sense = 0;
    scale_rows(job->c, job->ldc, job->m0, job->m1, job->n, job->beta);
    if (job->k == 0 || job->alpha == 0.0f) return;
    const int64_t mrows = job->m1 - job->m0;
    int64_t kc_max = info->kc < job->k ? info->kc : job->k;
    int64_t mc_max = info->mc < mrows ? info->mc : mrows;
    size_t a_floats = (size_t)(((mc_max + mr - 1) / mr) * mr * kc_max);
    float *apack = mrows > 0 ? pack_buffers(a_floats, 1) : NULL;
    if (mrows > 0 && !apack) job->failed = 1; // still meets every barrier; the caller redoes these rows
    int first = 1;
    for (int64_t jc = 0; jc < job->n; jc += info->nc) {
        int64_t nc = job->n - jc < info->nc ? job->n - jc : info->nc;
        int64_t panels = (nc + nr - 1) / nr;
        int64_t p0 = panels * job->index / shared->threads, p1 = panels * (job->index + 1) / shared->threads;
        for (int64_t pc = 0; pc < job->k; pc += info->kc) {
            int64_t kc = job->k - pc < info->kc ? job->k - pc : info->kc;
            if (!first) sgemm_barrier(shared, &sense); // everyone is done with the previous panel
            first = 0;
            pack_b(job, pc, kc, jc, nc, shared->bpack, p0 * nr, p1 * nr);
            sgemm_barrier(shared, &sense); // the whole panel is packed
            if (apack) multiply_panel(job, pc, kc, jc, nc, shared->bpack, apack);
        }
    }
}

static void *sgemm_rows(void *arg) {
    sgemm_job *job = arg;
    const aiplat_sgemm_kernel_info *info = job->info;
    const int64_t mr = info->mr, nr = info->nr;
    const int64_t mrows = job->m1 - job->m0;
    sgemm_shared *shared = job->shared;
    if (shared) {
        sgemm_rows_shared(job);
        return NULL;
    }
    if (mrows <= 0) return NULL;

    scale_rows(job->c, job->ldc, job->m0, job->m1, job->n, job->beta);
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
            pack_b(job, pc, kc, jc, nc, bpack, 0, nc);
            multiply_panel(job, pc, kc, jc, nc, bpack, apack);
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

static void sgemm_pool_task(void *ctx, int index) {
    sgemm_job *jobs = ctx;
    jobs[index].reuse_buffers = 1; // pool threads live on: their packing buffers are kept too
    sgemm_rows(&jobs[index]);
}

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
#if defined(__x86_64__)
    // Small products skip packing (bit-identical, see aiplat_sgemm_small_avx512): few rows, sums
    // no longer than one K block, and B small enough to stay in L2 while every row block reads it.
    if (info == &aiplat_sgemm_kernel_avx512 && !trans_a && !trans_b && m <= 32 && k <= info->kc && k * n <= 65536) {
        scale_rows(c, ldc, 0, m, n, beta);
        if (k > 0 && alpha != 0.0f) aiplat_sgemm_small_avx512(m, n, k, alpha, a, lda, b, ldb, c, ldc);
        return;
    }
#endif
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
        jobs[t] = (sgemm_job){info, trans_a, trans_b, m0, m1, n, k, alpha, beta, a, b, lda, ldb, ldc, c, 0, t == 0, NULL, t};
        started[t] = 0;
    }
    if (threads > 1) {
        int64_t kc_max = info->kc < k ? info->kc : k, nc_max = info->nc < n ? info->nc : n;
        sgemm_shared shared = {shared_panel_buffer((size_t)(((nc_max + info->nr - 1) / info->nr) * info->nr * kc_max)), threads, 0, 0};
        if (shared.bpack) {
            for (int t = 0; t < threads; t++) { jobs[t].shared = &shared; jobs[t].index = t; }
            if (aiplat_pool_run(threads, sgemm_pool_task, jobs)) {
                for (int t = 0; t < threads; t++) if (jobs[t].failed) sgemm_fallback(&jobs[t]);
                return;
            }
            for (int t = 0; t < threads; t++) jobs[t].shared = NULL;
        }
    }
    for (int t = 1; t < threads; t++) started[t] = pthread_create(&tids[t], NULL, sgemm_rows, &jobs[t]) == 0;
    for (int t = 0; t < threads; t++) {
        if (t == 0 || !started[t]) sgemm_rows(&jobs[t]); // a thread that could not start runs inline
    }
    for (int t = 1; t < threads; t++) if (started[t]) pthread_join(tids[t], NULL);
    for (int t = 0; t < threads; t++) if (jobs[t].failed) sgemm_fallback(&jobs[t]);
}
