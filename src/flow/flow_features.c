/* flow_features.c - netml's per-flow feature vectors (IAT, SIZE, IAT_SIZE,
 * STATS, SAMP_NUM, SAMP_SIZE) and the numpy arithmetic they rely on.
 *
 * Every formula follows netml 0.7.1's parser.py operation by operation,
 * including numpy's pairwise summation and two-sided lerp, so that values
 * match to the last bit rather than approximately. */
#include "flow.h"
#include "flow_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------ numpy -- */

double flow_np_quantile_sorted(const double *sorted, size_t n, double q)
{
    if (n == 0)
        return 0;
    double virtual_index = (double)(n - 1) * q;
    double prev = floor(virtual_index);
    if (prev < 0)
        prev = 0;
    if (prev > (double)(n - 1))
        prev = (double)(n - 1);
    size_t lo = (size_t)prev;
    size_t hi = lo + 1 < n ? lo + 1 : n - 1;
    double t = virtual_index - prev;
    double a = sorted[lo], b = sorted[hi];
    double diff = b - a;
    return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

double flow_np_quantile(const double *v, size_t n, double q, double *scratch)
{
    if (n == 0)
        return 0;
    memcpy(scratch, v, n * sizeof *v);
    qsort(scratch, n, sizeof *scratch, cmp_double);
    return flow_np_quantile_sorted(scratch, n, q);
}

static double pairwise(const double *a, size_t n)
{
    if (n < 8) {
        double res = 0.;
        for (size_t i = 0; i < n; i++)
            res += a[i];
        return res;
    }
    if (n <= 128) {
        double r[8];
        for (int j = 0; j < 8; j++)
            r[j] = a[j];
        size_t i;
        for (i = 8; i < n - (n % 8); i += 8)
            for (int j = 0; j < 8; j++)
                r[j] += a[i + j];
        double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; i++)
            res += a[i];
        return res;
    }
    size_t n2 = n / 2;
    n2 -= n2 % 8;
    return pairwise(a, n2) + pairwise(a + n2, n - n2);
}

double flow_np_sum(const double *v, size_t n)
{
    return 0.0 + pairwise(v, n);
}

double flow_py_floordiv(double a, double b)
{
    double mod = fmod(a, b);
    double div = (a - mod) / b;
    if (mod) {
        if ((b < 0) != (mod < 0))
            div -= 1.0;
    }
    double floordiv;
    if (div) {
        floordiv = floor(div);
        if (div - floordiv > 0.5)
            floordiv += 1.0;
    } else {
        floordiv = copysign(0.0, a / b);
    }
    return floordiv;
}

/* ---------------------------------------------------------- families -- */

static const char *const feat_names[] = {"stats", "iat", "size", "iat_size", "samp_num",
                                         "samp_size"};

int vqi_feat_parse(const char *name, vqi_feat_type *type)
{
    for (int i = 0; i < 6; i++)
        if (!strcasecmp(name, feat_names[i])) {
            *type = (vqi_feat_type)i;
            return 0;
        }
    return -1;
}

const char *vqi_feat_name(vqi_feat_type type)
{
    return (unsigned)type < 6 ? feat_names[type] : "?";
}

size_t vqi_feat_length(vqi_feat_type type, size_t dim)
{
    switch (type) {
    case VQI_FEAT_STATS: return 12;
    case VQI_FEAT_SIZE: return dim;
    case VQI_FEAT_IAT_SIZE: return dim ? 2 * dim - 1 : 0;
    default: return dim ? dim - 1 : 0;
    }
}

/* STATS: netml's 12 values from sizes (np.mean, np.std ddof=0, quantiles). */
static void stats_vector(const double *times, const double *sizes, size_t n, double *out)
{
    memset(out, 0, 12 * sizeof *out);
    if (n == 0)
        return;
    double tmin = times[0], tmax = times[0];
    for (size_t i = 1; i < n; i++) {
        if (times[i] < tmin) tmin = times[i];
        if (times[i] > tmax) tmax = times[i];
    }
    double duration = tmax - tmin;
    double *work = malloc(2 * n * sizeof *work);
    double total = flow_np_sum(sizes, n);     /* integers: exact */
    double mean = total / (double)n;
    double std = 0, q1 = 0, q2 = 0, q3 = 0, mn = sizes[0], mx = sizes[0];
    for (size_t i = 1; i < n; i++) {
        if (sizes[i] < mn) mn = sizes[i];
        if (sizes[i] > mx) mx = sizes[i];
    }
    if (work) {
        for (size_t i = 0; i < n; i++) {
            double d = sizes[i] - mean;
            work[i] = d * d;
        }
        std = sqrt(flow_np_sum(work, n) / (double)n);
        memcpy(work, sizes, n * sizeof *work);
        qsort(work, n, sizeof *work, cmp_double);
        q1 = flow_np_quantile_sorted(work, n, 0.25);
        q2 = flow_np_quantile_sorted(work, n, 0.5);
        q3 = flow_np_quantile_sorted(work, n, 0.75);
        free(work);
    }
    out[0] = duration;
    out[1] = duration == 0 ? 0.0 : (double)n / duration;
    out[2] = duration == 0 ? 0.0 : total / duration;
    out[3] = mean;
    out[4] = std;
    out[5] = q1;
    out[6] = q2;
    out[7] = q3;
    out[8] = mn;
    out[9] = mx;
    out[10] = (double)n;
    out[11] = total;
}

#define SAMP_CAP 500

/* SAMP_NUM / SAMP_SIZE: netml's _get_SAMP, including its window arithmetic
 * (current += rate), the 500-empty-window cap and the 500-value cap. */
static void samp_vector(int by_size, const double *times, const double *sizes, size_t n,
                        double rate, double *out, size_t len)
{
    size_t k = 0;                   /* values emitted (kept up to len, counted to 501) */
    double sub = -1;
    double current = 0;
#define EMIT(x) do { if (k < len) out[k] = (x); k++; } while (0)
    for (size_t i = 0; i < n; i++) {
        if (i == 0) {
            current = times[0];
            sub = by_size ? sizes[0] : 1;
            continue;
        }
        if (times[i] - current <= rate) {
            sub += by_size ? sizes[i] : 1;
            continue;
        }
        current += rate;
        EMIT(sub);
        double num = 0;
        if (rate > 0)
            num = floor(flow_py_floordiv(times[i] - current, rate));
        if (num > 0) {
            long long m = num > SAMP_CAP ? SAMP_CAP : (long long)num;
            for (long long z = 0; z < m; z++)
                EMIT(0);
            current += (double)m * rate;
        }
        if (k > SAMP_CAP) {
            sub = -1;
            k = SAMP_CAP;
            break;
        }
        sub = by_size ? sizes[i] : 1;
    }
    if (sub > 0)
        EMIT(sub);
#undef EMIT
    for (; k < len; k++)
        out[k] = 0;
}

void vqi_feat_vector(vqi_feat_type type, const double *times, const double *sizes,
                     size_t n, size_t dim, double samp_rate, double *out)
{
    size_t len = vqi_feat_length(type, dim);
    memset(out, 0, len * sizeof *out);
    switch (type) {
    case VQI_FEAT_STATS:
        stats_vector(times, sizes, n, out);
        break;
    case VQI_FEAT_IAT:
        for (size_t i = 0; i + 1 < n && i < len; i++)
            out[i] = times[i + 1] - times[i];
        break;
    case VQI_FEAT_SIZE:
        for (size_t i = 0; i < n && i < len; i++)
            out[i] = sizes[i];
        break;
    case VQI_FEAT_IAT_SIZE:
        for (size_t i = 0, k = 0; i < n && k < len; i++) {
            if (i + 1 < n) {
                out[k++] = times[i + 1] - times[i];
                if (k < len)
                    out[k++] = sizes[i];
            } else {
                out[k++] = sizes[i];
            }
        }
        break;
    case VQI_FEAT_SAMP_NUM:
    case VQI_FEAT_SAMP_SIZE:
        samp_vector(type == VQI_FEAT_SAMP_SIZE, times, sizes, n, samp_rate, out, len);
        break;
    }
}
