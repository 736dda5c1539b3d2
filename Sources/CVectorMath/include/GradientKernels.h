#ifndef C_GRADIENT_KERNELS_H
#define C_GRADIENT_KERNELS_H

/// The array kernels of a fused region's backward pass, over one chunk
/// (n elements): y = g·d or y += g·d (one fused multiply-add per element where
/// the CPU has FMA), the same with a scalar s, y = g or y += g, and the sums
/// Σ x and Σ x·y that give a scalar operand its gradient.
///
/// With AVX2 and FMA (chosen at run time) the loops run 4 doubles at a time;
/// the sums keep 16 partial sums (4 vectors of 4 lanes) added in a fixed
/// order at the end, so the result depends only on the data and n, not on
/// the run or the thread. Without AVX2, plain loops (16 partial sums as well).
/// `accumulate` is 0 (write) or 1 (add). y may be the same array as g (in place).
void vm_multiply_into(double *y, const double *g, const double *d, long n, int accumulate);
void vm_scale_into(double *y, const double *g, double s, long n, int accumulate);
void vm_add_into(double *y, const double *g, long n, int accumulate);
/// y = x + s (the forward kernel of adding a scalar; multiplying by one is vm_scale_into).
void vm_shift_into(double *y, const double *x, double s, long n);
double vm_sum(const double *x, long n);
double vm_dot(const double *x, const double *y, long n);

#endif
