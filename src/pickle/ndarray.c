/* ndarray.c - numpy arrays out of the pickle object graph: dtypes (with
 * byte order and datetime units), _frombuffer (protocol 5), _reconstruct +
 * BUILD (protocols 0-4, object arrays), the ndarray inside pandas'
 * NDArrayBacked arrays.  Shapes are checked against the bytes present. */
#include "pickle_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static int bad(vqi_err *err, const char *what)
{
    return vqi_err_set(err, VQI_EXIT_USAGE, "bad numpy array in pickle: %s", what);
}

/* datetime64 unit ("ns", "us", "s", "D" ...) in nanoseconds. */
static int64_t unit_ns(const char *u, size_t n)
{
    static const struct { const char *name; int64_t ns; } units[] = {
        {"ns", 1}, {"us", 1000}, {"ms", 1000000}, {"s", 1000000000},
        {"m", 60000000000LL}, {"h", 3600000000000LL}, {"D", 86400000000000LL},
        {"W", 604800000000000LL},
    };
    for (size_t i = 0; i < sizeof units / sizeof *units; i++)
        if (strlen(units[i].name) == n && memcmp(units[i].name, u, n) == 0)
            return units[i].ns;
    return 0;
}

/* numpy.dtype(code, False, True) + BUILD (version, byteorder, ..., metadata). */
static int parse_dtype(const pobj *d, ndarr *out, vqi_err *err)
{
    const char *code;
    size_t n;
    if (!pobj_is_call_of(d, G_NP_DTYPE) || !pobj_text(pobj_arg(d, 0), &code, &n) || n == 0 ||
        n > 8)
        return bad(err, "dtype is not numpy.dtype(code)");
    char c[9];
    memcpy(c, code, n);
    c[n] = '\0';
    const char *p = c;
    char order = '=';
    if (*p == '<' || *p == '>' || *p == '|' || *p == '=')
        order = *p++;
    out->kind = *p++;
    int size = 0;
    for (; *p >= '0' && *p <= '9'; p++)
        size = size * 10 + (*p - '0');
    if (*p)
        return bad(err, "unsupported dtype code");
    out->itemsize = (uint32_t)size;
    const pobj *st = d->u.call.state;
    const char *bo;
    size_t bon;
    if (st && pobj_text(pobj_item(st, 1), &bo, &bon) && bon == 1)
        order = bo[0];
    out->swap = order == '>';
    out->unit_ns = 1;
    switch (out->kind) {
    case 'f':
        if (size != 4 && size != 8)
            return bad(err, "unsupported float size");
        snprintf(out->dtype_name, sizeof out->dtype_name, "float%d", size * 8);
        break;
    case 'i':
    case 'u':
        if (size != 1 && size != 2 && size != 4 && size != 8)
            return bad(err, "unsupported integer size");
        snprintf(out->dtype_name, sizeof out->dtype_name, "%sint%d",
                 out->kind == 'u' ? "u" : "", size * 8);
        break;
    case 'b':
        if (size != 1)
            return bad(err, "unsupported bool size");
        snprintf(out->dtype_name, sizeof out->dtype_name, "bool");
        break;
    case 'O':
        out->itemsize = 8;
        snprintf(out->dtype_name, sizeof out->dtype_name, "object");
        break;
    case 'M':
    case 'm': {
        if (size != 8)
            return bad(err, "unsupported datetime size");
        /* metadata: ({}, (b'ns', num, den, events)) as the 9th state item */
        const pobj *meta = pobj_item(st, 8);
        const pobj *unit = pobj_item(meta, 1);
        const char *u = "ns";
        size_t un = 2;
        int64_t num = 1;
        if (unit) {
            const pobj *us = pobj_item(unit, 0);
            if (us && (us->type == P_BYTES || us->type == P_STR || us->type == P_STR8)) {
                u = (const char *)us->u.s.p;
                un = us->u.s.n;
            }
            if (!pobj_int(pobj_item(unit, 1), &num) || num < 1)
                num = 1;
        }
        int64_t ns = unit_ns(u, un);
        if (!ns || num > INT64_MAX / ns)
            return bad(err, "unsupported datetime unit");
        out->unit_ns = ns * num;
        snprintf(out->dtype_name, sizeof out->dtype_name, "%s64[ns]",
                 out->kind == 'M' ? "datetime" : "timedelta");
        break;
    }
    default:
        return bad(err, "unsupported dtype kind");
    }
    return 0;
}

static int parse_shape(const pobj *shape, ndarr *out, vqi_err *err)
{
    int64_t v;
    if (shape && shape->type == P_INT) {   /* a bare int is a 1-D shape */
        if (shape->u.i < 0)
            return bad(err, "negative dimension");
        out->ndim = 1;
        out->shape[0] = (uint64_t)shape->u.i;
        return 0;
    }
    if (!shape || shape->type != P_TUPLE || shape->u.seq.n > 2)
        return bad(err, "shape is not a tuple of at most two dimensions");
    out->ndim = (int)shape->u.seq.n;
    out->shape[0] = out->shape[1] = 1;
    for (size_t i = 0; i < shape->u.seq.n; i++) {
        if (!pobj_int(shape->u.seq.v[i], &v) || v < 0)
            return bad(err, "bad dimension");
        out->shape[i] = (uint64_t)v;
    }
    return 0;
}

/* Number of elements, or UINT64_MAX on overflow. */
static uint64_t nd_count(const ndarr *a)
{
    uint64_t n = a->ndim >= 1 ? a->shape[0] : 1;
    if (a->ndim == 2) {
        if (a->shape[1] && n > UINT64_MAX / a->shape[1])
            return UINT64_MAX;
        n *= a->shape[1];
    }
    return n;
}

static int attach_data(const pobj *data, ndarr *out, vqi_err *err)
{
    uint64_t count = nd_count(out);
    if (count == UINT64_MAX)
        return bad(err, "shape too large");
    if (out->kind == 'O') {
        if (!data || data->type != P_LIST)
            return bad(err, "object array without its list of items");
        if (data->u.seq.n != count)
            return vqi_err_set(err, VQI_EXIT_USAGE,
                               "bad numpy array in pickle: shape holds %llu items, list has %zu",
                               (unsigned long long)count, data->u.seq.n);
        out->objs = data;
        return 0;
    }
    if (!data || (data->type != P_BYTES && data->type != P_STR8))
        return bad(err, "array data is not bytes");
    if (count > UINT64_MAX / out->itemsize || count * out->itemsize != data->u.s.n)
        return vqi_err_set(err, VQI_EXIT_USAGE,
                           "bad numpy array in pickle: shape x itemsize = %llu x %u bytes, "
                           "buffer has %zu", (unsigned long long)count, out->itemsize,
                           data->u.s.n);
    out->raw = data->u.s.p;
    out->rawlen = data->u.s.n;
    return 0;
}

static int nd_plain(const pobj *o, ndarr *out, vqi_err *err);

int nd_from_obj(const pobj *o, ndarr *out, arena *a, vqi_err *err)
{
    (void)a;
    memset(out, 0, sizeof *out);
    int string_dtype = 0;
    /* pandas extension arrays backed by an ndarray: the ndarray is in the
     * state, (dtype, ndarray, attrs) or {'_data'/'_ndarray': ndarray} */
    for (int hops = 0; o && hops < 4; hops++) {
        if (pobj_is_call_of(o, G_NDARRAYBACKED) || pobj_is_call_of(o, G_BACKED_ARRAY)) {
            const pobj *st = o->u.call.state;
            const pobj *inner = st && st->type == P_TUPLE ? pobj_item(st, 1)
                              : pobj_dict_get(st, "_ndarray") ? pobj_dict_get(st, "_ndarray")
                                                               : pobj_dict_get(st, "_data");
            if (!inner)
                return bad(err, "pandas array without its data");
            /* StringArray: its dtype is a StringDtype, pandas calls it "string" */
            string_dtype |= st && st->type == P_TUPLE &&
                            pobj_is_call_of(pobj_item(st, 0), G_MASKED_DTYPE);
            o = inner;
            continue;
        }
        break;
    }
    if (nd_plain(o, out, err) < 0)
        return -1;
    if (string_dtype && out->kind == 'O')
        snprintf(out->dtype_name, sizeof out->dtype_name, "string");
    return 0;
}

/* A numpy ndarray proper: _frombuffer, or _reconstruct + BUILD. */
static int nd_plain(const pobj *o, ndarr *out, vqi_err *err)
{
    if (pobj_is_call_of(o, G_NP_FROMBUFFER)) {
        const char *order;
        size_t on;
        if (parse_dtype(pobj_arg(o, 1), out, err) < 0 || parse_shape(pobj_arg(o, 2), out, err) < 0)
            return -1;
        if (out->kind == 'O')
            return bad(err, "object array in a raw buffer");
        out->fortran = pobj_text(pobj_arg(o, 3), &order, &on) && on == 1 && order[0] == 'F';
        return attach_data(pobj_arg(o, 0), out, err);
    }
    if (o && o->type == P_CALL && o->u.call.fn && o->u.call.fn->gid == G_NP_RECONSTRUCT) {
        const pobj *st = o->u.call.state;
        if (!st || st->type != P_TUPLE)
            return bad(err, "_reconstruct without its state");
        size_t off = st->u.seq.n == 5 ? 1 : 0;    /* (version, shape, dtype, fortran, data) */
        if (st->u.seq.n != 4 + off)
            return bad(err, "unexpected ndarray state");
        if (parse_dtype(pobj_item(st, off + 1), out, err) < 0 ||
            parse_shape(pobj_item(st, off), out, err) < 0)
            return -1;
        int64_t f = 0;
        pobj_int(pobj_item(st, off + 2), &f);
        out->fortran = f != 0;
        return attach_data(pobj_item(st, off + 3), out, err);
    }
    return bad(err, "expected an ndarray");
}

int nd_scalar(const pobj *o, ndarr *out, vqi_err *err)
{
    memset(out, 0, sizeof *out);
    if (!pobj_is_call_of(o, G_NP_SCALAR))
        return bad(err, "expected a numpy scalar");
    if (parse_dtype(pobj_arg(o, 0), out, err) < 0)
        return -1;
    const pobj *data = pobj_arg(o, 1);
    if (out->kind == 'O' || !data || (data->type != P_BYTES && data->type != P_STR8) ||
        data->u.s.n != out->itemsize)
        return bad(err, "numpy scalar without its bytes");
    out->raw = data->u.s.p;
    out->rawlen = data->u.s.n;
    return 0;
}

size_t nd_index(const ndarr *a, uint64_t c, uint64_t r)
{
    if (a->ndim < 2)
        return (size_t)r;
    return a->fortran ? (size_t)(c + r * a->shape[0]) : (size_t)(c * a->shape[1] + r);
}

static uint64_t load(const ndarr *a, size_t idx)
{
    const uint8_t *p = a->raw + idx * a->itemsize;
    uint64_t v = 0;
    unsigned n = a->itemsize;
    if (a->swap)
        for (unsigned i = 0; i < n; i++)
            v = v << 8 | p[i];
    else
        for (unsigned i = n; i-- > 0;)
            v = v << 8 | p[i];
    return v;
}

double nd_get_f64(const ndarr *a, size_t idx)
{
    if (a->kind == 'f') {
        if (a->itemsize == 8) {
            uint64_t v = load(a, idx);
            double d;
            memcpy(&d, &v, 8);
            return d;
        }
        uint32_t v = (uint32_t)load(a, idx);
        float f;
        memcpy(&f, &v, 4);
        return f;
    }
    if (a->kind == 'u') {
        uint64_t v = load(a, idx);
        return (double)v;
    }
    return (double)nd_get_i64(a, idx);
}

int64_t nd_get_i64(const ndarr *a, size_t idx)
{
    if (a->kind == 'f')
        return (int64_t)nd_get_f64(a, idx);
    uint64_t v = load(a, idx);
    unsigned bits = a->itemsize * 8;
    if ((a->kind == 'i' || a->kind == 'M' || a->kind == 'm') && bits < 64 &&
        (v >> (bits - 1)) & 1)
        v |= ~(uint64_t)0 << bits;          /* sign-extend */
    return (int64_t)v;
}
