/* flow_int.h - numeric helpers shared inside src/flow that mimic numpy and
 * Python bit for bit (netml's numbers come from them).  Not an interface. */
#ifndef VQI_FLOW_INT_H
#define VQI_FLOW_INT_H

#include <stddef.h>

/* numpy.quantile(method='linear') of sorted values, including numpy's
 * two-sided lerp (b - (b-a)*(1-t) when t >= 0.5). 0 for n == 0. */
double flow_np_quantile_sorted(const double *sorted, size_t n, double q);
/* Same on unsorted values, sorting a copy in scratch (n doubles). */
double flow_np_quantile(const double *v, size_t n, double q, double *scratch);
/* numpy's pairwise summation of float64 (add.reduce on a contiguous array). */
double flow_np_sum(const double *v, size_t n);
/* Python's float floor division a // b (b != 0). */
double flow_py_floordiv(double a, double b);

#endif
