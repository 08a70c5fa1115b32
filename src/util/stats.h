/* stats.h - descriptive statistics shared by flows, windows and reports.
 *
 * One definition of each statistic for the whole project: population
 * standard deviation (ddof=0), percentiles by linear interpolation (numpy's
 * default), skewness and excess kurtosis from population moments (scipy's
 * defaults, bias=True, fisher=True); constant input has skewness 0 and
 * kurtosis -3 as in the course dataset.  Empty input gives 0 for everything. */
#ifndef VQI_STATS_H
#define VQI_STATS_H

#include <stddef.h>

typedef struct vqi_summary {
    size_t n;
    double sum, mean, std, min, max, skew, kurt;
} vqi_summary;

/* Summary of n values (order irrelevant). */
vqi_summary vqi_summarize(const double *v, size_t n);

/* q-th quantile (0..1) of values already sorted ascending, numpy 'linear'. */
double vqi_quantile_sorted(const double *sorted, size_t n, double q);

/* Sort ascending in place (doubles). */
void vqi_sort_doubles(double *v, size_t n);

/* Quantile of unsorted values: copies into scratch (n doubles), sorts there. */
double vqi_quantile(const double *v, size_t n, double q, double *scratch);

/* Running mean/variance (Welford), for streams that cannot keep samples. */
typedef struct vqi_running {
    double n, mean, m2, min, max;
} vqi_running;
void vqi_running_add(vqi_running *r, double x);
double vqi_running_std(const vqi_running *r);   /* population */

#endif
