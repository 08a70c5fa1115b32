/* clean.c - the course datasets' cleaning rules (see clean.h). */
#include "clean.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const IDENTIFIERS[] = {
    "session_id", "deployment_session_id", "home_id", "video_id", "index", NULL,
};
static const char *const TIMES[] = {
    "absolute_timestamp", "relative_timestamp", "video_position", "chunk_start_time",
    "chunk_end_time", NULL,
};
static const char *const LEAKS[] = {
    "bitrate", "previous_bitrate", "bitrate_change", "quality", "startup_time", "startup3.3",
    "startup5", "startup6.6", "startup10", "startup_mc", "n_bitrate_switches",
    "c_bitrate_switches", "n_rebufferings", "c_rebufferings", "c_resolution_switches",
    "video_duration", "ads", NULL,
};

static const struct {
    const char *title, *reason;
} GROUPS[VQI_DROP_NGROUPS] = {
    [VQI_DROP_IDENTIFIER] = {"identifiers", "they name sessions, homes and videos: a model "
                                            "would memorise them, not learn from traffic"},
    [VQI_DROP_TIME] = {"time and player position", "when a window happened or where the "
                                                   "player was does not generalise"},
    [VQI_DROP_LEAK] = {"label leaks", "the player's own ground truth (bitrate, quality, "
                                      "startup, switches) gives the resolution away"},
    [VQI_DROP_CONSTANT] = {"constant columns", "one value on every kept row carries no "
                                               "information"},
    [VQI_DROP_NONSCALAR] = {"non-scalar columns", "per-row arrays, text or dates are not one "
                                                  "number per row"},
};

const char *vqi_drop_title(vqi_drop_group g)
{
    return g < VQI_DROP_NGROUPS ? GROUPS[g].title : "?";
}

const char *vqi_drop_reason(vqi_drop_group g)
{
    return g < VQI_DROP_NGROUPS ? GROUPS[g].reason : "?";
}

static int in(const char *const *list, const char *name)
{
    for (; *list; list++)
        if (strcmp(*list, name) == 0)
            return 1;
    return 0;
}

int vqi_drop_group_of(const char *column)
{
    /* video_dataset prefixes feature tiers: L3_, L4_, L7_ */
    const char *bare = column;
    if (column[0] == 'L' && (column[1] == '3' || column[1] == '4' || column[1] == '7') &&
        column[2] == '_')
        bare = column + 3;
    if (in(IDENTIFIERS, column))
        return VQI_DROP_IDENTIFIER;
    if (in(TIMES, column) || in(TIMES, bare))
        return VQI_DROP_TIME;
    if (in(LEAKS, column) || in(LEAKS, bare))
        return VQI_DROP_LEAK;
    return -1;
}

static int cells_equal(const vqi_column *c, size_t a, size_t b)
{
    int na = vqi_cell_is_na(c, a), nb = vqi_cell_is_na(c, b);
    if (na || nb)
        return na && nb;
    switch (c->type) {
    case VQI_COL_F64: return c->f64[a] == c->f64[b];
    case VQI_COL_I64:
    case VQI_COL_DATETIME: return c->i64[a] == c->i64[b];
    case VQI_COL_BOOL: return c->b[a] == c->b[b];
    case VQI_COL_STR: return strcmp(c->str[a], c->str[b]) == 0;
    case VQI_COL_ARRAY:
        return c->arr[a].n == c->arr[b].n &&
               memcmp(c->arr[a].v, c->arr[b].v, c->arr[a].n * sizeof(double)) == 0;
    }
    return 0;
}

int vqi_column_is_constant(const vqi_table *t, const vqi_column *c)
{
    if (t->nrows < 2)
        return 0;
    for (size_t r = 1; r < t->nrows; r++)
        if (!cells_equal(c, 0, r))
            return 0;
    return 1;
}

static const double DEFAULT_VALID[] = {240, 360, 480, 720, 1080};

static int note_drop(vqi_clean_report *rep, int g, const char *name)
{
    if (!rep)
        return 0;
    char **v = realloc(rep->dropped[g], (rep->ndropped[g] + 1) * sizeof *v);
    if (!v)
        return -1;
    rep->dropped[g] = v;
    if (!(v[rep->ndropped[g]] = strdup(name)))
        return -1;
    rep->ndropped[g]++;
    return 0;
}

static int note_invalid(vqi_clean_report *rep, double v)
{
    for (size_t i = 0; i < rep->ninvalid_values; i++)
        if (rep->invalid_values[i] == v || (isnan(v) && isnan(rep->invalid_values[i]))) {
            rep->invalid_counts[i]++;
            return 0;
        }
    size_t n = rep->ninvalid_values + 1;
    double *vv = realloc(rep->invalid_values, n * sizeof *vv);
    if (!vv)
        return -1;
    rep->invalid_values = vv;
    size_t *cc = realloc(rep->invalid_counts, n * sizeof *cc);
    if (!cc)
        return -1;
    rep->invalid_counts = cc;
    vv[n - 1] = v;
    cc[n - 1] = 1;
    rep->ninvalid_values = n;
    return 0;
}

static int cmp_invalid(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    if (isnan(x) || isnan(y))
        return isnan(x) - isnan(y);
    return (x > y) - (x < y);
}

/* Sort the invalid values (counts follow) for a stable report. */
static void sort_invalid(vqi_clean_report *rep)
{
    size_t n = rep->ninvalid_values;
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && cmp_invalid(&rep->invalid_values[j - 1],
                                                &rep->invalid_values[j]) > 0; j--) {
            double tv = rep->invalid_values[j];
            rep->invalid_values[j] = rep->invalid_values[j - 1];
            rep->invalid_values[j - 1] = tv;
            size_t tc = rep->invalid_counts[j];
            rep->invalid_counts[j] = rep->invalid_counts[j - 1];
            rep->invalid_counts[j - 1] = tc;
        }
}

int vqi_clean(vqi_table *t, const vqi_clean_opts *opts, vqi_clean_report *rep, vqi_err *err)
{
    const char *label = opts && opts->label ? opts->label : "resolution";
    const double *valid = opts && opts->valid ? opts->valid : DEFAULT_VALID;
    size_t nvalid = opts && opts->valid ? opts->nvalid
                                        : sizeof DEFAULT_VALID / sizeof *DEFAULT_VALID;
    if (rep) {
        memset(rep, 0, sizeof *rep);
        rep->rows_before = t->nrows;
        rep->cols_before = t->ncols;
    }
    long li = vqi_table_find(t, label);
    if (li < 0)
        return vqi_err_set(err, VQI_EXIT_USAGE, "no '%s' column to clean by", label);
    /* rows: keep the valid labels */
    uint8_t *keep = malloc(t->nrows ? t->nrows : 1);
    if (!keep)
        return vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
    size_t dropped = 0;
    for (size_t r = 0; r < t->nrows; r++) {
        double v = vqi_cell_f64(&t->cols[li], r);
        keep[r] = 0;
        for (size_t k = 0; k < nvalid; k++)
            if (v == valid[k])
                keep[r] = 1;
        if (!keep[r]) {
            dropped++;
            if (rep && note_invalid(rep, v) < 0) {
                free(keep);
                return vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
            }
        }
    }
    if (dropped)
        vqi_table_filter_rows(t, keep);
    free(keep);
    if (rep) {
        rep->rows_invalid = dropped;
        sort_invalid(rep);
    }
    /* columns: by name, then constant, then non-scalar */
    for (size_t i = t->ncols; i-- > 0;) {
        const vqi_column *c = &t->cols[i];
        if (c->is_index || strcmp(c->name, label) == 0)
            continue;
        int g = vqi_drop_group_of(c->name);
        if (g < 0 && vqi_column_is_constant(t, c))
            g = VQI_DROP_CONSTANT;
        if (g < 0 && (c->type == VQI_COL_ARRAY || c->type == VQI_COL_STR ||
                      c->type == VQI_COL_DATETIME))
            g = VQI_DROP_NONSCALAR;
        if (g < 0)
            continue;
        if (note_drop(rep, g, c->name) < 0)
            return vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
        vqi_table_drop(t, i);
    }
    if (rep) {
        /* the names were collected right to left */
        for (int g = 0; g < VQI_DROP_NGROUPS; g++)
            for (size_t a = 0, b = rep->ndropped[g]; b > a + 1; a++, b--) {
                char *tmp = rep->dropped[g][a];
                rep->dropped[g][a] = rep->dropped[g][b - 1];
                rep->dropped[g][b - 1] = tmp;
            }
        rep->rows_after = t->nrows;
        rep->cols_after = t->ncols;
    }
    return 0;
}

void vqi_clean_report_free(vqi_clean_report *rep)
{
    if (!rep)
        return;
    for (int g = 0; g < VQI_DROP_NGROUPS; g++) {
        for (size_t i = 0; i < rep->ndropped[g]; i++)
            free(rep->dropped[g][i]);
        free(rep->dropped[g]);
    }
    free(rep->invalid_values);
    free(rep->invalid_counts);
    memset(rep, 0, sizeof *rep);
}
