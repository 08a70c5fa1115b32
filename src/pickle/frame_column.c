/* frame_column.c - the cells and columns of a pandas DataFrame rebuilt from
 * the pickle object graph: numbers, bools, datetime64, object columns
 * (strings, numpy scalars, Timestamps, per-row arrays), categoricals and
 * nullable (masked) arrays.  frame.c assembles them into the table. */
#include "frame_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

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

int frame_bad(frame_ctx *x, const char *what)
{
    return vqi_err_set(x->err, VQI_EXIT_USAGE, "not a DataFrame pickle vqi understands: %s", what);
}

int frame_oom(frame_ctx *x)
{
    return vqi_err_set(x->err, VQI_EXIT_FAIL, "out of memory");
}

const char *frame_describe(const pobj *o)
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
static char *numpy_scalar_text(frame_ctx *x, const pobj *o, int *null)
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
        frame_bad(x, "numpy scalar of an unsupported kind inside an object column");
        return NULL;
    }
    return strdup(buf);
}

/* pandas.Timestamp (naive) in an object column: str(Timestamp), i.e.
 * seconds, plus microseconds or nanoseconds when there are any. */
static char *timestamp_text(frame_ctx *x, const pobj *o)
{
    int64_t ns;
    const pobj *tz = pobj_arg(o, 2);
    if (!pobj_int(pobj_arg(o, 0), &ns) || (tz && tz->type != P_NONE)) {
        frame_bad(x, "Timestamp with a time zone or without a value");
        return NULL;
    }
    int64_t frac = ns % 1000000000;
    if (frac < 0)
        frac += 1000000000;
    char buf[64];
    vqi_format_datetime(ns, frac % 1000 ? 4 : frac ? 3 : 1, buf, sizeof buf);
    return strdup(buf);
}

/* Python prints no int of more than 4,300 digits (sys.int_info.
 * default_max_str_digits), so pandas cannot write one to a CSV; vqi refuses
 * the same ints, which also keeps the quadratic conversion below cheap. */
#define BIGINT_MAX_DIGITS 4300
#define BIGINT_MAX_BYTES 1800          /* 256^1800 > 10^4300 */

/* Exact decimal text of a LONG1/LONG4 payload (little-endian two's
 * complement, beyond int64), as Python's str(int): the magnitude in 32-bit
 * limbs, divided by 10^9 until nothing is left. */
static char *bigint_text(frame_ctx *x, const uint8_t *p, size_t n)
{
    if (n > BIGINT_MAX_BYTES) {
        vqi_err_set(x->err, VQI_EXIT_USAGE,
                    "int of %zu bytes inside an object column: more than the %d digits Python prints",
                    n, BIGINT_MAX_DIGITS);
        return NULL;
    }
    int neg = n && (p[n - 1] & 0x80);
    size_t nlimb = (n + 3) / 4;
    uint32_t *limb = calloc(nlimb ? nlimb : 1, sizeof *limb);
    size_t maxchunk = nlimb * 32 / 29 + 2;      /* 10^9 > 2^29 */
    uint32_t *chunk = malloc(maxchunk * sizeof *chunk);
    char *text = malloc(maxchunk * 9 + 2);
    if (!limb || !chunk || !text) {
        free(limb);
        free(chunk);
        free(text);
        frame_oom(x);
        return NULL;
    }
    for (size_t i = 0; i < nlimb * 4; i++) {
        uint32_t byte = i < n ? p[i] : neg ? 0xff : 0;
        limb[i / 4] |= byte << (8 * (i % 4));
    }
    if (neg) {                          /* magnitude = ~v + 1 */
        uint64_t carry = 1;
        for (size_t i = 0; i < nlimb; i++) {
            uint64_t v = (uint64_t)(uint32_t)~limb[i] + carry;
            limb[i] = (uint32_t)v;
            carry = v >> 32;
        }
    }
    size_t nchunk = 0, top = nlimb;
    while (top && limb[top - 1] == 0)
        top--;
    do {
        uint64_t rem = 0;
        for (size_t i = top; i-- > 0;) {
            uint64_t cur = rem << 32 | limb[i];
            limb[i] = (uint32_t)(cur / 1000000000u);
            rem = cur % 1000000000u;
        }
        chunk[nchunk++] = (uint32_t)rem;
        while (top && limb[top - 1] == 0)
            top--;
    } while (top);
    char *w = text;
    if (neg)
        *w++ = '-';
    w += sprintf(w, "%u", (unsigned)chunk[nchunk - 1]);
    for (size_t i = nchunk - 1; i-- > 0;)
        w += sprintf(w, "%09u", (unsigned)chunk[i]);
    free(limb);
    free(chunk);
    if ((size_t)(w - text) - (size_t)neg > BIGINT_MAX_DIGITS) {
        free(text);
        vqi_err_set(x->err, VQI_EXIT_USAGE,
                    "int inside an object column: more than the %d digits Python prints",
                    BIGINT_MAX_DIGITS);
        return NULL;
    }
    return text;
}

/* Text of a scalar object the way pandas writes it in a CSV cell; *null
 * set for None / NaN.  Returns malloc'd text, NULL on unsupported objects
 * (err filled) or out of memory. */
char *frame_scalar_text(frame_ctx *x, const pobj *o, int *null)
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
            frame_oom(x);
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
    case P_BIGINT:
        return bigint_text(x, o->u.s.p, o->u.s.n);
    default:
        if (pobj_is_call_of(o, G_NP_SCALAR))
            return numpy_scalar_text(x, o, null);
        if (pobj_is_call_of(o, G_TIMESTAMP))
            return timestamp_text(x, o);
        vqi_err_set(x->err, VQI_EXIT_USAGE,
                    "not a DataFrame pickle vqi understands: %s inside an object column",
                    frame_describe(o));
        return NULL;
    }
}

/* Rows of an array used as a column: a 1-D array, or one row of a 2-D block. */
uint64_t frame_nd_rows(const ndarr *a)
{
    return a->ndim == 2 ? a->shape[1] : a->ndim == 1 ? a->shape[0] : 1;
}

int frame_is_array_obj(const pobj *o)
{
    return pobj_is_call_of(o, G_NP_FROMBUFFER) ||
           (o && o->type == P_CALL && o->u.call.fn && o->u.call.fn->gid == G_NP_RECONSTRUCT);
}

/* One per-row numpy array (object column cell) as a vqi_array. */
static int row_array(frame_ctx *x, const pobj *o, vqi_array *out)
{
    ndarr a;
    if (nd_from_obj(o, &a, x->a, x->err) < 0)
        return -1;
    if (a.kind == 'O' || a.kind == 'M' || a.kind == 'm')
        return frame_bad(x, "array of objects or dates inside an object column");
    uint64_t n = a.ndim == 2 ? a.shape[0] * a.shape[1] : a.ndim == 1 ? a.shape[0] : 1;
    if (n > UINT32_MAX)
        return frame_bad(x, "per-row array too large");
    out->n = (uint32_t)n;
    out->ndim = (uint8_t)(a.ndim == 0 ? 1 : a.ndim);
    out->shape[0] = (uint32_t)(a.ndim >= 1 ? a.shape[0] : 1);
    out->shape[1] = (uint32_t)(a.ndim == 2 ? a.shape[1] : 0);
    out->is_int = a.kind != 'f';
    out->v = malloc((n ? n : 1) * sizeof(double));
    if (!out->v)
        return frame_oom(x);
    for (uint64_t k = 0; k < n; k++) {   /* logical C order */
        size_t idx = (size_t)k;
        if (a.ndim == 2 && a.fortran)
            idx = (size_t)(k / a.shape[1] + (k % a.shape[1]) * a.shape[0]);
        out->v[k] = nd_get_f64(&a, idx);
    }
    return 0;
}

static int fill_object_column(frame_ctx *x, vqi_table *t, vqi_column *col, const ndarr *a, uint64_t c)
{
    const pobj *list = a->objs;
    uint64_t rows = frame_nd_rows(a);
    /* object lists are in logical C order whatever the memory layout */
    size_t base = a->ndim == 2 ? (size_t)(c * a->shape[1]) : 0;
    int arrays = 0, others = 0;
    for (uint64_t r = 0; r < rows; r++) {
        const pobj *o = list->u.seq.v[base + r];
        if (frame_is_array_obj(o))
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
            return frame_oom(x);
        col->type = VQI_COL_ARRAY;
        for (uint64_t r = 0; r < rows; r++) {
            const pobj *o = list->u.seq.v[base + r];
            if (frame_is_array_obj(o) && row_array(x, o, &col->arr[r]) < 0)
                return -1;
        }
        return 0;
    }
    for (uint64_t r = 0; r < rows; r++) {
        int null;
        char *s = frame_scalar_text(x, list->u.seq.v[base + r], &null);
        if (!s && !null)
            return -1;
        col->str[r] = s;
    }
    return 0;
}

/* Add column `name` holding column c of array a (t->nrows rows). */
vqi_column *frame_add_array_column(frame_ctx *x, vqi_table *t, const char *name, const ndarr *a,
                                   uint64_t c)
{
    if (frame_nd_rows(a) != t->nrows) {
        vqi_err_set(x->err, VQI_EXIT_USAGE,
                    "not a DataFrame pickle vqi understands: column '%s' has %llu rows, "
                    "the index %zu", name, (unsigned long long)frame_nd_rows(a), t->nrows);
        return NULL;
    }
    vqi_coltype type = a->kind == 'f' ? VQI_COL_F64 : a->kind == 'b' ? VQI_COL_BOOL
                     : a->kind == 'O' ? VQI_COL_STR : a->kind == 'M' ? VQI_COL_DATETIME
                     : VQI_COL_I64;
    vqi_column *col = vqi_table_add(t, name, type);
    if (!col) {
        frame_oom(x);
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
                    frame_oom(x);
                    return NULL;
                }
            } else if (__builtin_mul_overflow(v, a->unit_ns, &col->i64[r])) {
                /* beyond datetime64[ns] (years 1677-2262): pandas refuses it too */
                frame_bad(x, "a datetime outside the range of datetime64[ns]");
                return NULL;
            }
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

int frame_is_categorical(const pobj *o)
{
    if (pobj_is_call_of(o, G_CATEGORICAL))
        return 1;
    const pobj *cls = pobj_is_call_of(o, G_NDARRAYBACKED) ? pobj_arg(o, 0) : NULL;
    return cls && cls->type == P_GLOBAL && cls->gid == G_CATEGORICAL;
}

/* A Categorical as a text column (dtype "category"), -1 code = missing. */
vqi_column *frame_add_categorical(frame_ctx *x, vqi_table *t, const char *name, const pobj *o)
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
        frame_bad(x, "Categorical without codes or categories");
        return NULL;
    }
    if (nd_from_obj(codes_obj, &codes, x->a, x->err) < 0)
        return NULL;
    if (codes.kind != 'i' || frame_nd_rows(&codes) != t->nrows || codes.ndim != 1) {
        frame_bad(x, "Categorical codes do not match the index");
        return NULL;
    }
    vqi_table *ct = vqi_table_new();
    if (!ct) {
        frame_oom(x);
        return NULL;
    }
    vqi_column *col = NULL;
    if (frame_index_columns(x, ct, cats) < 0 || ct->ncols != 1)
        goto done;
    if (!(col = vqi_table_add(t, name, VQI_COL_STR))) {
        frame_oom(x);
        goto done;
    }
    snprintf(col->dtype, sizeof col->dtype, "category");
    char buf[128];
    for (size_t r = 0; r < t->nrows; r++) {
        int64_t k = nd_get_i64(&codes, r);
        if (k < 0)
            continue;
        if ((uint64_t)k >= ct->nrows) {
            frame_bad(x, "Categorical code out of range");
            col = NULL;
            goto done;
        }
        if (!(col->str[r] = strdup(vqi_cell_text(&ct->cols[0], (size_t)k, buf, sizeof buf)))) {
            frame_oom(x);
            col = NULL;
            goto done;
        }
    }
done:
    vqi_table_free(ct);
    return col;
}

/* ---- nullable arrays (Int64, Float64, boolean) ---- */

int frame_is_masked(const pobj *o)
{
    return pobj_is_call_of(o, G_MASKED);
}

/* values in '_data', missing where '_mask' is true. */
vqi_column *frame_add_masked(frame_ctx *x, vqi_table *t, const char *name, const pobj *o)
{
    const pobj *st = o->u.call.state;
    ndarr data, mask;
    const pobj *d = pobj_dict_get(st, "_data"), *m = pobj_dict_get(st, "_mask");
    if (!d || !m) {
        frame_bad(x, "nullable array without _data and _mask");
        return NULL;
    }
    if (nd_from_obj(d, &data, x->a, x->err) < 0 || nd_from_obj(m, &mask, x->a, x->err) < 0)
        return NULL;
    if (data.ndim != 1 || mask.ndim != 1 || mask.kind != 'b' || mask.shape[0] != data.shape[0]) {
        frame_bad(x, "nullable array with a mask of another shape");
        return NULL;
    }
    vqi_column *col = frame_add_array_column(x, t, name, &data, 0);
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
            frame_oom(x);
            return NULL;
        }
    return col;
}
