// SLEEF's 4-wide AVX2 functions are declared in <sleef.h> only when the
// including file is compiled with -mavx. The package builds for baseline
// x86-64 (no unsafe flags), so the AVX2 paths are separate functions with a
// target attribute, declared here with the same attribute, and chosen at run
// time with __builtin_cpu_supports.
#include <math.h>
#include <sleef.h>
#include "CVectorMath.h"

#if defined(__x86_64__)
#include <immintrin.h>
#define AVX2 __attribute__((target("avx2,fma")))

AVX2 __m256d Sleef_expd4_u10avx2(__m256d);
AVX2 __m256d Sleef_logd4_u10avx2(__m256d);
AVX2 __m256d Sleef_tanhd4_u10avx2(__m256d);
AVX2 __m256d Sleef_log1pd4_u10avx2(__m256d);

static int has_avx2(void) {
    static int cached = -1;
    if (cached < 0) cached = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    return cached;
}

// One AVX2 loop per function; `BODY` maps the __m256d `v` to the result.
#define AVX2_LOOP(name, BODY)                                              \
    AVX2 static long name##_avx2(const double *x, double *y, long n) {    \
        long k = 0;                                                        \
        for (; k + 4 <= n; k += 4) {                                       \
            __m256d v = _mm256_loadu_pd(x + k);                            \
            _mm256_storeu_pd(y + k, BODY);                                 \
        }                                                                  \
        return k;                                                          \
    }

AVX2_LOOP(exp, Sleef_expd4_u10avx2(v))
AVX2_LOOP(log, Sleef_logd4_u10avx2(v))
AVX2_LOOP(tanh, Sleef_tanhd4_u10avx2(v))

// Where the CPU has AVX-512F, SLEEF's 8-wide functions of the same accuracy
// (1.0 ULP) take the place of the 4-wide ones for exp, log and tanh: the same
// algorithm on twice the lanes. The AVX2 loop then only sees the tail.
#define AVX512 __attribute__((target("avx512f")))
AVX512 __m512d Sleef_expd8_u10avx512f(__m512d);
AVX512 __m512d Sleef_logd8_u10avx512f(__m512d);
AVX512 __m512d Sleef_tanhd8_u10avx512f(__m512d);

static int has_avx512(void) {
    static int cached = -1;
    if (cached < 0) cached = __builtin_cpu_supports("avx512f");
    return cached;
}

#define AVX512_LOOP(name, FUNCTION)                                        \
    AVX512 static long name##_avx512(const double *x, double *y, long n) { \
        long k = 0;                                                        \
        for (; k + 8 <= n; k += 8)                                         \
            _mm512_storeu_pd(y + k, FUNCTION(_mm512_loadu_pd(x + k)));     \
        return k;                                                          \
    }

AVX512_LOOP(exp, Sleef_expd8_u10avx512f)
AVX512_LOOP(log, Sleef_logd8_u10avx512f)
AVX512_LOOP(tanh, Sleef_tanhd8_u10avx512f)

AVX2 static inline __m256d abs4(__m256d v) { return _mm256_andnot_pd(_mm256_set1_pd(-0.0), v); }

AVX2 static inline __m256d sigmoid4(__m256d v) {
    __m256d e = Sleef_expd4_u10avx2(_mm256_sub_pd(_mm256_setzero_pd(), abs4(v)));  // exp(-|x|)
    __m256d one = _mm256_set1_pd(1.0), denominator = _mm256_add_pd(one, e);
    __m256d positive = _mm256_div_pd(one, denominator), negative = _mm256_div_pd(e, denominator);
    return _mm256_blendv_pd(negative, positive, _mm256_cmp_pd(v, _mm256_setzero_pd(), _CMP_GE_OQ));
}
AVX2_LOOP(sigmoid, sigmoid4(v))

AVX2 static inline __m256d softplus4(__m256d v) {
    __m256d e = Sleef_expd4_u10avx2(_mm256_sub_pd(_mm256_setzero_pd(), abs4(v)));
    return _mm256_add_pd(_mm256_max_pd(v, _mm256_setzero_pd()), Sleef_log1pd4_u10avx2(e));
}
AVX2_LOOP(softplus, softplus4(v))
#define DISPATCH(name) (has_avx2() ? name##_avx2(x, y, n) : 0)
// 8 lanes where AVX-512F is there, then 4 for the tail.
#define DISPATCH_WIDE(name)                                                \
    (has_avx512() && has_avx2() ? wide_then_avx2(name##_avx512, name##_avx2, x, y, n) : DISPATCH(name))
static inline long wide_then_avx2(long (*wide)(const double *, double *, long),
                                  long (*narrow)(const double *, double *, long), const double *x, double *y,
                                  long n) {
    long k = wide(x, y, n);
    return k + narrow(x + k, y + k, n - k);
}
#define PAIRS(PAIR) for (; k + 2 <= n; k += 2) _mm_storeu_pd(y + k, PAIR(_mm_loadu_pd(x + k)));
#else
#define DISPATCH(name) 0
#define DISPATCH_WIDE(name) 0
#define PAIRS(PAIR)
#endif

static double sigmoid1(double v) {
    double e = exp(-fabs(v));
    return v >= 0 ? 1 / (1 + e) : e / (1 + e);
}
static double softplus1(double v) { return fmax(v, 0) + log1p(exp(-fabs(v))); }

// The vector loop first, then the tail (or everything, without AVX2) with SLEEF's
// 2-wide dispatcher, then a scalar remainder with libm.
#define ARRAY_FUNCTION_WITH(name, FIRST, PAIR, SCALAR)                    \
    void vm_##name(const double *x, double *y, long n) {                   \
        long k = FIRST(name);                                              \
        PAIRS(PAIR)                                                        \
        for (; k < n; k++) y[k] = SCALAR(x[k]);                            \
    }
#define ARRAY_FUNCTION(name, PAIR, SCALAR) ARRAY_FUNCTION_WITH(name, DISPATCH, PAIR, SCALAR)
#define WIDE_ARRAY_FUNCTION(name, PAIR, SCALAR) ARRAY_FUNCTION_WITH(name, DISPATCH_WIDE, PAIR, SCALAR)

#if defined(__x86_64__)
static __m128d sigmoid2(__m128d v) {
    double lanes[2];
    _mm_storeu_pd(lanes, v);
    return _mm_set_pd(sigmoid1(lanes[1]), sigmoid1(lanes[0]));
}
static __m128d softplus2(__m128d v) {
    double lanes[2];
    _mm_storeu_pd(lanes, v);
    return _mm_set_pd(softplus1(lanes[1]), softplus1(lanes[0]));
}
#endif

WIDE_ARRAY_FUNCTION(exp, Sleef_expd2_u10, exp)
WIDE_ARRAY_FUNCTION(log, Sleef_logd2_u10, log)
WIDE_ARRAY_FUNCTION(tanh, Sleef_tanhd2_u10, tanh)
ARRAY_FUNCTION(sigmoid, sigmoid2, sigmoid1)
ARRAY_FUNCTION(softplus, softplus2, softplus1)
