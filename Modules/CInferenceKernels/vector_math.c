// Vectorised exp and GELU over f32 arrays. Each element goes through the same sequence of IEEE
// single-precision operations (no FMA contraction: -ffp-contract=off; rint in the default
// rounding mode), so the AVX-512, AVX2 and portable loops give bit-identical results on every
// x86-64 machine, unlike libm's scalar expf/erff, which differ between glibc versions.
//
// Coefficients: least-squares fits on Chebyshev nodes, made and checked in float32 arithmetic by
// scripts/onnx/fit_vector_math.py (exp: 1.02 ulp; erf below 0.921875: 2.5 ulp; erfc from 0.921875
// to 4 through exp(Q(a)): 3e-6 relative; above 4 the asymptotic series
// exp(-a^2)/(a sqrt(pi)) (1 - 1/2a^2 + 3/4a^4 - 15/8a^6), 1e-4 relative at 4 and better beyond).
#include <math.h>
#include <stdint.h>
#include <string.h>
#include "aiplat_kernels.h"

#define INLINE static inline __attribute__((always_inline))

INLINE float bits_to_float(int32_t bits) {
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

// e^x: x = n ln2 + r with |r| <= ln2/2 (Cody-Waite split of ln2), e^r = 1 + r + r^2 P(r), times 2^n
// built in the exponent bits. Below -87.34: 0 (also -inf); above 88.38: +inf; NaN stays NaN.
INLINE float exp_f32(float x) {
    const float hi = 88.3762626647949f, lo = -87.3365447505531f;
    float c = x > hi ? hi : x;
    c = c < lo ? lo : c;
    float n = rintf(c * 1.44269504088896341f);
    float r = c - n * 0.693359375f;
    r = r - n * -2.12194440e-4f;
    float p = 1.389383106e-03f;
    p = p * r + 8.363125846e-03f;
    p = p * r + 4.166694358e-02f;
    p = p * r + 1.666657776e-01f;
    p = p * r + 5.000000000e-01f;
    float e = (r * r) * p + r;
    e = e + 1.0f;
    float result = e * bits_to_float(((int32_t)n + 127) << 23);
    result = x > hi ? INFINITY : result;
    result = x < lo ? 0.0f : result;
    return x != x ? x : result;
}

// erfc(a) for a >= 0 (NaN stays NaN).
INLINE float erfc_nonnegative_f32(float a) {
    float s = a * a;
    float p = 8.411063754e-05f;
    p = p * s + -8.153790841e-04f;
    p = p * s + 5.202176981e-03f;
    p = p * s + -2.685995772e-02f;
    p = p * s + 1.128370836e-01f;
    p = p * s + -3.761263490e-01f;
    p = p * s + 1.128379226e+00f;
    float small = 1.0f - a * p;
    float t = a < 0.921875f ? 0.921875f : a;
    t = t > 4.0f ? 4.0f : t;
    float q = 1.618102942e-06f;
    q = q * t + -4.567163705e-05f;
    q = q * t + 5.934598157e-04f;
    q = q * t + -4.743478261e-03f;
    q = q * t + 2.637398988e-02f;
    q = q * t + -1.099945232e-01f;
    q = q * t + -6.319199204e-01f;
    q = q * t + -1.130176544e+00f;
    q = q * t + 3.056126006e-04f;
    float middle = exp_f32(q);
    float u = 1.0f / s;
    float series = 1.0f + u * (-0.5f + u * (0.75f + u * -1.875f));
    float tail = exp_f32(-s) * (0.564189583547756f / a) * series;
    float result = a > 4.0f ? tail : middle;
    result = a < 0.921875f ? small : result;
    return a != a ? a : result;
}

// 0.5 x (1 + erf(x / sqrt 2)) = x (1 - erfc(z)/2) for x >= 0, x erfc(|z|)/2 below (no cancellation).
INLINE float gelu_f32(float x) {
    float z = fabsf(x) * 0.707106781186547524f;
    float e = erfc_nonnegative_f32(z);
    return x * (x >= 0.0f ? 1.0f - 0.5f * e : 0.5f * e);
}

#define LOOPS(suffix, attribute)                                                     \
    attribute void aiplat_vec_exp_f32_##suffix(int64_t n, float *x) {              \
        for (int64_t i = 0; i < n; i++) x[i] = exp_f32(x[i]);                        \
    }                                                                                \
    attribute void aiplat_vec_gelu_f32_##suffix(int64_t n, float *x) {             \
        for (int64_t i = 0; i < n; i++) x[i] = gelu_f32(x[i]);                       \
    }

LOOPS(portable, )
#if defined(__x86_64__)
LOOPS(avx2, __attribute__((target("avx2,fma"))))
LOOPS(avx512, __attribute__((target("avx512f"))))
#endif

// The entry points pick a variant per call (the ISA check is cached).
#if defined(__x86_64__)
#define DISPATCH(name)                                                               \
    void aiplat_vec_##name##_f32(aiplat_isa isa, int64_t n, float *x) {             \
        switch (aiplat_isa_resolve(isa)) {                                           \
        case AIPLAT_ISA_AVX512: aiplat_vec_##name##_f32_avx512(n, x); return;        \
        case AIPLAT_ISA_AVX2: aiplat_vec_##name##_f32_avx2(n, x); return;            \
        default: aiplat_vec_##name##_f32_portable(n, x); return;                     \
        }                                                                            \
    }
#else
#define DISPATCH(name)                                                               \
    void aiplat_vec_##name##_f32(aiplat_isa isa, int64_t n, float *x) {             \
        (void)isa;                                                                   \
        aiplat_vec_##name##_f32_portable(n, x);                                      \
    }
#endif

DISPATCH(exp)
DISPATCH(gelu)
