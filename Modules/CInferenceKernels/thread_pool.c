// A persistent pool of worker threads for the multi-threaded kernels. Creating and joining a
// thread per call cost 30-60 us here, as much as a 256^3 SGEMM on two cores; pool workers
// instead wait for the next call, spinning briefly first (back-to-back GEMMs of one inference
// then start without a wake-up) and then sleeping on a condition variable.
//
// One call uses the pool at a time (a try-lock); a concurrent caller gets 0 back and runs its
// work another way, so two inference requests never wait on each other here.
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include "kernels_internal.h"

#define POOL_MAX_WORKERS 255
// ~50-100 us of `pause` before a worker sleeps.
#define POOL_SPINS 2000

typedef struct {
    pthread_mutex_t lock;
    pthread_cond_t wake; // workers: a new generation
    pthread_cond_t done; // caller: pending reached 0
    _Atomic unsigned generation;
    _Atomic int pending;
    int workers; // started so far
    // the current call: workers with index < active run fn(ctx, index)
    void (*fn)(void *ctx, int index);
    void *ctx;
    int active;
} worker_pool;

static worker_pool pool = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0, NULL, NULL, 0};
static pthread_mutex_t pool_owner = PTHREAD_MUTEX_INITIALIZER;

static inline void cpu_relax(void) {
#if defined(__x86_64__)
    __builtin_ia32_pause();
#endif
}

typedef struct {
    int index;         // 1-based: 0 is the caller
    unsigned generation; // the generation before the first call it serves
} worker_start;

static void *pool_worker(void *arg) {
    // The generation comes from the creator: reading it here could already see the increment
    // of the call that created this worker, which it would then never serve.
    const worker_start start = *(worker_start *)arg;
    free(arg);
    const int index = start.index;
    unsigned seen = start.generation;
    for (;;) {
        unsigned generation = seen;
        for (int spin = 0; spin < POOL_SPINS; spin++) {
            generation = atomic_load_explicit(&pool.generation, memory_order_acquire);
            if (generation != seen) break;
            cpu_relax();
        }
        if (generation == seen) {
            pthread_mutex_lock(&pool.lock);
            while ((generation = atomic_load_explicit(&pool.generation, memory_order_acquire)) == seen)
                pthread_cond_wait(&pool.wake, &pool.lock);
            pthread_mutex_unlock(&pool.lock);
        }
        seen = generation;
        if (index < pool.active) pool.fn(pool.ctx, index);
        if (atomic_fetch_sub_explicit(&pool.pending, 1, memory_order_acq_rel) == 1) {
            pthread_mutex_lock(&pool.lock);
            pthread_cond_signal(&pool.done);
            pthread_mutex_unlock(&pool.lock);
        }
    }
    return NULL;
}

int aiplat_pool_run(int count, void (*fn)(void *ctx, int index), void *ctx) {
    if (count <= 1) {
        if (count == 1) fn(ctx, 0);
        return 1;
    }
    if (count - 1 > POOL_MAX_WORKERS) return 0;
    if (pthread_mutex_trylock(&pool_owner) != 0) return 0;
    while (pool.workers < count - 1) {
        pthread_t thread;
        pthread_attr_t attributes;
        pthread_attr_init(&attributes);
        pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
        worker_start *start = malloc(sizeof(worker_start));
        if (!start) break;
        *start = (worker_start){pool.workers + 1, atomic_load_explicit(&pool.generation, memory_order_relaxed)};
        int failed = pthread_create(&thread, &attributes, pool_worker, start);
        pthread_attr_destroy(&attributes);
        if (failed) { free(start); break; }
        pool.workers++;
    }
    if (pool.workers < count - 1) {
        pthread_mutex_unlock(&pool_owner);
        return 0;
    }
    pool.fn = fn;
    pool.ctx = ctx;
    pool.active = count;
    // Every started worker answers every generation (those past `active` do nothing), so
    // `pending` needs no per-worker bookkeeping.
    atomic_store_explicit(&pool.pending, pool.workers, memory_order_relaxed);
    pthread_mutex_lock(&pool.lock);
    atomic_fetch_add_explicit(&pool.generation, 1, memory_order_release);
    pthread_cond_broadcast(&pool.wake);
    pthread_mutex_unlock(&pool.lock);

    fn(ctx, 0);

    int spin = 0;
    while (atomic_load_explicit(&pool.pending, memory_order_acquire) > 0 && spin++ < POOL_SPINS) cpu_relax();
    if (atomic_load_explicit(&pool.pending, memory_order_acquire) > 0) {
        pthread_mutex_lock(&pool.lock);
        while (atomic_load_explicit(&pool.pending, memory_order_acquire) > 0) pthread_cond_wait(&pool.done, &pool.lock);
        pthread_mutex_unlock(&pool.lock);
    }
    pthread_mutex_unlock(&pool_owner);
    return 1;
}
