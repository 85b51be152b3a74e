// The peak probe for CPUs without AVX2 (the portable kernels themselves are Swift SIMD:
// InferenceEngine's GenericKernels).
#pragma STDC FP_CONTRACT OFF
#include "aiplat_kernels.h"
#include "kernels_internal.h"

double aiplat_peak_probe_generic(int64_t iterations) {
    float acc[8] = {1, 1, 1, 1, 1, 1, 1, 1};
    for (int64_t it = 0; it < iterations; it++) {
        for (int l = 0; l < 8; l++) acc[l] = acc[l] * 0.999999f + 1e-7f;
    }
    volatile float sink = acc[0] + acc[7];
    (void)sink;
    return (double)iterations * 8.0 * 2.0;
}
