// The backward kernels of fused regions (see GradientKernels.h). As in
// VectorMath.c, the AVX2 and FMA paths are functions with a target attribute,
// chosen at run time, so the package itself builds for baseline x86-64.
#include "GradientKernels.h"

#if defined(__x86_64__)
#include <immintrin.h>
#define AVX2 __attribute__((target("avx2,fma")))

static int has_avx2_fma(void) {
    static int cached = -1;
    if (cached < 0) cached = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    return cached;
}

// y (+)= term(k) for the 4-wide body; returns how many elements it did. `TERM`
// is the __m256d term at k; `FUSED` adds it to `acc` (y's elements at k).
#define AVX2_WRITE(name, params, TERM, FUSED)                                  \
    AVX2 static long name##_avx2 params {                                     \
        long k = 0;                                                            \
        if (accumulate) {                                                      \
            for (; k + 4 <= n; k += 4) {                                       \
                __m256d acc = _mm256_loadu_pd(y + k);                          \
                _mm256_storeu_pd(y + k, FUSED);                                \
            }                                                                  \
        } else {                                                               \
            for (; k + 4 <= n; k += 4) _mm256_storeu_pd(y + k, TERM);          \
        }                                                                      \
        return k;                                                              \
    }

AVX2_WRITE(multiply, (double *y, const double *g, const double *d, long n, int accumulate),
           _mm256_mul_pd(_mm256_loadu_pd(g + k), _mm256_loadu_pd(d + k)),
           _mm256_fmadd_pd(_mm256_loadu_pd(g + k), _mm256_loadu_pd(d + k), acc))
AVX2_WRITE(scale, (double *y, const double *g, double s, long n, int accumulate),
           _mm256_mul_pd(_mm256_loadu_pd(g + k), _mm256_set1_pd(s)),
           _mm256_fmadd_pd(_mm256_loadu_pd(g + k), _mm256_set1_pd(s), acc))
AVX2_WRITE(shift, (double *y, const double *g, double s, long n, int accumulate),
           _mm256_add_pd(_mm256_loadu_pd(g + k), _mm256_set1_pd(s)),
           _mm256_add_pd(_mm256_add_pd(_mm256_loadu_pd(g + k), _mm256_set1_pd(s)), acc))
AVX2_WRITE(add, (double *y, const double *g, long n, int accumulate),
           _mm256_loadu_pd(g + k),
           _mm256_add_pd(_mm256_loadu_pd(g + k), acc))

// Σ over 16 partial sums: 4 vectors, element k in lane k mod 4 of vector (k / 4) mod 4.
// Returns the combined body sum and sets *done to the elements it covered.
#define AVX2_SUM(name, params, STEP)                                           \
    AVX2 static double name##_avx2 params {                                   \
        __m256d s0 = _mm256_setzero_pd(), s1 = s0, s2 = s0, s3 = s0;           \
        long k = 0;                                                            \
        for (; k + 16 <= n; k += 16) {                                         \
            s0 = STEP(s0, k);                                                  \
            s1 = STEP(s1, k + 4);                                              \
            s2 = STEP(s2, k + 8);                                              \
            s3 = STEP(s3, k + 12);                                             \
        }                                                                      \
        *done = k;                                                             \
        __m256d s = _mm256_add_pd(_mm256_add_pd(s0, s1), _mm256_add_pd(s2, s3)); \
        double lanes[4];                                                       \
        _mm256_storeu_pd(lanes, s);                                            \
        return (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);                  \
    }

#define SUM_STEP(acc, at) _mm256_add_pd(acc, _mm256_loadu_pd(x + (at)))
#define DOT_STEP(acc, at) _mm256_fmadd_pd(_mm256_loadu_pd(x + (at)), _mm256_loadu_pd(y + (at)), acc)
AVX2_SUM(sum, (const double *x, long n, long *done), SUM_STEP)
AVX2_SUM(dot, (const double *x, const double *y, long n, long *done), DOT_STEP)
#define HAS_FAST has_avx2_fma()
#else
#define HAS_FAST 0
static long multiply_avx2(double *y, const double *g, const double *d, long n, int a) { return 0; }
static long scale_avx2(double *y, const double *g, double s, long n, int a) { return 0; }
static long shift_avx2(double *y, const double *g, double s, long n, int a) { return 0; }
static long add_avx2(double *y, const double *g, long n, int a) { return 0; }
static double sum_avx2(const double *x, long n, long *done) { *done = 0; return 0; }
static double dot_avx2(const double *x, const double *y, long n, long *done) { *done = 0; return 0; }
#endif

void vm_multiply_into(double *y, const double *g, const double *d, long n, int accumulate) {
    long k = HAS_FAST ? multiply_avx2(y, g, d, n, accumulate) : 0;
    if (accumulate) {
        for (; k < n; k++) y[k] += g[k] * d[k];
    } else {
        for (; k < n; k++) y[k] = g[k] * d[k];
    }
}

void vm_scale_into(double *y, const double *g, double s, long n, int accumulate) {
    long k = HAS_FAST ? scale_avx2(y, g, s, n, accumulate) : 0;
    if (accumulate) {
        for (; k < n; k++) y[k] += g[k] * s;
    } else {
        for (; k < n; k++) y[k] = g[k] * s;
    }
}

void vm_shift_into(double *y, const double *x, double s, long n) {
    long k = HAS_FAST ? shift_avx2(y, x, s, n, 0) : 0;
    for (; k < n; k++) y[k] = x[k] + s;
}

void vm_add_into(double *y, const double *g, long n, int accumulate) {
    long k = HAS_FAST ? add_avx2(y, g, n, accumulate) : 0;
    if (accumulate) {
        for (; k < n; k++) y[k] += g[k];
    } else {
        for (; k < n; k++) y[k] = g[k];
    }
}

// Without AVX2: the same 16 partial sums in plain C, then the tail in order.
double vm_sum(const double *x, long n) {
    long k = 0;
    double body;
    if (HAS_FAST) {
        body = sum_avx2(x, n, &k);
    } else {
        double s[16] = {0};
        for (; k + 16 <= n; k += 16)
            for (int j = 0; j < 16; j++) s[j] += x[k + j];
        body = 0;
        for (int j = 0; j < 16; j++) body += s[j];
    }
    for (; k < n; k++) body += x[k];
    return body;
}

double vm_dot(const double *x, const double *y, long n) {
    long k = 0;
    double body;
    if (HAS_FAST) {
        body = dot_avx2(x, y, n, &k);
    } else {
        double s[16] = {0};
        for (; k + 16 <= n; k += 16)
            for (int j = 0; j < 16; j++) s[j] += x[k + j] * y[k + j];
        body = 0;
        for (int j = 0; j < 16; j++) body += s[j];
    }
    for (; k < n; k++) body += x[k] * y[k];
    return body;
}
