/* dataset.c - from a vqi_table to what a classifier consumes: the feature
 * matrix (numeric columns chosen by family, list and --drop, NaN =
 * missing), the class index of every row (rows with an invalid label are
 * left out) and the group (session) number of every row. */
#include "model.h"

#include "../table/clean.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Never features, whatever the selection: the cleaning rules of
 * table/clean.h (identifiers memorise sessions, time and player position do
 * not generalise, the player's ground truth leaks the label), and the
 * course's label itself when another column is being predicted. */
int vqi_model_is_metadata(const char *column)
{
    return vqi_drop_group_of(column) >= 0 || strcmp(column, "resolution") == 0;
}

int vqi_class_index(const double *classes, size_t nclasses, double label)
{
    for (size_t i = 0; i < nclasses; i++)
        if (classes[i] == label)
            return (int)i;
    return -1;
}

const char *vqi_class_text(double label, char *buf, size_t size)
{
    snprintf(buf, size, "%.15g", label);
    return buf;
}

void vqi_dataset_free(vqi_dataset *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->nfeat && d->feature; i++)
        free(d->feature[i]);
    free(d->feature);
    free(d->x);
    free(d->classes);
    free(d->y);
    free(d->group);
    free(d->source_row);
    free(d);
}

/* Is name in the comma-separated list? */
static int in_list(const char *list, const char *name)
{
    if (!list)
        return 0;
    size_t n = strlen(name);
    for (const char *p = list; *p;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && strncmp(p, name, n) == 0)
            return 1;
        if (!e)
            break;
        p = e + 1;
    }
    return 0;
}

static int is_numeric(const vqi_column *c)
{
    return c->type == VQI_COL_F64 || c->type == VQI_COL_I64 || c->type == VQI_COL_BOOL;
}

static int selected(const vqi_dataset_spec *spec, const char *name)
{
    const char *f = spec->features;
    if (!f || in_list(f, "all") || in_list(f, name))
        return 1;
    static const char *const families[] = {"L3", "L4", "L7"};
    for (size_t i = 0; i < 3; i++)
        if (in_list(f, families[i]) && strncmp(name, families[i], 2) == 0 && name[2] == '_')
            return 1;
    return 0;
}

/* Each explicitly named feature (not a family, not "all") must exist. */
static int check_named(const vqi_table *t, const vqi_dataset_spec *spec, vqi_err *err)
{
    const char *f = spec->features;
    for (const char *p = f; p && *p;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char name[256];
        if (len >= sizeof name)
            return vqi_err_set(err, VQI_EXIT_USAGE, "feature name too long");
        memcpy(name, p, len);
        name[len] = '\0';
        if (len && strcmp(name, "all") && strcmp(name, "L3") && strcmp(name, "L4") &&
            strcmp(name, "L7")) {
            long c = vqi_table_find(t, name);
            if (c < 0)
                return vqi_err_set(err, VQI_EXIT_USAGE, "no column '%s' for --features", name);
            if (!is_numeric(&t->cols[c]))
                return vqi_err_set(err, VQI_EXIT_USAGE, "column '%s' is not numeric", name);
        }
        if (!e)
            break;
        p = e + 1;
    }
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

#define MAX_CLASSES 64

/* Classes from the spec, or every positive label value present. */
static int find_classes(const vqi_column *lab, size_t nrows, const char *list,
                        vqi_dataset *d, vqi_err *err)
{
    double cls[MAX_CLASSES];
    size_t k = 0;
    if (list) {
        for (const char *p = list; *p;) {
            char *end;
            double v = strtod(p, &end);
            if (end == p || (*end && *end != ',') || !isfinite(v))
                return vqi_err_set(err, VQI_EXIT_USAGE, "bad class list '%s'", list);
            if (k == MAX_CLASSES)
                return vqi_err_set(err, VQI_EXIT_USAGE, "more than %d classes", MAX_CLASSES);
            if (vqi_class_index(cls, k, v) < 0)
                cls[k++] = v;
            p = *end ? end + 1 : end;
        }
    } else {
        for (size_t r = 0; r < nrows; r++) {
            double v = vqi_cell_f64(lab, r);
            if (!(v > 0) || !isfinite(v) || vqi_class_index(cls, k, v) >= 0)
                continue;
            if (k == MAX_CLASSES)
                return vqi_err_set(err, VQI_EXIT_USAGE,
                                   "label column '%s' has more than %d distinct values: "
                                   "not a class label", lab->name, MAX_CLASSES);
            cls[k++] = v;
        }
    }
    if (k < 2)
        return vqi_err_set(err, VQI_EXIT_FAIL, "label column '%s' has %zu valid class%s; "
                           "need at least 2", lab->name, k, k == 1 ? "" : "es");
    qsort(cls, k, sizeof *cls, cmp_double);
    if (!(d->classes = malloc(k * sizeof *d->classes)))
        return vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
    memcpy(d->classes, cls, k * sizeof *cls);
    d->nclasses = k;
    return 0;
}

/* Group numbers by the text of the group column (hash of strings). */
static int number_groups(const vqi_column *g, vqi_dataset *d, vqi_err *err)
{
    size_t n = d->nrows, cap = 16;
    while (cap < 2 * n + 16)
        cap *= 2;
    char **key = calloc(cap, sizeof *key);
    size_t *num = malloc(cap * sizeof *num);
    if (!(d->group = malloc((n ? n : 1) * sizeof *d->group)) || !key || !num) {
        free(key);
        free(num);
        return vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
    }
    int rc = 0;
    char buf[512];
    for (size_t i = 0; i < n && rc == 0; i++) {
        const char *s = vqi_cell_text(g, d->source_row[i], buf, sizeof buf);
        uint64_t h = 1469598103934665603ull;   /* FNV-1a */
        for (const char *p = s; *p; p++)
            h = (h ^ (uint8_t)*p) * 1099511628211ull;
        size_t slot = (size_t)h & (cap - 1);
        while (key[slot] && strcmp(key[slot], s) != 0)
            slot = (slot + 1) & (cap - 1);
        if (!key[slot]) {
            if (!(key[slot] = strdup(s))) {
                rc = vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
                break;
            }
            num[slot] = d->ngroups++;
        }
        d->group[i] = num[slot];
    }
    for (size_t i = 0; i < cap; i++)
        free(key[i]);
    free(key);
    free(num);
    return rc;
}

vqi_dataset *vqi_dataset_build(const vqi_table *t, const vqi_dataset_spec *spec, vqi_err *err)
{
    const char *label = spec->label ? spec->label : "resolution";
    long lc = vqi_table_find(t, label);
    if (lc < 0)
        return vqi_err_set(err, VQI_EXIT_USAGE, "no label column '%s'", label), NULL;
    long gc = -1;
    if (spec->group && (gc = vqi_table_find(t, spec->group)) < 0)
        return vqi_err_set(err, VQI_EXIT_USAGE, "no group column '%s' (use --split row, or "
                           "--group COLUMN)", spec->group), NULL;
    if (check_named(t, spec, err) < 0)
        return NULL;
    vqi_dataset *d = calloc(1, sizeof *d);
    if (!d)
        return vqi_err_set(err, VQI_EXIT_FAIL, "out of memory"), NULL;
    const vqi_column *lab = &t->cols[lc];
    if (find_classes(lab, t->nrows, spec->classes, d, err) < 0)
        goto fail;

    size_t *cols = malloc((t->ncols ? t->ncols : 1) * sizeof *cols);
    d->feature = calloc(t->ncols ? t->ncols : 1, sizeof *d->feature);
    if (!cols || !d->feature) {
        free(cols);
        goto oom;
    }
    for (size_t c = 0; c < t->ncols; c++) {
        const vqi_column *col = &t->cols[c];
        int named = spec->features && in_list(spec->features, col->name);
        if ((long)c == lc || (long)c == gc || col->is_index || !is_numeric(col) ||
            in_list(spec->drop, col->name) || !selected(spec, col->name) ||
            (!named && (vqi_model_is_metadata(col->name) || vqi_column_is_constant(t, col))))
            continue;
        if (!(d->feature[d->nfeat] = strdup(col->name))) {
            free(cols);
            goto oom;
        }
        cols[d->nfeat++] = c;
    }
    if (d->nfeat == 0) {
        free(cols);
        vqi_err_set(err, VQI_EXIT_USAGE, "no numeric feature columns selected");
        goto fail;
    }

    size_t n = 0;
    d->y = malloc((t->nrows ? t->nrows : 1) * sizeof *d->y);
    d->source_row = malloc((t->nrows ? t->nrows : 1) * sizeof *d->source_row);
    if (!d->y || !d->source_row) {
        free(cols);
        goto oom;
    }
    for (size_t r = 0; r < t->nrows; r++) {
        int k = vqi_class_index(d->classes, d->nclasses, vqi_cell_f64(lab, r));
        if (k < 0) {
            d->dropped_label++;
            continue;
        }
        d->y[n] = k;
        d->source_row[n++] = r;
    }
    d->nrows = n;
    if (n == 0) {
        free(cols);
        vqi_err_set(err, VQI_EXIT_FAIL, "no row has a valid label");
        goto fail;
    }
    if (!(d->x = malloc(n * d->nfeat * sizeof *d->x))) {
        free(cols);
        goto oom;
    }
    for (size_t j = 0; j < d->nfeat; j++) {
        const vqi_column *c = &t->cols[cols[j]];
        for (size_t i = 0; i < n; i++)
            d->x[i * d->nfeat + j] = (float)vqi_cell_f64(c, d->source_row[i]);
    }
    free(cols);
    if (gc >= 0 && number_groups(&t->cols[gc], d, err) < 0)
        goto fail;
    return d;
oom:
    vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
fail:
    vqi_dataset_free(d);
    return NULL;
}
