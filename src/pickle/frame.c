/* frame.c - a pandas DataFrame (or Series) rebuilt as a vqi_table from the
 * pickle object graph: the BlockManager (reduce form of pandas >= 1.1 and
 * the older BUILD-state form), its blocks and their placements, the row
 * index (RangeIndex, Index, Int64Index, DatetimeIndex, MultiIndex: one
 * leading is_index column per level, as to_csv writes them) and the column
 * kinds (numeric, bool, datetime64, object strings, per-row arrays,
 * categoricals). */
#include "pickle_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

typedef struct ctx {
    arena *a;
    vqi_err *err;
    int release_pages;
    uint64_t max_rows;       /* bound on a RangeIndex's length */
} ctx;

/* Give the whole pages inside [p, p+n) of a read-only file mapping back to
 * the kernel: they are re-read from the file if ever touched again. */
static void release_range(const uint8_t *p, size_t n)
{
    static size_t page;
    if (!page)
        page = (size_t)sysconf(_SC_PAGESIZE);
    uintptr_t start = ((uintptr_t)p + page - 1) & ~(uintptr_t)(page - 1);
    uintptr_t end = ((uintptr_t)p + n) & ~(uintptr_t)(page - 1);
    if (end > start)
        madvise((void *)start, end - start, MADV_DONTNEED);
}

static int bad(ctx *x, const char *what)
{
    return vqi_err_set(x->err, VQI_EXIT_USAGE, "not a DataFrame pickle vqi understands: %s", what);
}

static int oom(ctx *x)
{
    return vqi_err_set(x->err, VQI_EXIT_FAIL, "out of memory");
}

static const char *describe(const pobj *o)
{
    if (!o)
        return "nothing";
    switch (o->type) {
    case P_NONE: return "None";
    case P_BOOL: return "a bool";
    case P_INT: case P_BIGINT: return "an int";
    case P_FLOAT: return "a float";
    case P_BYTES: return "bytes";
    case P_STR: case P_STR8: return "a string";
    case P_TUPLE: return "a tuple";
    case P_LIST: return "a list";
    case P_DICT: return "a dict";
    case P_SET: case P_FROZENSET: return "a set";
    case P_GLOBAL: return pvm_global_name(o->gid);
    case P_CALL: return o->u.call.fn ? pvm_global_name(o->u.call.fn->gid) : "an object";
    }
    return "an object";
}

/* numpy.float64(2.5), numpy.int64(7), numpy.bool_(True) ... in an object
 * column: the text numpy's str() gives them. */
static char *numpy_scalar_text(ctx *x, const pobj *o, int *null)
{
    ndarr a;
    char buf[64];
    if (nd_scalar(o, &a, x->err) < 0)
        return NULL;
    if (a.kind == 'f') {
        double v = nd_get_f64(&a, 0);
        if (isnan(v)) {
            *null = 1;
            return NULL;
        }
        if (a.itemsize == 4)
            vqi_format_float32(v, buf, sizeof buf);
        else
            vqi_format_double(v, buf, sizeof buf);
    } else if (a.kind == 'b')
        snprintf(buf, sizeof buf, "%s", nd_get_i64(&a, 0) ? "True" : "False");
    else if (a.kind == 'u')
        snprintf(buf, sizeof buf, "%llu", (unsigned long long)(uint64_t)nd_get_i64(&a, 0));
    else if (a.kind == 'i')
        snprintf(buf, sizeof buf, "%lld", (long long)nd_get_i64(&a, 0));
    else {
        bad(x, "numpy scalar of an unsupported kind inside an object column");
        return NULL;
    }
    return strdup(buf);
}

/* pandas.Timestamp (naive) in an object column: str(Timestamp), i.e.
 * seconds, plus microseconds or nanoseconds when there are any. */
static char *timestamp_text(ctx *x, const pobj *o)
{
    int64_t ns;
    const pobj *tz = pobj_arg(o, 2);
    if (!pobj_int(pobj_arg(o, 0), &ns) || (tz && tz->type != P_NONE)) {
        bad(x, "Timestamp with a time zone or without a value");
        return NULL;
    }
    int64_t frac = ns % 1000000000;
    if (frac < 0)
        frac += 1000000000;
    char buf[64];
    vqi_format_datetime(ns, frac % 1000 ? 4 : frac ? 3 : 1, buf, sizeof buf);
    return strdup(buf);
}

/* Text of a scalar object the way pandas writes it in a CSV cell; *null
 * set for None / NaN.  Returns malloc'd text, NULL on unsupported objects
 * (err filled) or out of memory. */
static char *scalar_text(ctx *x, const pobj *o, int *null)
{
    char buf[64];
    *null = 0;
    if (o->type == P_GLOBAL && o->gid == G_NA) {
        *null = 1;
        return NULL;
    }
    switch (o->type) {
    case P_NONE:
        *null = 1;
        return NULL;
    case P_STR:
    case P_STR8: {
        char *s = pobj_strdup(o);
        if (!s)
            oom(x);
        return s;
    }
    case P_BOOL:
        return strdup(o->u.i ? "True" : "False");
    case P_INT:
        snprintf(buf, sizeof buf, "%lld", (long long)o->u.i);
        return strdup(buf);
    case P_FLOAT:
        if (isnan(o->u.f)) {
            *null = 1;
            return NULL;
        }
        vqi_format_double(o->u.f, buf, sizeof buf);
        return strdup(buf);
    case P_BIGINT: {
        /* beyond int64: shown in floating point, the best a C double does */
        double v = 0;
        for (size_t i = o->u.s.n; i-- > 0;)
            v = v * 256 + o->u.s.p[i];
        if (o->u.s.n && (o->u.s.p[o->u.s.n - 1] & 0x80))
            v -= ldexp(1.0, (int)(8 * o->u.s.n));
        snprintf(buf, sizeof buf, "%.0f", v);
        return strdup(buf);
    }
    default:
        if (pobj_is_call_of(o, G_NP_SCALAR))
            return numpy_scalar_text(x, o, null);
        if (pobj_is_call_of(o, G_TIMESTAMP))
            return timestamp_text(x, o);
        vqi_err_set(x->err, VQI_EXIT_USAGE,
                    "not a DataFrame pickle vqi understands: %s inside an object column",
                    describe(o));
        return NULL;
    }
}

/* Rows of an array used as a column: a 1-D array, or one row of a 2-D block. */
static uint64_t nd_rows(const ndarr *a)
{
    return a->ndim == 2 ? a->shape[1] : a->ndim == 1 ? a->shape[0] : 1;
}

static int is_array_obj(const pobj *o)
{
    return pobj_is_call_of(o, G_NP_FROMBUFFER) ||
           (o && o->type == P_CALL && o->u.call.fn && o->u.call.fn->gid == G_NP_RECONSTRUCT);
}

/* One per-row numpy array (object column cell) as a vqi_array. */
static int row_array(ctx *x, const pobj *o, vqi_array *out)
{
    ndarr a;
    if (nd_from_obj(o, &a, x->a, x->err) < 0)
        return -1;
    if (a.kind == 'O' || a.kind == 'M' || a.kind == 'm')
        return bad(x, "array of objects or dates inside an object column");
    uint64_t n = a.ndim == 2 ? a.shape[0] * a.shape[1] : a.ndim == 1 ? a.shape[0] : 1;
    if (n > UINT32_MAX)
        return bad(x, "per-row array too large");
    out->n = (uint32_t)n;
    out->ndim = (uint8_t)(a.ndim == 0 ? 1 : a.ndim);
    out->shape[0] = (uint32_t)(a.ndim >= 1 ? a.shape[0] : 1);
    out->shape[1] = (uint32_t)(a.ndim == 2 ? a.shape[1] : 0);
    out->is_int = a.kind != 'f';
    out->v = malloc((n ? n : 1) * sizeof(double));
    if (!out->v)
        return oom(x);
    for (uint64_t k = 0; k < n; k++) {   /* logical C order */
        size_t idx = (size_t)k;
        if (a.ndim == 2 && a.fortran)
            idx = (size_t)(k / a.shape[1] + (k % a.shape[1]) * a.shape[0]);
        out->v[k] = nd_get_f64(&a, idx);
    }
    return 0;
}

static int fill_object_column(ctx *x, vqi_table *t, vqi_column *col, const ndarr *a, uint64_t c)
{
    const pobj *list = a->objs;
    uint64_t rows = nd_rows(a);
    /* object lists are in logical C order whatever the memory layout */
    size_t base = a->ndim == 2 ? (size_t)(c * a->shape[1]) : 0;
    int arrays = 0, others = 0;
    for (uint64_t r = 0; r < rows; r++) {
        const pobj *o = list->u.seq.v[base + r];
        if (is_array_obj(o))
            arrays++;
        else if (o->type != P_NONE && !(o->type == P_GLOBAL && o->gid == G_NA))
            others++;
    }
    if (arrays && !others) {
        /* switch the placeholder STR column to an ARRAY column */
        free(col->str);
        col->str = NULL;
        col->arr = calloc(t->cap_rows ? t->cap_rows : 1, sizeof *col->arr);
        if (!col->arr)
            return oom(x);
        col->type = VQI_COL_ARRAY;
        for (uint64_t r = 0; r < rows; r++) {
            const pobj *o = list->u.seq.v[base + r];
            if (is_array_obj(o) && row_array(x, o, &col->arr[r]) < 0)
                return -1;
        }
        return 0;
    }
    for (uint64_t r = 0; r < rows; r++) {
        int null;
        char *s = scalar_text(x, list->u.seq.v[base + r], &null);
        if (!s && !null)
            return -1;
        col->str[r] = s;
    }
    return 0;
}

/* Add column `name` holding column c of array a (t->nrows rows). */
static vqi_column *add_array_column(ctx *x, vqi_table *t, const char *name, const ndarr *a,
                                    uint64_t c)
{
    if (nd_rows(a) != t->nrows) {
        vqi_err_set(x->err, VQI_EXIT_USAGE,
                    "not a DataFrame pickle vqi understands: column '%s' has %llu rows, "
                    "the index %zu", name, (unsigned long long)nd_rows(a), t->nrows);
        return NULL;
    }
    vqi_coltype type = a->kind == 'f' ? VQI_COL_F64 : a->kind == 'b' ? VQI_COL_BOOL
                     : a->kind == 'O' ? VQI_COL_STR : a->kind == 'M' ? VQI_COL_DATETIME
                     : VQI_COL_I64;
    vqi_column *col = vqi_table_add(t, name, type);
    if (!col) {
        oom(x);
        return NULL;
    }
    snprintf(col->dtype, sizeof col->dtype, "%s", a->dtype_name);
    size_t n = t->nrows;
    if (a->kind == 'O') {
        if (fill_object_column(x, t, col, a, c) < 0)
            return NULL;
        return col;
    }
    int contiguous = !a->swap && (a->ndim < 2 || !a->fortran || a->shape[0] == 1);
    const uint8_t *src = a->raw + nd_index(a, c, 0) * a->itemsize;
    switch (type) {
    case VQI_COL_F64:
        if (contiguous && a->itemsize == 8)
            memcpy(col->f64, src, n * 8);
        else
            for (size_t r = 0; r < n; r++)
                col->f64[r] = nd_get_f64(a, nd_index(a, c, r));
        break;
    case VQI_COL_I64:
        if (contiguous && a->itemsize == 8 && a->kind == 'i')
            memcpy(col->i64, src, n * 8);
        else
            for (size_t r = 0; r < n; r++)
                col->i64[r] = nd_get_i64(a, nd_index(a, c, r));
        break;
    case VQI_COL_BOOL:
        for (size_t r = 0; r < n; r++)
            col->b[r] = src[contiguous ? r : nd_index(a, c, r) - nd_index(a, c, 0)] != 0;
        break;
    case VQI_COL_DATETIME:
        for (size_t r = 0; r < n; r++) {
            int64_t v = nd_get_i64(a, nd_index(a, c, r));
            if (v == INT64_MIN) {                       /* NaT */
                if (vqi_table_set_na(t, col, r) < 0) {
                    oom(x);
                    return NULL;
                }
            } else
                col->i64[r] = v * a->unit_ns;
        }
        break;
    default:
        break;
    }
    if (x->release_pages && contiguous)
        release_range(src, n * a->itemsize);
    return col;
}

/* ---- categoricals ---- */

static int index_columns(ctx *x, vqi_table *t, const pobj *idx);

static int is_categorical(const pobj *o)
{
    if (pobj_is_call_of(o, G_CATEGORICAL))
        return 1;
    const pobj *cls = pobj_is_call_of(o, G_NDARRAYBACKED) ? pobj_arg(o, 0) : NULL;
    return cls && cls->type == P_GLOBAL && cls->gid == G_CATEGORICAL;
}

/* A Categorical as a text column (dtype "category"), -1 code = missing. */
static vqi_column *add_categorical(ctx *x, vqi_table *t, const char *name, const pobj *o)
{
    const pobj *st = o->u.call.state, *codes_obj = NULL, *dtype = NULL, *cats = NULL;
    if (st && st->type == P_TUPLE) {              /* (dtype, codes, attrs) */
        dtype = pobj_item(st, 0);
        codes_obj = pobj_item(st, 1);
    } else {                                      /* older: attribute dict */
        codes_obj = pobj_dict_get(st, "_codes");
        dtype = pobj_dict_get(st, "_dtype");
        cats = pobj_dict_get(st, "_categories");
    }
    if (!cats && dtype && dtype->type == P_CALL)
        cats = pobj_dict_get(dtype->u.call.state, "categories");
    ndarr codes;
    if (!codes_obj || !cats) {
        bad(x, "Categorical without codes or categories");
        return NULL;
    }
    if (nd_from_obj(codes_obj, &codes, x->a, x->err) < 0)
        return NULL;
    if (codes.kind != 'i' || nd_rows(&codes) != t->nrows || codes.ndim != 1) {
        bad(x, "Categorical codes do not match the index");
        return NULL;
    }
    vqi_table *ct = vqi_table_new();
    if (!ct) {
        oom(x);
        return NULL;
    }
    vqi_column *col = NULL;
    if (index_columns(x, ct, cats) < 0 || ct->ncols != 1)
        goto done;
    if (!(col = vqi_table_add(t, name, VQI_COL_STR))) {
        oom(x);
        goto done;
    }
    snprintf(col->dtype, sizeof col->dtype, "category");
    char buf[128];
    for (size_t r = 0; r < t->nrows; r++) {
        int64_t k = nd_get_i64(&codes, r);
        if (k < 0)
            continue;
        if ((uint64_t)k >= ct->nrows) {
            bad(x, "Categorical code out of range");
            col = NULL;
            goto done;
        }
        if (!(col->str[r] = strdup(vqi_cell_text(&ct->cols[0], (size_t)k, buf, sizeof buf)))) {
            oom(x);
            col = NULL;
            goto done;
        }
    }
done:
    vqi_table_free(ct);
    return col;
}

/* ---- nullable arrays (Int64, Float64, boolean) ---- */

static int is_masked(const pobj *o)
{
    return pobj_is_call_of(o, G_MASKED);
}

/* values in '_data', missing where '_mask' is true. */
static vqi_column *add_masked(ctx *x, vqi_table *t, const char *name, const pobj *o)
{
    const pobj *st = o->u.call.state;
    ndarr data, mask;
    const pobj *d = pobj_dict_get(st, "_data"), *m = pobj_dict_get(st, "_mask");
    if (!d || !m) {
        bad(x, "nullable array without _data and _mask");
        return NULL;
    }
    if (nd_from_obj(d, &data, x->a, x->err) < 0 || nd_from_obj(m, &mask, x->a, x->err) < 0)
        return NULL;
    if (data.ndim != 1 || mask.ndim != 1 || mask.kind != 'b' || mask.shape[0] != data.shape[0]) {
        bad(x, "nullable array with a mask of another shape");
        return NULL;
    }
    vqi_column *col = add_array_column(x, t, name, &data, 0);
    if (!col)
        return NULL;
    /* pandas' names of the nullable dtypes: Int64, UInt8, Float64, boolean */
    if (data.kind == 'b')
        snprintf(col->dtype, sizeof col->dtype, "boolean");
    else
        snprintf(col->dtype, sizeof col->dtype, "%s%u", data.kind == 'f' ? "Float"
                 : data.kind == 'u' ? "UInt" : "Int", data.itemsize * 8);
    for (size_t r = 0; r < t->nrows; r++)
        if (mask.raw[r] && vqi_table_set_na(t, col, r) < 0) {
            oom(x);
            return NULL;
        }
    return col;
}

/* ---- index ---- */

/* The first index decides the row count; later ones must agree. */
static int set_rows(ctx *x, vqi_table *t, uint64_t n)
{
    if (t->ncols == 0 && t->nrows == 0) {
        if (n > SIZE_MAX / 16 || vqi_table_resize(t, (size_t)n) < 0)
            return oom(x);
        return 0;
    }
    if (n != t->nrows)
        return bad(x, "index levels of different lengths");
    return 0;
}

static char *name_text(ctx *x, const pobj *o)
{
    int null;
    if (!o)
        return strdup("");
    char *s = scalar_text(x, o, &null);
    return s ? s : null ? strdup("") : NULL;
}

static int add_index_array(ctx *x, vqi_table *t, const pobj *data, const pobj *name_obj)
{
    if (is_categorical(data)) {
        const pobj *st = data->u.call.state;
        const pobj *codes = st && st->type == P_TUPLE ? pobj_item(st, 1) : pobj_dict_get(st, "_codes");
        ndarr c;
        if (!codes || nd_from_obj(codes, &c, x->a, x->err) < 0 || set_rows(x, t, nd_rows(&c)) < 0)
            return -1;
        char *name = name_text(x, name_obj);
        vqi_column *col = name ? add_categorical(x, t, name, data) : NULL;
        free(name);
        if (!col)
            return -1;
        col->is_index = 1;
        return 0;
    }
    ndarr a;
    if (nd_from_obj(data, &a, x->a, x->err) < 0)
        return -1;
    if (a.ndim != 1)
        return bad(x, "index data is not one-dimensional");
    if (set_rows(x, t, a.shape[0]) < 0)
        return -1;
    char *name = name_text(x, name_obj);
    if (!name)
        return -1;
    vqi_column *col = add_array_column(x, t, name, &a, 0);
    free(name);
    if (!col)
        return -1;
    col->is_index = 1;
    return 0;
}

static int range_index(ctx *x, vqi_table *t, const pobj *d)
{
    int64_t start = 0, stop = 0, step = 1;
    pobj_int(pobj_dict_get(d, "start"), &start);
    if (!pobj_int(pobj_dict_get(d, "stop"), &stop))
        return bad(x, "RangeIndex without stop");
    pobj_int(pobj_dict_get(d, "step"), &step);
    if (step == 0)
        return bad(x, "RangeIndex with step 0");
    /* count in 128-bit-safe steps: (stop - start) may overflow int64 */
    long double span = (long double)stop - (long double)start;
    long double cnt = span / step;
    uint64_t n = cnt <= 0 ? 0 : (uint64_t)ceill(cnt);
    /* a frame with columns needs at least a byte per row in the stream */
    if (n > x->max_rows)
        return bad(x, "RangeIndex longer than the data could hold");
    if (set_rows(x, t, n) < 0)
        return -1;
    char *name = name_text(x, pobj_dict_get(d, "name"));
    vqi_column *col = name ? vqi_table_add(t, name, VQI_COL_I64) : NULL;
    free(name);
    if (!col)
        return oom(x);
    col->is_index = 1;
    for (size_t r = 0; r < t->nrows; r++)
        col->i64[r] = (int64_t)((uint64_t)start + (uint64_t)r * (uint64_t)step);  /* no UB */
    return 0;
}

static int multi_index(ctx *x, vqi_table *t, const pobj *d)
{
    const pobj *levels = pobj_dict_get(d, "levels");
    const pobj *codes = pobj_dict_get(d, "codes");
    const pobj *names = pobj_dict_get(d, "names");
    if (!codes)
        codes = pobj_dict_get(d, "labels");       /* pandas < 0.24 */
    if (!levels || !codes || levels->type != P_LIST || codes->type != P_LIST ||
        levels->u.seq.n != codes->u.seq.n || levels->u.seq.n == 0)
        return bad(x, "MultiIndex without matching levels and codes");
    for (size_t l = 0; l < levels->u.seq.n; l++) {
        ndarr c;
        if (nd_from_obj(codes->u.seq.v[l], &c, x->a, x->err) < 0)
            return -1;
        if (c.ndim != 1 || (c.kind != 'i' && c.kind != 'u'))
            return bad(x, "MultiIndex codes are not integers");
        if (set_rows(x, t, c.shape[0]) < 0)
            return -1;
        vqi_table *lt = vqi_table_new();
        if (!lt)
            return oom(x);
        if (index_columns(x, lt, levels->u.seq.v[l]) < 0 || lt->ncols != 1) {
            vqi_table_free(lt);
            return lt->ncols != 1 ? bad(x, "MultiIndex level is not a flat index") : -1;
        }
        char *name = name_text(x, pobj_item(names, l));
        const vqi_column *lv = &lt->cols[0];
        vqi_column *col = name ? vqi_table_add(t, name, lv->type == VQI_COL_ARRAY ? VQI_COL_STR
                                                                                  : lv->type)
                               : NULL;
        free(name);
        if (!col) {
            vqi_table_free(lt);
            return oom(x);
        }
        col->is_index = 1;
        memcpy(col->dtype, lv->dtype, sizeof col->dtype);
        int rc = 0;
        for (size_t r = 0; r < t->nrows && rc == 0; r++) {
            int64_t k = nd_get_i64(&c, r);
            if (k < 0) {
                rc = vqi_table_set_na(t, col, r) < 0 ? oom(x) : 0;
                continue;
            }
            if ((uint64_t)k >= lt->nrows) {
                rc = bad(x, "MultiIndex code out of range");
                break;
            }
            switch (col->type) {
            case VQI_COL_F64: col->f64[r] = lv->f64[k]; break;
            case VQI_COL_I64: case VQI_COL_DATETIME: col->i64[r] = lv->i64[k]; break;
            case VQI_COL_BOOL: col->b[r] = lv->b[k]; break;
            default:
                if (lv->str && lv->str[k] && !(col->str[r] = strdup(lv->str[k])))
                    rc = oom(x);
                break;
            }
            if (vqi_cell_is_na(lv, (size_t)k) && col->type != VQI_COL_STR)
                vqi_table_set_na(t, col, r);
        }
        vqi_table_free(lt);
        if (rc < 0)
            return -1;
    }
    return 0;
}

/* Append the columns of an index object to t (flagged is_index). */
static int index_columns(ctx *x, vqi_table *t, const pobj *idx)
{
    if (pobj_is_call_of(idx, G_NEW_INDEX) || pobj_is_call_of(idx, G_NEW_DATETIMEINDEX)) {
        const pobj *cls = pobj_arg(idx, 0), *d = pobj_arg(idx, 1);
        if (!cls || cls->type != P_GLOBAL || !d || d->type != P_DICT)
            return bad(x, "index without its class and attributes");
        if (cls->gid == G_RANGEINDEX)
            return range_index(x, t, d);
        if (cls->gid == G_MULTIINDEX)
            return multi_index(x, t, d);
        const pobj *data = pobj_dict_get(d, "data");
        if (!data)
            return bad(x, "index without data");
        return add_index_array(x, t, data, pobj_dict_get(d, "name"));
    }
    if (is_array_obj(idx))                         /* very old layouts: a bare array */
        return add_index_array(x, t, idx, NULL);
    return vqi_err_set(x->err, VQI_EXIT_USAGE,
                       "not a DataFrame pickle vqi understands: index is %s", describe(idx));
}

/* ---- blocks ---- */

typedef struct block {
    const pobj *values;
    const pobj *placement;
} block;

/* Column positions of a block: slice(start, stop, step) or int array. */
static int placement(ctx *x, const pobj *p, uint64_t count, size_t ncols, size_t *pos)
{
    if (pobj_is_call_of(p, G_SLICE)) {
        int64_t start = 0, stop = 0, step = 1;
        const pobj *s0 = pobj_arg(p, 0), *s2 = pobj_arg(p, 2);
        if (s0 && s0->type != P_NONE && !pobj_int(s0, &start))
            return bad(x, "block placement slice");
        if (!pobj_int(pobj_arg(p, 1), &stop))
            return bad(x, "block placement slice without stop");
        if (s2 && s2->type != P_NONE && !pobj_int(s2, &step))
            return bad(x, "block placement slice");
        if (step <= 0 || start < 0 || (uint64_t)start >= ncols + (count == 0) ||
            (count > 1 && (uint64_t)step > ncols))
            return bad(x, "block placement slice");
        for (uint64_t i = 0; i < count; i++) {
            int64_t v = (int64_t)((uint64_t)start + i * (uint64_t)step);
            if (v >= stop || (uint64_t)v >= ncols)
                return bad(x, "block placement beyond the columns");
            pos[i] = (size_t)v;
        }
        return 0;
    }
    ndarr a;
    if (nd_from_obj(p, &a, x->a, x->err) < 0)
        return -1;
    if ((a.kind != 'i' && a.kind != 'u') || a.ndim != 1 || a.shape[0] != count)
        return bad(x, "block placement does not match its values");
    for (uint64_t i = 0; i < count; i++) {
        int64_t v = nd_get_i64(&a, (size_t)i);
        if (v < 0 || (uint64_t)v >= ncols)
            return bad(x, "block placement beyond the columns");
        pos[i] = (size_t)v;
    }
    return 0;
}

/* Collect (values, placement) of each block, and the axes. */
static int manager_parts(ctx *x, const pobj *mgr, const pobj **axes, block **blocks, size_t *nb)
{
    const pobj *list = NULL;
    *nb = 0;
    *blocks = NULL;
    if (mgr->u.call.state) {
        /* BUILD form: (axes, values, items, {'0.14.1': {axes, blocks}}) */
        const pobj *st = mgr->u.call.state;
        const pobj *extra = pobj_dict_get(pobj_item(st, 3), "0.14.1");
        if (!extra)
            return bad(x, "BlockManager state of a pandas older than 0.14.1");
        *axes = pobj_dict_get(extra, "axes");
        list = pobj_dict_get(extra, "blocks");
    } else {
        /* reduce form: BlockManager(blocks, axes) */
        list = pobj_arg(mgr, 0);
        *axes = pobj_arg(mgr, 1);
    }
    if (!list || (list->type != P_LIST && list->type != P_TUPLE) || !*axes ||
        ((*axes)->type != P_LIST && (*axes)->type != P_TUPLE))
        return bad(x, "BlockManager without blocks and axes");
    *blocks = calloc(list->u.seq.n ? list->u.seq.n : 1, sizeof **blocks);
    if (!*blocks)
        return oom(x);
    for (size_t i = 0; i < list->u.seq.n; i++) {
        const pobj *b = list->u.seq.v[i];
        if (pobj_is_call_of(b, G_UNPICKLE_BLOCK)) {
            (*blocks)[i].values = pobj_arg(b, 0);
            (*blocks)[i].placement = pobj_arg(b, 1);
        } else if (b->type == P_DICT) {
            (*blocks)[i].values = pobj_dict_get(b, "values");
            (*blocks)[i].placement = pobj_dict_get(b, "mgr_locs");
        }
        if (!(*blocks)[i].values || !(*blocks)[i].placement)
            return bad(x, "block without values or placement");
    }
    *nb = list->u.seq.n;
    return 0;
}

/* ---- the frame ---- */

typedef struct built_block {
    ndarr nd;
    int categorical;         /* a 1-D extension array: Categorical or nullable */
    uint64_t width;          /* columns held */
} built_block;

static int column_names(ctx *x, const pobj *cols, vqi_table **names)
{
    *names = vqi_table_new();
    if (!*names)
        return oom(x);
    if (index_columns(x, *names, cols) < 0)
        return -1;
    if ((*names)->ncols != 1)
        return bad(x, "MultiIndex columns are not supported");
    return 0;
}

static int build_columns(ctx *x, vqi_table *t, const block *blocks, size_t nb,
                         const vqi_table *names, const char *series_name)
{
    size_t ncols = names ? names->nrows : 1;
    built_block *bb = calloc(nb ? nb : 1, sizeof *bb);
    size_t *slot_b = malloc((ncols ? ncols : 1) * sizeof *slot_b);
    size_t *slot_k = malloc((ncols ? ncols : 1) * sizeof *slot_k);
    size_t *pos = NULL;
    int rc = -1;
    if (!bb || !slot_b || !slot_k) {
        oom(x);
        goto done;
    }
    for (size_t i = 0; i < ncols; i++)
        slot_b[i] = SIZE_MAX;
    for (size_t b = 0; b < nb; b++) {
        if (is_categorical(blocks[b].values) || is_masked(blocks[b].values)) {
            bb[b].categorical = 1;      /* 1-D extension arrays: one column */
            bb[b].width = 1;
        } else {
            if (nd_from_obj(blocks[b].values, &bb[b].nd, x->a, x->err) < 0)
                goto done;
            bb[b].width = bb[b].nd.ndim == 2 ? bb[b].nd.shape[0] : 1;
        }
        if (bb[b].width > ncols) {
            bad(x, "block wider than the columns");
            goto done;
        }
        free(pos);
        pos = malloc((bb[b].width ? bb[b].width : 1) * sizeof *pos);
        if (!pos) {
            oom(x);
            goto done;
        }
        if (placement(x, blocks[b].placement, bb[b].width, ncols, pos) < 0)
            goto done;
        for (uint64_t k = 0; k < bb[b].width; k++) {
            if (slot_b[pos[k]] != SIZE_MAX) {
                bad(x, "two blocks hold the same column");
                goto done;
            }
            slot_b[pos[k]] = b;
            slot_k[pos[k]] = (size_t)k;
        }
    }
    char buf[256];
    for (size_t i = 0; i < ncols; i++) {
        if (slot_b[i] == SIZE_MAX) {
            bad(x, "a column is in no block");
            goto done;
        }
        const char *name = names ? vqi_cell_text(&names->cols[0], i, buf, sizeof buf) : series_name;
        const built_block *b = &bb[slot_b[i]];
        const pobj *v = blocks[slot_b[i]].values;
        vqi_column *col = !b->categorical ? add_array_column(x, t, name, &b->nd, slot_k[i])
                        : is_masked(v) ? add_masked(x, t, name, v)
                                       : add_categorical(x, t, name, v);
        if (!col)
            goto done;
    }
    rc = 0;
done:
    free(bb);
    free(slot_b);
    free(slot_k);
    free(pos);
    return rc;
}

vqi_table *frame_from_obj(const pobj *top, arena *a, int release_pages, size_t data_len,
                          vqi_err *err)
{
    ctx x = {a, err, release_pages, 0};
    int series = pobj_is_call_of(top, G_SERIES);
    if (!series && !pobj_is_call_of(top, G_DATAFRAME)) {
        vqi_err_set(err, VQI_EXIT_USAGE, "pickle holds %s, not a pandas DataFrame or Series",
                    describe(top));
        return NULL;
    }
    const pobj *st = top->u.call.state;
    const pobj *mgr = pobj_dict_get(st, "_mgr");
    if (!mgr)
        mgr = pobj_dict_get(st, "_data");             /* pandas < 1.1 */
    if (!pobj_is_call_of(mgr, G_BLOCKMANAGER) && !pobj_is_call_of(mgr, G_SINGLEBLOCKMANAGER)) {
        vqi_err_set(err, VQI_EXIT_USAGE,
                    "not a DataFrame pickle vqi understands: its data is %s, not a BlockManager",
                    describe(mgr));
        return NULL;
    }
    const pobj *axes = NULL;
    block *blocks = NULL;
    size_t nb;
    vqi_table *t = NULL, *names = NULL;
    char *series_name = NULL;
    if (manager_parts(&x, mgr, &axes, &blocks, &nb) < 0)
        goto fail;
    /* every row of a frame with columns takes at least one byte of the
     * stream; a frame without columns gets a generous fixed bound */
    x.max_rows = nb ? data_len : (uint64_t)1 << 24;
    if (axes->u.seq.n != (series ? 1u : 2u)) {
        bad(&x, "wrong number of axes");
        goto fail;
    }
    if (!(t = vqi_table_new())) {
        oom(&x);
        goto fail;
    }
    if (index_columns(&x, t, axes->u.seq.v[series ? 0 : 1]) < 0)
        goto fail;
    if (series) {
        /* to_frame() names the column after the Series, 0 when unnamed */
        const pobj *n = pobj_dict_get(st, "name");
        series_name = n && n->type != P_NONE ? name_text(&x, n) : strdup("0");
        if (!series_name)
            goto fail;
    } else if (column_names(&x, axes->u.seq.v[0], &names) < 0)
        goto fail;
    if (build_columns(&x, t, blocks, nb, names, series_name) < 0)
        goto fail;
    free(blocks);
    free(series_name);
    vqi_table_free(names);
    return t;
fail:
    free(blocks);
    free(series_name);
    vqi_table_free(names);
    vqi_table_free(t);
    return NULL;
}
