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

/* ---- sorting ----
 * A stable merge sort specialised for doubles.  A stable sort's result is
 * unique, so it is the same array glibc's qsort (a stable merge sort with
 * cmp_double) produced, which the pinned outputs were made with - equal
 * values such as -0.0 and 0.0 keep their order - but without a call per
 * comparison.  Callers often sort a series that was sorted before and then
 * grew (the window stage's per-session histories), so the sorted prefix is
 * found first and only the new tail is sorted and merged in. */
enum { INSERTION_MAX = 24, STACK_TMP = 512 };

static void insertion_sort(double *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        double x = v[i];
        size_t j = i;
        for (; j > 0 && x < v[j - 1]; j--)   /* strictly less: stable */
            v[j] = v[j - 1];
        v[j] = x;
    }
}

/* Merge sorted v[0, mid) and v[mid, n) using tmp (mid doubles); ties take
 * the left element, which keeps the sort stable. */
static void merge_runs(double *v, size_t mid, size_t n, double *tmp)
{
    if (mid == 0 || mid == n || !(v[mid] < v[mid - 1]))
        return;                               /* already in order */
    memcpy(tmp, v, mid * sizeof *v);
    size_t i = 0, j = mid, k = 0;
    while (i < mid && j < n)
        v[k++] = v[j] < tmp[i] ? v[j++] : tmp[i++];
    while (i < mid)
        v[k++] = tmp[i++];
}

static void merge_sort(double *v, size_t n, double *tmp)
{
    if (n <= INSERTION_MAX) {
        insertion_sort(v, n);
        return;
    }
    size_t mid = n / 2;
    merge_sort(v, mid, tmp);
    merge_sort(v + mid, n - mid, tmp);
    merge_runs(v, mid, n, tmp);
}

void vqi_sort_doubles(double *v, size_t n)
{
    size_t sorted = 1;
    while (sorted < n && !(v[sorted] < v[sorted - 1]))
        sorted++;
    if (sorted >= n)
        return;
    double stack_tmp[STACK_TMP];
    double *tmp = n <= STACK_TMP ? stack_tmp : malloc(n * sizeof *v);
    if (!tmp) {
        qsort(v, n, sizeof *v, cmp_double);   /* same result, slower */
        return;
    }
    merge_sort(v + sorted, n - sorted, tmp);
    merge_runs(v, sorted, n, tmp);
    if (tmp != stack_tmp)
        free(tmp);
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
