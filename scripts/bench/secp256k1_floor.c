/*
 * The floor for sign/recover: libsecp256k1 called directly, doing the same work per operation as
 * EthereumKit's PrivateKey.sign(digest:) and Signature.recoverPublicKey(digest:):
 *   sign    = secp256k1_ecdsa_sign_recoverable (RFC 6979 nonce) + serialize_compact (r || s, v)
 *   recover = parse_compact + secp256k1_ecdsa_recover + serialize the 65-byte uncompressed key
 * Each sign signs the previous signature's r, and each recover picks its input from the previous
 * result, so no call can be skipped or hoisted (the Swift and Python workloads chain the same way).
 *
 * Built at bench time by scripts/bench-ethereumkit: cc -O2 secp256k1_floor.c -lsecp256k1
 * Usage: secp256k1_floor [seconds-per-metric] [sign] [recover]   (no names: both)
 * Prints one JSON object per line (see scripts/bench/README.md): "rates" are the samples' operations
 * per CPU-second of this thread, "wall_rates" per wall-clock second, "value"/"wall_value" their medians.
 */
#include <secp256k1.h>
#include <secp256k1_recovery.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PAIRS 256        /* distinct (digest, signature) inputs for recover */
#define BATCH 200        /* operations per timed sample */
#define MAX_SAMPLES 100000

static double seconds_of(clockid_t clock) {
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int compare_doubles(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *values, int count) {
    qsort(values, (size_t)count, sizeof(double), compare_doubles);
    return count % 2 ? values[count / 2] : 0.5 * (values[count / 2 - 1] + values[count / 2]);
}

/* Deterministic bytes, the same ones the Swift and Python workloads use. */
static void fill_pattern(unsigned char *out, size_t length, unsigned char seed) {
    for (size_t i = 0; i < length; i++) out[i] = (unsigned char)(seed + 31 * i + 7);
}

typedef struct {
    secp256k1_context *ctx;
    unsigned char seckey[32];
    unsigned char digest[32];           /* sign: the next digest to sign */
    unsigned char digests[PAIRS][32];   /* recover inputs */
    unsigned char sigs[PAIRS][65];
    size_t index;                       /* recover: the next pair */
} state_t;

static int sign_once(state_t *s, const unsigned char digest[32], unsigned char out[65]) {
    secp256k1_ecdsa_recoverable_signature sig;
    int recid = 0;
    if (!secp256k1_ecdsa_sign_recoverable(s->ctx, &sig, digest, s->seckey, NULL, NULL)) return 0;
    secp256k1_ecdsa_recoverable_signature_serialize_compact(s->ctx, out, &recid, &sig);
    out[64] = (unsigned char)recid;
    return 1;
}

/* noinline: scripts/bench/instructions.py counts instructions inside these two with callgrind. */
__attribute__((noinline)) static int sign_step(state_t *s) {
    unsigned char sig[65];
    if (!sign_once(s, s->digest, sig)) return 0;
    memcpy(s->digest, sig, 32);
    return 1;
}

__attribute__((noinline)) static int recover_step(state_t *s) {
    secp256k1_ecdsa_recoverable_signature sig;
    secp256k1_pubkey pub;
    unsigned char out[65];
    size_t length = sizeof out;
    const unsigned char *input = s->sigs[s->index];
    if (!secp256k1_ecdsa_recoverable_signature_parse_compact(s->ctx, &sig, input, input[64])) return 0;
    if (!secp256k1_ecdsa_recover(s->ctx, &pub, &sig, s->digests[s->index])) return 0;
    secp256k1_ec_pubkey_serialize(s->ctx, out, &length, &pub, SECP256K1_EC_UNCOMPRESSED);
    s->index = (s->index + 1 + (out[1] & 1)) % PAIRS;
    return 1;
}

static void print_rates(const char *name, const double *rates, int count) {
    printf(", \"%s\": [", name);
    for (int i = 0; i < count; i++) printf(i ? ", %.1f" : "%.1f", rates[i]);
    printf("]");
}

static int measure(const char *metric, int (*step)(state_t *), state_t *s, double seconds) {
    static double cpu_rates[MAX_SAMPLES], wall_rates[MAX_SAMPLES];
    for (int i = 0; i < BATCH; i++) if (!step(s)) return 0;  /* warm-up */
    int samples = 0;
    double end = seconds_of(CLOCK_MONOTONIC) + seconds;
    while (samples < MAX_SAMPLES && (samples < 5 || seconds_of(CLOCK_MONOTONIC) < end)) {
        double wall0 = seconds_of(CLOCK_MONOTONIC), cpu0 = seconds_of(CLOCK_THREAD_CPUTIME_ID);
        for (int i = 0; i < BATCH; i++) if (!step(s)) return 0;
        double cpu1 = seconds_of(CLOCK_THREAD_CPUTIME_ID), wall1 = seconds_of(CLOCK_MONOTONIC);
        cpu_rates[samples] = BATCH / (cpu1 - cpu0);
        wall_rates[samples] = BATCH / (wall1 - wall0);
        samples++;
    }
    printf("{\"metric\": \"%s\", \"impl\": \"libsecp256k1 C\", \"unit\": \"op/s\", \"samples\": %d",
           metric, samples);
    print_rates("rates", cpu_rates, samples);
    print_rates("wall_rates", wall_rates, samples);
    printf(", \"value\": %.1f, \"wall_value\": %.1f}\n", median(cpu_rates, samples), median(wall_rates, samples));
    fflush(stdout);
    return 1;
}

static int selected(int argc, char **argv, int first_name, const char *metric) {
    if (first_name >= argc) return 1;
    for (int i = first_name; i < argc; i++) if (strcmp(argv[i], metric) == 0) return 1;
    return 0;
}

int main(int argc, char **argv) {
    double seconds = 2.0;
    int first_name = 1;
    if (argc > 1 && strspn(argv[1], "0123456789.") == strlen(argv[1])) {
        seconds = atof(argv[1]);
        first_name = 2;
    }
    if (seconds <= 0) seconds = 2.0;
    for (int i = first_name; i < argc; i++) {
        if (strcmp(argv[i], "sign") != 0 && strcmp(argv[i], "recover") != 0) {
            fprintf(stderr, "secp256k1_floor: unknown metric \"%s\" (known: sign, recover)\n", argv[i]);
            return 2;
        }
    }

    static state_t s;
    s.ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
    unsigned char seed[32];
    fill_pattern(seed, 32, 0x5a);
    fill_pattern(s.seckey, 32, 0x01);
    if (!secp256k1_context_randomize(s.ctx, seed) || !secp256k1_ec_seckey_verify(s.ctx, s.seckey)) {
        fprintf(stderr, "secp256k1_floor: context set-up failed\n");
        return 1;
    }

    fill_pattern(s.digest, 32, 0x11);
    unsigned char digest[32];
    fill_pattern(digest, 32, 0x22);
    for (int i = 0; i < PAIRS; i++) {
        memcpy(s.digests[i], digest, 32);
        if (!sign_once(&s, s.digests[i], s.sigs[i])) return 1;
        memcpy(digest, s.sigs[i], 32);
    }

    int ok = (!selected(argc, argv, first_name, "sign") || measure("sign", sign_step, &s, seconds)) &&
             (!selected(argc, argv, first_name, "recover") || measure("recover", recover_step, &s, seconds));
    secp256k1_context_destroy(s.ctx);
    if (!ok) fprintf(stderr, "secp256k1_floor: a libsecp256k1 call failed\n");
    return ok ? 0 : 1;
}
