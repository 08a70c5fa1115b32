/* table.c - the columnar table: creation, columns, rows, appends, cells as
 * numbers.  Text rendering of cells lives in text.c, CSV in csv.c. */
#include "table.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

vqi_table *vqi_table_new(void)
{
    return calloc(1, sizeof(vqi_table));
}

static void free_cells(vqi_column *c, size_t from, size_t to)
{
    if (c->str)
        for (size_t r = from; r < to; r++) {
            free(c->str[r]);
            c->str[r] = NULL;
        }
    if (c->arr)
        for (size_t r = from; r < to; r++) {
            free(c->arr[r].v);
            memset(&c->arr[r], 0, sizeof c->arr[r]);
        }
}

static void free_column(vqi_column *c, size_t nrows)
{
    free_cells(c, 0, nrows);
    free(c->name);
    free(c->f64);
    free(c->i64);
    free(c->b);
    free(c->str);
    free(c->arr);
    free(c->na);
}

void vqi_table_free(vqi_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->ncols; i++)
        free_column(&t->cols[i], t->nrows);
    free(t->cols);
    free(t);
}

/* Grow (or allocate) one buffer from old_cap to new_cap elements, zeroing
 * the new part.  Returns 0, or -1 leaving *p untouched. */
static int grow(void **p, size_t elem, size_t old_cap, size_t new_cap)
{
    if (new_cap > SIZE_MAX / elem)
        return -1;
    if (!*p) {
        /* calloc: large blocks come zeroed from the kernel, no memset pass */
        void *n = calloc(new_cap ? new_cap : 1, elem);
        if (!n)
            return -1;
        *p = n;
        return 0;
    }
    size_t bytes = new_cap * elem;
    void *n = realloc(*p, bytes > 0 ? bytes : 1);
    if (!n)
        return -1;
    memset((char *)n + old_cap * elem, 0, (new_cap - old_cap) * elem);
    *p = n;
    return 0;
}

static const char *default_dtype(vqi_coltype type)
{
    switch (type) {
    case VQI_COL_F64: return "float64";
    case VQI_COL_I64: return "int64";
    case VQI_COL_BOOL: return "bool";
    case VQI_COL_DATETIME: return "datetime64[ns]";
    case VQI_COL_STR:
    case VQI_COL_ARRAY: break;
    }
    return "object";
}

/* Allocate the value buffer of a column for cap rows. */
static int alloc_values(vqi_column *c, size_t old_cap, size_t cap)
{
    switch (c->type) {
    case VQI_COL_F64: return grow((void **)&c->f64, sizeof *c->f64, old_cap, cap);
    case VQI_COL_I64:
    case VQI_COL_DATETIME: return grow((void **)&c->i64, sizeof *c->i64, old_cap, cap);
    case VQI_COL_BOOL: return grow((void **)&c->b, sizeof *c->b, old_cap, cap);
    case VQI_COL_STR: return grow((void **)&c->str, sizeof *c->str, old_cap, cap);
    case VQI_COL_ARRAY: return grow((void **)&c->arr, sizeof *c->arr, old_cap, cap);
    }
    return -1;
}

vqi_column *vqi_table_add(vqi_table *t, const char *name, vqi_coltype type)
{
    if (t->ncols == t->cap_cols) {
        size_t nc = t->cap_cols ? t->cap_cols * 2 : 16;
        if (grow((void **)&t->cols, sizeof *t->cols, t->cap_cols, nc) < 0)
            return NULL;
        t->cap_cols = nc;
    }
    vqi_column *c = &t->cols[t->ncols];
    memset(c, 0, sizeof *c);
    c->type = type;
    snprintf(c->dtype, sizeof c->dtype, "%s", default_dtype(type));
    c->name = strdup(name ? name : "");
    if (!c->name || alloc_values(c, 0, t->cap_rows) < 0) {
        free_column(c, 0);
        memset(c, 0, sizeof *c);
        return NULL;
    }
    t->ncols++;
    return c;
}

int vqi_table_resize(vqi_table *t, size_t nrows)
{
    if (nrows < t->nrows) {
        for (size_t i = 0; i < t->ncols; i++) {
            vqi_column *c = &t->cols[i];
            free_cells(c, nrows, t->nrows);
            /* cells past nrows must read as zero when the table grows again */
            if (c->f64) memset(c->f64 + nrows, 0, (t->nrows - nrows) * sizeof *c->f64);
            if (c->i64) memset(c->i64 + nrows, 0, (t->nrows - nrows) * sizeof *c->i64);
            if (c->b) memset(c->b + nrows, 0, t->nrows - nrows);
            if (c->na) memset(c->na + nrows, 0, t->nrows - nrows);
        }
        t->nrows = nrows;
        return 0;
    }
    if (nrows > t->cap_rows) {
        /* a first sizing is exact (a loaded table); later growth doubles */
        size_t cap = t->cap_rows ? t->cap_rows : nrows;
        while (cap < nrows)
            cap = cap > SIZE_MAX / 2 ? nrows : cap * 2;
        for (size_t i = 0; i < t->ncols; i++) {
            vqi_column *c = &t->cols[i];
            if (alloc_values(c, t->cap_rows, cap) < 0)
                return -1;
            if (c->na && grow((void **)&c->na, 1, t->cap_rows, cap) < 0)
                return -1;
        }
        t->cap_rows = cap;
    }
    t->nrows = nrows;
    return 0;
}

long vqi_table_find(const vqi_table *t, const char *name)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (strcmp(t->cols[i].name, name) == 0)
            return (long)i;
    return -1;
}

void vqi_table_drop(vqi_table *t, size_t i)
{
    if (i >= t->ncols)
        return;
    free_column(&t->cols[i], t->nrows);
    memmove(&t->cols[i], &t->cols[i + 1], (t->ncols - i - 1) * sizeof *t->cols);
    t->ncols--;
}

void vqi_table_filter_rows(vqi_table *t, const uint8_t *keep)
{
    size_t out = 0;
    for (size_t r = 0; r < t->nrows; r++) {
        if (!keep[r]) {
            for (size_t i = 0; i < t->ncols; i++)
                free_cells(&t->cols[i], r, r + 1);
            continue;
        }
        if (out != r)
            for (size_t i = 0; i < t->ncols; i++) {
                vqi_column *c = &t->cols[i];
                if (c->f64) c->f64[out] = c->f64[r];
                if (c->i64) c->i64[out] = c->i64[r];
                if (c->b) c->b[out] = c->b[r];
                if (c->na) c->na[out] = c->na[r];
                if (c->str) {
                    c->str[out] = c->str[r];
                    c->str[r] = NULL;
                }
                if (c->arr) {
                    c->arr[out] = c->arr[r];
                    memset(&c->arr[r], 0, sizeof c->arr[r]);
                }
            }
        out++;
    }
    vqi_table_resize(t, out);   /* shrinking never fails */
}

int vqi_table_set_na(vqi_table *t, vqi_column *c, size_t row)
{
    if (row >= t->nrows)
        return -1;
    if (c->type == VQI_COL_F64) {
        c->f64[row] = NAN;
        return 0;
    }
    if (!c->na && grow((void **)&c->na, 1, 0, t->cap_rows) < 0)
        return -1;
    c->na[row] = 1;
    if (c->type == VQI_COL_STR) {
        free(c->str[row]);
        c->str[row] = NULL;
    }
    return 0;
}

int vqi_cell_is_na(const vqi_column *c, size_t row)
{
    switch (c->type) {
    case VQI_COL_F64: return isnan(c->f64[row]);
    case VQI_COL_STR: return c->str[row] == NULL;
    case VQI_COL_ARRAY: return c->arr[row].v == NULL && c->arr[row].n == 0 &&
                               c->arr[row].ndim == 0;
    default: return c->na && c->na[row];
    }
}

double vqi_cell_f64(const vqi_column *c, size_t row)
{
    if (c->type != VQI_COL_F64 && c->na && c->na[row])
        return NAN;
    switch (c->type) {
    case VQI_COL_F64: return c->f64[row];
    case VQI_COL_I64:
        if (strcmp(c->dtype, "uint64") == 0 || strcmp(c->dtype, "UInt64") == 0)
            return (double)(uint64_t)c->i64[row];     /* stored as the same 64 bits */
        return (double)c->i64[row];
    case VQI_COL_DATETIME: return (double)c->i64[row];
    case VQI_COL_BOOL: return c->b[row] ? 1.0 : 0.0;
    case VQI_COL_STR: {
        const char *s = c->str[row];
        if (!s || !*s)
            return NAN;
        char *end;
        double v = strtod(s, &end);
        return *end == '\0' ? v : NAN;
    }
    case VQI_COL_ARRAY: break;
    }
    return NAN;
}

/* Convert a column in place to another type (numeric → F64, anything → STR),
 * used when appended tables disagree on a column's type. */
static int convert_column(vqi_table *t, vqi_column *c, vqi_coltype to)
{
    if (c->type == to)
        return 0;
    vqi_column n = {0};
    n.type = to;
    if (alloc_values(&n, 0, t->cap_rows) < 0)
        return -1;
    char buf[64];
    for (size_t r = 0; r < t->nrows; r++) {
        if (to == VQI_COL_F64)
            n.f64[r] = vqi_cell_f64(c, r);
        else if (!vqi_cell_is_na(c, r)) {
            const char *s = vqi_cell_text(c, r, buf, sizeof buf);
            if (c->type == VQI_COL_STR) {
                n.str[r] = c->str[r];
                c->str[r] = NULL;
            } else if (!(n.str[r] = strdup(s))) {
                n.type = to;
                free_column(&n, t->nrows);
                return -1;
            }
        }
    }
    n.name = c->name;
    n.is_index = c->is_index;
    snprintf(n.dtype, sizeof n.dtype, "%s", default_dtype(to));
    c->name = NULL;
    free_column(c, t->nrows);
    *c = n;
    return 0;
}

static int is_numeric(vqi_coltype t)
{
    return t == VQI_COL_F64 || t == VQI_COL_I64 || t == VQI_COL_BOOL;
}

static int copy_cell(vqi_table *dst, vqi_column *d, size_t dr, const vqi_column *s, size_t sr)
{
    if (vqi_cell_is_na(s, sr))
        return vqi_table_set_na(dst, d, dr);
    switch (d->type) {
    case VQI_COL_F64: d->f64[dr] = vqi_cell_f64(s, sr); break;
    case VQI_COL_I64:
    case VQI_COL_DATETIME: d->i64[dr] = s->i64[sr]; break;
    case VQI_COL_BOOL: d->b[dr] = s->b[sr]; break;
    case VQI_COL_STR: {
        char buf[64];
        const char *txt = s->type == VQI_COL_STR ? s->str[sr] : vqi_cell_text(s, sr, buf, sizeof buf);
        if (!(d->str[dr] = strdup(txt)))
            return -1;
        break;
    }
    case VQI_COL_ARRAY: {
        const vqi_array *a = &s->arr[sr];
        d->arr[dr] = *a;
        d->arr[dr].v = NULL;
        if (a->n) {
            if (!(d->arr[dr].v = malloc(a->n * sizeof(double))))
                return -1;
            memcpy(d->arr[dr].v, a->v, a->n * sizeof(double));
        }
        break;
    }
    }
    return 0;
}

int vqi_table_append(vqi_table *dst, const vqi_table *src, vqi_err *err)
{
    size_t base = dst->nrows;
    /* columns of src that dst lacks: added, missing in dst's existing rows */
    for (size_t i = 0; i < src->ncols; i++) {
        const vqi_column *s = &src->cols[i];
        long j = vqi_table_find(dst, s->name);
        if (j < 0) {
            vqi_column *d = vqi_table_add(dst, s->name, s->type);
            if (!d)
                return vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
            d->is_index = s->is_index;
            memcpy(d->dtype, s->dtype, sizeof d->dtype);
            for (size_t r = 0; r < base; r++)
                if (vqi_table_set_na(dst, d, r) < 0)
                    return vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
            continue;
        }
        vqi_column *d = &dst->cols[j];
        if (d->type != s->type) {
            vqi_coltype to = is_numeric(d->type) && is_numeric(s->type) ? VQI_COL_F64 : VQI_COL_STR;
            if (convert_column(dst, d, to) < 0)
                return vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
        }
    }
    if (vqi_table_resize(dst, base + src->nrows) < 0)
        return vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
    for (size_t j = 0; j < dst->ncols; j++) {
        vqi_column *d = &dst->cols[j];
        long i = vqi_table_find(src, d->name);
        for (size_t r = 0; r < src->nrows; r++) {
            int rc = i < 0 ? vqi_table_set_na(dst, d, base + r)
                           : copy_cell(dst, d, base + r, &src->cols[i], r);
            if (rc < 0)
                return vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
        }
    }
    return 0;
}
