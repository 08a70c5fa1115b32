/* split.c - train/test splits and k-fold assignment, seeded and
 * reproducible.  Session-grouped splits keep every window of a session on
 * one side: windows of one session are strongly correlated, so a row split
 * lets the model recognise sessions it has already seen and overstates
 * accuracy (docs/DATASETS.md). */
#include "model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

uint64_t vqi_rng_next(uint64_t *state)
{
    /* splitmix64: tiny, good enough to shuffle, identical everywhere */
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

size_t vqi_rng_below(uint64_t *state, size_t n)
{
    return n ? (size_t)(vqi_rng_next(state) % n) : 0;
}

void vqi_rng_shuffle(uint64_t *state, size_t *v, size_t n)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = vqi_rng_below(state, i);
        size_t t = v[i - 1];
        v[i - 1] = v[j];
        v[j] = t;
    }
}

static size_t *seq(size_t n)
{
    size_t *v = malloc((n ? n : 1) * sizeof *v);
    if (v)
        for (size_t i = 0; i < n; i++)
            v[i] = i;
    return v;
}

/* Number held out of n items: ceil(test_size * n), at least one and at most
 * n - 1 so that both sides exist (as scikit-learn's train_test_split). */
static size_t held_out(size_t n, double test_size)
{
    size_t k = (size_t)ceil(test_size * (double)n);
    if (k < 1)
        k = 1;
    if (k > n - 1)
        k = n - 1;
    return k;
}

int vqi_split(const vqi_dataset *d, vqi_split_kind kind, double test_size, uint64_t seed,
              size_t **train, size_t *ntrain, size_t **test, size_t *ntest, vqi_err *err)
{
    *train = *test = NULL;
    *ntrain = *ntest = 0;
    size_t n = d->nrows;
    if (kind == VQI_SPLIT_NONE) {
        if (!(*train = seq(n)))
            return vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
        *ntrain = n;
        return 0;
    }
    if (!(test_size > 0 && test_size < 1))
        return vqi_err_set(err, VQI_EXIT_USAGE, "test size must be between 0 and 1, not %g",
                           test_size);
    size_t units = kind == VQI_SPLIT_GROUP ? d->ngroups : n;
    if (kind == VQI_SPLIT_GROUP && !d->group)
        return vqi_err_set(err, VQI_EXIT_USAGE, "a grouped split needs a group column");
    if (units < 2)
        return vqi_err_set(err, VQI_EXIT_FAIL, "cannot split %zu %s into train and test",
                           units, kind == VQI_SPLIT_GROUP ? "group(s)" : "row(s)");
    size_t *order = seq(units);
    uint8_t *is_test = calloc(units, 1);
    size_t *tr = malloc((n ? n : 1) * sizeof *tr), *te = malloc((n ? n : 1) * sizeof *te);
    if (!order || !is_test || !tr || !te) {
        free(order);
        free(is_test);
        free(tr);
        free(te);
        return vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
    }
    uint64_t state = seed;
    vqi_rng_shuffle(&state, order, units);
    size_t k = held_out(units, test_size);
    for (size_t i = 0; i < k; i++)
        is_test[order[i]] = 1;
    for (size_t r = 0; r < n; r++) {
        size_t u = kind == VQI_SPLIT_GROUP ? d->group[r] : r;
        if (is_test[u])
            te[(*ntest)++] = r;
        else
            tr[(*ntrain)++] = r;
    }
    free(order);
    free(is_test);
    *train = tr;
    *test = te;
    return 0;
}

typedef struct group_size {
    size_t group, rows, rank;   /* rank: position after the seeded shuffle */
} group_size;

static int by_rows_desc(const void *a, const void *b)
{
    const group_size *x = a, *y = b;
    if (x->rows != y->rows)
        return x->rows < y->rows ? 1 : -1;
    return (x->rank > y->rank) - (x->rank < y->rank);
}

int vqi_kfold(const vqi_dataset *d, const size_t *rows, size_t n, int folds, int grouped,
              uint64_t seed, int *fold, vqi_err *err)
{
    if (folds < 2)
        return vqi_err_set(err, VQI_EXIT_USAGE, "need at least 2 folds, not %d", folds);
    uint64_t state = seed;
    if (!grouped || !d->group) {
        size_t *order = seq(n);
        if (!order)
            return vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
        if (n < (size_t)folds) {
            free(order);
            return vqi_err_set(err, VQI_EXIT_FAIL, "%zu rows cannot fill %d folds", n, folds);
        }
        vqi_rng_shuffle(&state, order, n);
        for (size_t i = 0; i < n; i++)
            fold[order[i]] = (int)(i % (size_t)folds);
        free(order);
        return 0;
    }
    size_t G = d->ngroups;
    group_size *gs = calloc(G ? G : 1, sizeof *gs);
    size_t *order = seq(G);
    size_t *fold_rows = calloc((size_t)folds, sizeof *fold_rows);
    int *group_fold = malloc((G ? G : 1) * sizeof *group_fold);
    if (!gs || !order || !fold_rows || !group_fold) {
        free(gs);
        free(order);
        free(fold_rows);
        free(group_fold);
        return vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
    }
    vqi_rng_shuffle(&state, order, G);
    for (size_t i = 0; i < G; i++) {
        gs[order[i]].group = order[i];
        gs[order[i]].rank = i;
    }
    for (size_t i = 0; i < n; i++)
        gs[d->group[rows[i]]].rows++;
    qsort(gs, G, sizeof *gs, by_rows_desc);
    size_t used = 0;
    for (size_t i = 0; i < G; i++) {
        group_fold[gs[i].group] = -1;
        if (!gs[i].rows)
            continue;
        used++;
        int lightest = 0;
        for (int f = 1; f < folds; f++)
            if (fold_rows[f] < fold_rows[lightest])
                lightest = f;
        group_fold[gs[i].group] = lightest;
        fold_rows[lightest] += gs[i].rows;
    }
    int rc = 0;
    if (used < (size_t)folds)
        rc = vqi_err_set(err, VQI_EXIT_FAIL, "%zu groups cannot fill %d folds", used, folds);
    else
        for (size_t i = 0; i < n; i++)
            fold[i] = group_fold[d->group[rows[i]]];
    free(gs);
    free(order);
    free(fold_rows);
    free(group_fold);
    return rc;
}
