/* predictions.c - a model applied to a whole table of windows: class
 * probabilities per row, the truth column read leniently, rows put in time
 * order per session. */
#include "predict.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

double vqi_truth_value(const vqi_column *c, size_t row)
{
    if (vqi_cell_is_na(c, row))
        return NAN;
    double v;
    if (c->type == VQI_COL_STR) {
        /* "480", " 720 ", "1080p", "480.0": a number, optionally followed by p */
        const char *s = c->str[row];
        if (!s)
            return NAN;
        char *end;
        v = strtod(s, &end);
        if (end == s)
            return NAN;
        while (*end && isspace((unsigned char)*end))
            end++;
        if (*end == 'p' || *end == 'P')
            end++;
        while (*end && isspace((unsigned char)*end))
            end++;
        if (*end)
            return NAN;
    } else if (c->type == VQI_COL_ARRAY || c->type == VQI_COL_DATETIME) {
        return NAN;
    } else {
        v = vqi_cell_f64(c, row);
    }
    return isfinite(v) && v > 0 ? v : NAN;
}

/* A time cell in seconds: datetimes from nanoseconds, numbers as they are. */
static double seconds_of(const vqi_column *c, size_t row)
{
    if (vqi_cell_is_na(c, row))
        return NAN;
    if (c->type == VQI_COL_DATETIME)
        return (double)c->i64[row] / 1e9;
    return vqi_cell_f64(c, row);
}

typedef struct sort_key {
    size_t row;
    size_t session_rank;        /* rank of the session in output order */
    double rel, abs;
} sort_key;

static int cmp_nan_last(double a, double b)
{
    int na = isnan(a), nb = isnan(b);
    if (na || nb)
        return na - nb;
    return (a > b) - (a < b);
}

static int by_session_time(const void *x, const void *y)
{
    const sort_key *a = x, *b = y;
    if (a->session_rank != b->session_rank)
        return a->session_rank < b->session_rank ? -1 : 1;
    int c = cmp_nan_last(a->rel, b->rel);
    if (!c)
        c = cmp_nan_last(a->abs, b->abs);
    if (!c)
        c = (a->row > b->row) - (a->row < b->row);
    return c;
}

typedef struct session_ref {
    const char *id;
    size_t first_row;
    double first_abs;           /* earliest absolute time, NaN when none */
    size_t rank;
} session_ref;

static int by_id(const void *x, const void *y)
{
    const session_ref *a = x, *b = y;
    int c = strcmp(a->id, b->id);
    return c ? c : (a->first_row > b->first_row) - (a->first_row < b->first_row);
}

static int by_start(const void *x, const void *y)
{
    const session_ref *a = *(const session_ref *const *)x, *b = *(const session_ref *const *)y;
    int c = cmp_nan_last(a->first_abs, b->first_abs);
    return c ? c : (a->first_row > b->first_row) - (a->first_row < b->first_row);
}

void vqi_predictions_free(vqi_predictions *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++) {
        if (p->session)
            free(p->session[i]);
        if (p->rel_text)
            free(p->rel_text[i]);
        if (p->abs_text)
            free(p->abs_text[i]);
    }
    free(p->session);
    free(p->rel_text);
    free(p->abs_text);
    free(p->classes);
    free(p->source_row);
    free(p->rel_ts);
    free(p->abs_ts);
    free(p->predicted);
    free(p->proba);
    free(p->truth);
    free(p->session_start);
    free(p);
}

static char *cell_copy(const vqi_table *t, long col, size_t row)
{
    char buf[512];
    const char *s = col >= 0 ? vqi_cell_text(&t->cols[col], row, buf, sizeof buf) : "";
    return strdup(s ? s : "");
}

/* Session ranks: sessions ordered by their earliest absolute time.  Rows
 * with the same session id text belong to the same session. */
static int rank_sessions(const vqi_table *t, long sc, long ac, sort_key *keys, size_t *nsess,
                         vqi_err *err)
{
    size_t n = t->nrows;
    session_ref *refs = malloc((n ? n : 1) * sizeof *refs);
    session_ref **order = malloc((n ? n : 1) * sizeof *order);
    char **ids = calloc(n ? n : 1, sizeof *ids);
    int rc = -1;
    if (!refs || !order || !ids) {
        vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        if (!(ids[i] = cell_copy(t, sc, i))) {
            vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
            goto done;
        }
        refs[i].id = ids[i];
        refs[i].first_row = i;
        refs[i].first_abs = ac >= 0 ? seconds_of(&t->cols[ac], i) : NAN;
    }
    qsort(refs, n, sizeof *refs, by_id);
    /* collapse equal ids: the first row (lowest index) and the earliest time */
    size_t ns = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        double first = NAN;
        for (; j < n && strcmp(refs[j].id, refs[i].id) == 0; j++)
            if (!isnan(refs[j].first_abs) && (isnan(first) || refs[j].first_abs < first))
                first = refs[j].first_abs;
        refs[ns] = refs[i];
        refs[ns].first_abs = first;
        ns++;
        i = j;
    }
    for (size_t i = 0; i < ns; i++)
        order[i] = &refs[i];
    qsort(order, ns, sizeof *order, by_start);
    for (size_t r = 0; r < ns; r++)
        order[r]->rank = r;
    /* refs[0..ns) is sorted by id: look every row's id up */
    for (size_t i = 0; i < n; i++) {
        session_ref key = {ids[i], 0, NAN, 0};
        size_t lo = 0, hi = ns;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            int c = strcmp(refs[mid].id, key.id);
            if (c < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        keys[i].session_rank = refs[lo].rank;
    }
    *nsess = ns;
    rc = 0;
done:
    if (ids)
        for (size_t i = 0; i < n; i++)
            free(ids[i]);
    free(ids);
    free(refs);
    free(order);
    return rc;
}

static vqi_predictions *alloc_predictions(size_t n, size_t k)
{
    vqi_predictions *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    size_t m = n ? n : 1;
    p->n = n;
    p->nclasses = k;
    p->classes = malloc(k * sizeof *p->classes);
    p->source_row = malloc(m * sizeof *p->source_row);
    p->session = calloc(m, sizeof *p->session);
    p->rel_text = calloc(m, sizeof *p->rel_text);
    p->abs_text = calloc(m, sizeof *p->abs_text);
    p->rel_ts = malloc(m * sizeof *p->rel_ts);
    p->abs_ts = malloc(m * sizeof *p->abs_ts);
    p->predicted = malloc(m * sizeof *p->predicted);
    p->proba = malloc(m * k * sizeof *p->proba);
    p->truth = malloc(m * sizeof *p->truth);
    p->session_start = malloc((m + 1) * sizeof *p->session_start);
    if (!p->classes || !p->source_row || !p->session || !p->rel_text || !p->abs_text ||
        !p->rel_ts || !p->abs_ts || !p->predicted || !p->proba || !p->truth ||
        !p->session_start) {
        p->n = 0;
        vqi_predictions_free(p);
        return NULL;
    }
    return p;
}

vqi_predictions *vqi_predict_table(const vqi_model *m, const vqi_table *t,
                                   const char *truth_col, vqi_err *err)
{
    size_t n = t->nrows, k = m->nclasses;
    if (k == 0)
        return vqi_err_set(err, VQI_EXIT_USAGE, "the model has no classes"), NULL;
    double *proba = malloc((n ? n : 1) * k * sizeof *proba);
    sort_key *keys = malloc((n ? n : 1) * sizeof *keys);
    vqi_predictions *p = alloc_predictions(n, k);
    if (!proba || !keys || !p) {
        vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
        goto fail;
    }
    /* the columns first, so that an empty table lacking them is refused too
     * (a table without any column is no windows at all, e.g. a capture
     * without the service's traffic) */
    for (size_t f = 0; f < m->nfeat && t->ncols > 0; f++)
        if (vqi_table_find(t, m->feature[f]) < 0) {
            vqi_err_set(err, VQI_EXIT_USAGE, "no column '%s' (of the model's %zu features)",
                        m->feature[f], m->nfeat);
            goto fail;
        }
    if (n > 0 && vqi_model_predict_table(m, t, proba, err) < 0)
        goto fail;
    memcpy(p->classes, m->classes, k * sizeof *p->classes);
    long sc = vqi_table_find(t, "session_id");
    long rc = vqi_table_find(t, "relative_timestamp");
    long ac = vqi_table_find(t, "absolute_timestamp");
    long tc = truth_col ? vqi_table_find(t, truth_col) : -1;
    for (size_t i = 0; i < n; i++) {
        keys[i].row = i;
        keys[i].rel = rc >= 0 ? seconds_of(&t->cols[rc], i) : NAN;
        keys[i].abs = ac >= 0 ? seconds_of(&t->cols[ac], i) : NAN;
    }
    size_t nsess = 0;
    if (rank_sessions(t, sc, ac, keys, &nsess, err) < 0)
        goto fail;
    qsort(keys, n, sizeof *keys, by_session_time);
    p->nsessions = nsess;
    size_t s = 0;
    for (size_t i = 0; i < n; i++) {
        size_t r = keys[i].row;
        if (i == 0 || keys[i].session_rank != keys[i - 1].session_rank)
            p->session_start[s++] = i;
        p->source_row[i] = r;
        p->rel_ts[i] = keys[i].rel;
        p->abs_ts[i] = keys[i].abs;
        memcpy(p->proba + i * k, proba + r * k, k * sizeof *proba);
        p->predicted[i] = vqi_argmax(p->proba + i * k, k);
        p->truth[i] = tc >= 0 ? vqi_truth_value(&t->cols[tc], r) : NAN;
        if (!isnan(p->truth[i]))
            p->has_truth = 1;
        if (!(p->session[i] = cell_copy(t, sc, r)) || !(p->rel_text[i] = cell_copy(t, rc, r)) ||
            !(p->abs_text[i] = cell_copy(t, ac, r))) {
            vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
            goto fail;
        }
    }
    p->session_start[s] = n;
    free(proba);
    free(keys);
    return p;
fail:
    free(proba);
    free(keys);
    vqi_predictions_free(p);
    return NULL;
}
