/* rows.c - window rows as cells: column names and dtypes, pandas-style CSV
 * text, and conversion into a vqi_table. */
#include "window_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const extra_names[VQI_WINDOW_EXTRA] = {"capture_packets", "capture_bytes"};

size_t vqi_window_ncols(const vqi_window_config *cfg)
{
    return VQI_WINDOW_NCOLS + (cfg && cfg->extra_columns ? VQI_WINDOW_EXTRA : 0);
}

const char *vqi_window_col_name(size_t i)
{
    if (i < VQI_WINDOW_NCOLS)
        return vqi_window_schema[i].name;
    if (i < VQI_WINDOW_MAXCOLS)
        return extra_names[i - VQI_WINDOW_NCOLS];
    return NULL;
}

const char *vqi_window_col_dtype(size_t i)
{
    if (i < VQI_WINDOW_NCOLS)
        return vqi_window_schema[i].dtype;
    return i < VQI_WINDOW_MAXCOLS ? "int64" : NULL;
}

static vqi_wtype col_type(size_t i)
{
    return i < VQI_WINDOW_NCOLS ? vqi_window_schema[i].type : VQI_WT_I64;
}

double vqi_window_row_value(const vqi_window_row *r, size_t i)
{
    return i < VQI_WINDOW_MAXCOLS ? r->v[i] : NAN;
}

const char *vqi_window_row_session(const vqi_window_row *r) { return r->session; }

size_t vqi_window_row_ewma(const vqi_window_row *r, const double **values)
{
    *values = r->ewma;
    return r->n_ewma;
}

static vqi_array ewma_array(const vqi_window_row *r)
{
    vqi_array a = {0};
    a.v = (double *)r->ewma;
    a.n = r->n_ewma;
    a.ndim = 2;
    a.shape[0] = r->n_ewma;
    a.shape[1] = 1;
    return a;
}

/* Integers as decimal text without printf (most cells are small counts).
 * Returns the length written. */
static size_t put_integer(long long v, const char *suffix, char *buf, size_t size)
{
    char tmp[32];
    int n = 0, neg = v < 0;
    unsigned long long u = neg ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    size_t pos = 0;
    if (neg && pos + 1 < size)
        buf[pos++] = '-';
    while (n > 0 && pos + 1 < size)
        buf[pos++] = tmp[--n];
    for (; *suffix && pos + 1 < size; suffix++)
        buf[pos++] = *suffix;
    buf[pos] = 0;
    return pos;
}

/* Numeric cell i as text into buf (size > 0); returns its length.  Numbers
 * never hold a CSV special character, so the writer copies them unquoted. */
static size_t number_text(const vqi_window_row *r, size_t i, vqi_wtype type, char *buf,
                          size_t size)
{
    double x = r->v[i];
    buf[0] = 0;
    if (isnan(x))
        return 0;
    size_t k;
    switch (type) {
    case VQI_WT_F64:
        /* integral values below 1e15 print as "N.0" in Python: skip the
         * shortest-repr search, which dominates the CSV cost */
        if (x == floor(x) && fabs(x) < 1e15 && !(x == 0 && signbit(x)))
            return put_integer((long long)x, ".0", buf, size);
        k = vqi_format_double(x, buf, size);      /* snprintf-like: untruncated length */
        return k < size ? k : size - 1;
    case VQI_WT_I64:
        return put_integer(llround(x), "", buf, size);
    case VQI_WT_BOOL:
        k = (size_t)snprintf(buf, size, "%s", x != 0 ? "True" : "False");
        return k < size ? k : size - 1;
    default:
        return 0;
    }
}

const char *vqi_window_row_text(const vqi_window_row *r, size_t i, char *buf, size_t size)
{
    if (size == 0)
        return buf;
    buf[0] = 0;
    if (i >= VQI_WINDOW_MAXCOLS)
        return buf;
    vqi_wtype type = col_type(i);
    if (type != VQI_WT_OBJ) {
        number_text(r, i, type, buf, size);
        return buf;
    }
    if (i == WC_session_id)
        snprintf(buf, size, "%s", r->session);
    else if (i == WC_service)
        snprintf(buf, size, "%s", r->service ? r->service : "");
    else if (i == WC_10_EWMA_chunksizes) {
        vqi_array a = ewma_array(r);
        char *t = vqi_array_text(&a);
        snprintf(buf, size, "%s", t ? t : "");
        free(t);
    }
    return buf;
}

/* One CSV field, quoted as Python's csv module does (minimal quoting). */
static int put_field(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\n\r"))
        return fputs(s, f) < 0 ? -1 : 0;
    if (fputc('"', f) == EOF)
        return -1;
    for (; *s; s++) {
        if (*s == '"' && fputc('"', f) == EOF)
            return -1;
        if (fputc(*s, f) == EOF)
            return -1;
    }
    return fputc('"', f) == EOF ? -1 : 0;
}

int vqi_window_csv_header(FILE *f, const vqi_window_config *cfg)
{
    size_t n = vqi_window_ncols(cfg);
    for (size_t i = 0; i < n; i++)
        if (fputc(',', f) == EOF || put_field(f, vqi_window_col_name(i)) < 0)
            return -1;
    return fputc('\n', f) == EOF ? -1 : 0;
}

/* A row is assembled in memory and written with one fwrite: a stdio call
 * per cell was a fifth of the window stage's time on large captures. */
typedef struct linebuf {
    char b[16384];
    size_t n;
    FILE *f;
    int failed;
} linebuf;

static void line_flush(linebuf *l)
{
    if (l->n && fwrite(l->b, 1, l->n, l->f) != l->n)
        l->failed = 1;
    l->n = 0;
}

static void line_put(linebuf *l, const char *s, size_t k)
{
    if (k > sizeof l->b - l->n) {
        line_flush(l);
        if (k > sizeof l->b) {
            if (fwrite(s, 1, k, l->f) != k)
                l->failed = 1;
            return;
        }
    }
    memcpy(l->b + l->n, s, k);
    l->n += k;
}

/* One CSV field, quoted as Python's csv module does (minimal quoting). */
static void line_field(linebuf *l, const char *s)
{
    if (!strpbrk(s, ",\"\n\r")) {
        line_put(l, s, strlen(s));
        return;
    }
    line_put(l, "\"", 1);
    for (; *s; s++) {
        if (*s == '"')
            line_put(l, "\"", 1);
        line_put(l, s, 1);
    }
    line_put(l, "\"", 1);
}

int vqi_window_csv_row(FILE *f, const vqi_window_config *cfg, size_t index,
                       const vqi_window_row *r)
{
    linebuf l;
    char buf[1024];
    l.n = 0;
    l.f = f;
    l.failed = 0;
    line_put(&l, buf, put_integer((long long)index, "", buf, sizeof buf));
    size_t n = vqi_window_ncols(cfg);
    for (size_t i = 0; i < n; i++) {
        line_put(&l, ",", 1);
        vqi_wtype type = col_type(i);
        if (type != VQI_WT_OBJ)
            line_put(&l, buf, number_text(r, i, type, buf, sizeof buf));
        else
            line_field(&l, vqi_window_row_text(r, i, buf, sizeof buf));
    }
    line_put(&l, "\n", 1);
    line_flush(&l);
    return l.failed ? -1 : 0;
}

static int create_columns(vqi_table *t, const vqi_window_config *cfg, vqi_err *err)
{
    size_t n = vqi_window_ncols(cfg);
    for (size_t i = 0; i < n; i++) {
        vqi_coltype type;
        switch (col_type(i)) {
        case VQI_WT_F64: type = VQI_COL_F64; break;
        case VQI_WT_I64: type = VQI_COL_I64; break;
        case VQI_WT_BOOL: type = VQI_COL_BOOL; break;
        default: type = i == WC_10_EWMA_chunksizes ? VQI_COL_ARRAY : VQI_COL_STR; break;
        }
        vqi_column *c = vqi_table_add(t, vqi_window_col_name(i), type);
        if (!c)
            return vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
        snprintf(c->dtype, sizeof c->dtype, "%s", vqi_window_col_dtype(i));
    }
    return 0;
}

int vqi_window_table_add(vqi_table *t, const vqi_window_config *cfg,
                         const vqi_window_row *r, vqi_err *err)
{
    size_t n = vqi_window_ncols(cfg);
    if (t->ncols == 0 && create_columns(t, cfg, err) < 0)
        return -1;
    if (t->ncols != n)
        return vqi_err_set(err, VQI_EXIT_FAIL, "table has %zu columns, window rows %zu", t->ncols, n);
    size_t row = t->nrows;
    if (vqi_table_resize(t, row + 1) < 0)
        return vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
    for (size_t i = 0; i < n; i++) {
        vqi_column *c = &t->cols[i];
        double x = r->v[i];
        int missing = isnan(x);
        switch (c->type) {
        case VQI_COL_F64:
            c->f64[row] = x;
            missing = 0;
            break;
        case VQI_COL_I64:
            c->i64[row] = missing ? 0 : llround(x);
            break;
        case VQI_COL_BOOL:
            c->b[row] = !missing && x != 0;
            break;
        case VQI_COL_ARRAY: {
            vqi_array a = ewma_array(r);
            c->arr[row] = a;
            c->arr[row].v = malloc((a.n ? a.n : 1) * sizeof(double));
            if (!c->arr[row].v)
                return vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
            memcpy(c->arr[row].v, r->ewma, a.n * sizeof(double));
            missing = 0;
            break;
        }
        default: {
            const char *s = i == WC_session_id ? r->session
                            : i == WC_service  ? (r->service ? r->service : "")
                                               : NULL;
            missing = s == NULL;
            if (s && !(c->str[row] = strdup(s)))
                return vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
            break;
        }
        }
        if (missing && vqi_table_set_na(t, c, row) < 0)
            return vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
    }
    return 0;
}
