#ifndef C_VECTOR_MATH_H
#define C_VECTOR_MATH_H

/// Elementwise transcendental functions over arrays, y[k] = f(x[k]) for
/// k < n, on SLEEF (libsleef): 4 doubles at a time with AVX2 and FMA when the
/// CPU has them (chosen at run time), else SLEEF's 2-wide dispatcher.
/// Accuracy: SLEEF's u10 variants, within 1.0 ULP. x and y may be the same array.
void vm_exp(const double *x, double *y, long n);
void vm_log(const double *x, double *y, long n);
void vm_tanh(const double *x, double *y, long n);
/// 1 / (1 + exp(-x)), computed from exp(-|x|) so it neither overflows nor loses
/// the small tail.
void vm_sigmoid(const double *x, double *y, long n);
/// log(1 + exp(x)) = max(x, 0) + log1p(exp(-|x|)).
void vm_softplus(const double *x, double *y, long n);

/// The backward kernels of fused regions.
#include "GradientKernels.h"

#endif
