/* stats.c - the project's single implementation of descriptive statistics. */
#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

vqi_summary vqi_summarize(const double *v, size_t n)
{
    vqi_summary s = {0};
    if (n == 0)
        return s;
    s.n = n;
    s.min = s.max = v[0];
    for (size_t i = 0; i < n; i++) {
        s.sum += v[i];
        if (v[i] < s.min)
            s.min = v[i];
        if (v[i] > s.max)
            s.max = v[i];
    }
    s.mean = s.sum / (double)n;
    double m2 = 0, m3 = 0, m4 = 0;
    for (size_t i = 0; i < n; i++) {
        double d = v[i] - s.mean, d2 = d * d;
        m2 += d2;
        m3 += d2 * d;
        m4 += d2 * d2;
    }
    m2 /= (double)n;
    m3 /= (double)n;
    m4 /= (double)n;
    s.std = sqrt(m2);
    /* Constant data: skewness 0 and excess kurtosis -3 (the 0/0 moment ratio
     * taken as 0), which is what the course dataset's real rows hold
     * (e.g. serverKurRetransmit = -3.000, serverSkeRetransmit = 0.000). */
    if (m2 > 0) {
        s.skew = m3 / pow(m2, 1.5);
        s.kurt = m4 / (m2 * m2) - 3.0;
    } else {
        s.skew = 0;
        s.kurt = -3.0;
    }
    return s;
}

double vqi_quantile_sorted(const double *sorted, size_t n, double q)
{
    if (n == 0)
        return 0;
    if (q <= 0)
        return sorted[0];
    if (q >= 1)
        return sorted[n - 1];
    double pos = q * (double)(n - 1);
    size_t lo = (size_t)pos;
    double frac = pos - (double)lo;
    if (lo + 1 >= n)
        return sorted[n - 1];
    return sorted[lo] + (sorted[lo + 1] - sorted[lo]) * frac;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void vqi_sort_doubles(double *v, size_t n)
{
    if (n > 1)      /* qsort(NULL, 0) is undefined behaviour */
        qsort(v, n, sizeof *v, cmp_double);
}

double vqi_quantile(const double *v, size_t n, double q, double *scratch)
{
    if (n == 0)
        return 0;
    memcpy(scratch, v, n * sizeof *v);
    vqi_sort_doubles(scratch, n);
    return vqi_quantile_sorted(scratch, n, q);
}

void vqi_running_add(vqi_running *r, double x)
{
    if (r->n == 0)
        r->min = r->max = x;
    else {
        if (x < r->min)
            r->min = x;
        if (x > r->max)
            r->max = x;
    }
    r->n += 1;
    double d = x - r->mean;
    r->mean += d / r->n;
    r->m2 += d * (x - r->mean);
}

double vqi_running_std(const vqi_running *r)
{
    return r->n > 0 ? sqrt(r->m2 / r->n) : 0;
}
