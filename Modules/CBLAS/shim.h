#ifndef AIPLAT_CBLAS_SHIM_H
#define AIPLAT_CBLAS_SHIM_H
// Debian's alternatives point libblas.so at OpenBLAS (pthread build); its cblas.h lives in the
// multiarch include directory. Only the standard CBLAS entry points are used from Swift, so the
// reference BLAS also links (slowly).
#include <cblas.h>
#endif
