/* test_window_sort.c - vqi_sort_doubles (the window stage's quantile sort,
 * shared with the flow stage) gives exactly the array glibc's stable qsort
 * with a three-way compare gives - bit for bit, so -0.0 / 0.0 keep their
 * order - on random series, series with few distinct values, and series
 * that were sorted and then grew (the per-session histories). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "util/stats.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static uint64_t rng = 88172645463325252ull;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* One series of n values: kind 0 = wide random, 1 = few distinct values
 * with signed zeros, 2 = sorted prefix then random tail. */
static void fill(double *v, size_t n, int kind)
{
    for (size_t i = 0; i < n; i++) {
        if (kind == 1) {
            int k = (int)(next() % 5);
            v[i] = k == 0 ? -0.0 : k == 1 ? 0.0 : (double)(k - 3);
        } else
            v[i] = (double)(next() % 100000) / 7.0;
    }
    if (kind == 2 && n > 1)
        qsort(v, n * 2 / 3, sizeof *v, cmp_double);
}

int main(void)
{
    static const size_t sizes[] = {0, 1, 2, 3, 24, 25, 100, 511, 512, 513, 5000, 100000};
    int all_same = 1, cases = 0;
    for (size_t si = 0; si < sizeof sizes / sizeof *sizes; si++) {
        for (int kind = 0; kind < 3; kind++) {
            size_t n = sizes[si];
            double *a = malloc((n ? n : 1) * sizeof *a), *b = malloc((n ? n : 1) * sizeof *b);
            fill(a, n, kind);
            memcpy(b, a, n * sizeof *a);
            vqi_sort_doubles(a, n);
            if (n)
                qsort(b, n, sizeof *b, cmp_double);   /* glibc: stable merge sort */
            if (memcmp(a, b, n * sizeof *a) != 0) {
                all_same = 0;
                printf("# differs: n=%zu kind=%d\n", n, kind);
            }
            cases++;
            free(a);
            free(b);
        }
    }
    CHECK(all_same, "vqi_sort_doubles = qsort bit for bit in %d series (random, ties with -0.0/0.0, sorted prefix + tail)", cases);

    double z[4] = {0.0, -0.0, 0.0, -0.0};
    vqi_sort_doubles(z, 4);
    CHECK(!signbit(z[0]) && signbit(z[1]) && !signbit(z[2]) && signbit(z[3]),
          "equal values (0.0, -0.0) keep their order");
    double grown[6] = {1, 2, 5, 9, 3, 2};    /* sorted history + two new samples */
    vqi_sort_doubles(grown, 6);
    CHECK(grown[0] == 1 && grown[1] == 2 && grown[2] == 2 && grown[3] == 3 && grown[4] == 5 &&
          grown[5] == 9, "sorted prefix + new tail: 1 2 2 3 5 9");
    return check_done();
}
