/* csv.c - tables from and to CSV as pandas reads and writes them:
 * RFC 4180 quoting, per-column type inference (int64, float64 with NaN,
 * bool, text), an unnamed leading header cell marking the index column. */
#include "table.h"
#include "../util/textout.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- tokenizer ---- */

typedef struct tokenizer {
    const char *p, *end;
    char *scratch;          /* unescaped quoted fields */
    size_t scratch_cap;
    size_t line;            /* 1-based line of the current record, for errors */
} tokenizer;

typedef struct field {
    const char *s;
    size_t n;
    int last;               /* this field ends its record */
} field;

/* Append one byte to the unescaped-field scratch buffer. */
static int scratch_put(tokenizer *tk, size_t *n, char ch, vqi_err *err)
{
    if (*n + 1 >= tk->scratch_cap) {
        size_t cap = tk->scratch_cap ? tk->scratch_cap * 2 : 256;
        char *s = realloc(tk->scratch, cap);
        if (!s)
            return vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
        tk->scratch = s;
        tk->scratch_cap = cap;
    }
    tk->scratch[(*n)++] = ch;
    return 0;
}

/* Next field; returns 1, 0 at end of input, -1 on an unterminated quote or
 * out of memory (message in err). */
static int next_field(tokenizer *tk, field *f, vqi_err *err)
{
    if (tk->p >= tk->end)
        return 0;
    const char *p = tk->p;
    if (*p == '"') {
        size_t n = 0;
        p++;
        for (;;) {
            if (p >= tk->end)
                return vqi_err_set(err, VQI_EXIT_USAGE,
                                   "line %zu: end of file inside a quoted field", tk->line);
            char ch = *p++;
            if (ch == '"') {
                if (p < tk->end && *p == '"')
                    p++;                /* "" inside quotes is one quote */
                else
                    break;
            } else if (ch == '\n')
                tk->line++;
            if (scratch_put(tk, &n, ch, err) < 0)
                return -1;
        }
        /* text after the closing quote up to the delimiter is kept, as
         * Python's csv module does */
        while (p < tk->end && *p != ',' && *p != '\n' && *p != '\r')
            if (scratch_put(tk, &n, *p++, err) < 0)
                return -1;
        f->s = tk->scratch ? tk->scratch : "";
        f->n = n;
    } else {
        const char *s = p;
        while (p < tk->end && *p != ',' && *p != '\n' && *p != '\r')
            p++;
        f->s = s;
        f->n = (size_t)(p - s);
    }
    f->last = 1;
    if (p < tk->end && *p == ',') {
        f->last = 0;
        p++;
    } else if (p < tk->end && *p == '\r') {
        p++;
        if (p < tk->end && *p == '\n')
            p++;
        tk->line++;
    } else if (p < tk->end && *p == '\n') {
        p++;
        tk->line++;
    }
    tk->p = p;
    return 1;
}

/* Skip blank lines (pandas' skip_blank_lines). */
static void skip_blank(tokenizer *tk)
{
    while (tk->p < tk->end && (*tk->p == '\n' || *tk->p == '\r')) {
        if (*tk->p == '\n')
            tk->line++;
        tk->p++;
    }
}

/* ---- cell classification ---- */

enum { K_EMPTY = 1, K_NAN = 2, K_INT = 4, K_FLOAT = 8, K_BOOL = 16, K_OTHER = 32, K_BIGINT = 64 };

static const char *const na_words[] = {
    "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
    "<NA>", "N/A", "NA", "NULL", "NaN", "n/a", "nan", "null", "None",
};

static int word_is(const char *s, size_t n, const char *w)
{
    return strlen(w) == n && memcmp(s, w, n) == 0;
}

static int is_na_word(const char *s, size_t n)
{
    if (n == 0)
        return 1;
    for (size_t i = 0; i < sizeof na_words / sizeof *na_words; i++)
        if (word_is(s, n, na_words[i]))
            return 1;
    return 0;
}

static int is_true(const char *s, size_t n)
{
    return word_is(s, n, "True") || word_is(s, n, "TRUE") || word_is(s, n, "true");
}

static int is_false(const char *s, size_t n)
{
    return word_is(s, n, "False") || word_is(s, n, "FALSE") || word_is(s, n, "false");
}

/* Parse a decimal number (no hex, no spaces); 0 when s is not one. */
static int parse_double(const char *s, size_t n, double *out)
{
    char buf[64];
    if (n == 0 || n >= sizeof buf)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-' ||
              c == 'i' || c == 'n' || c == 'f' || c == 'I' || c == 'N' || c == 'F' || c == 't' ||
              c == 'y' || c == 'a'))
            return 0;
    }
    memcpy(buf, s, n);
    buf[n] = '\0';
    const char *q = buf + (buf[0] == '-' || buf[0] == '+');
    if ((*q < '0' || *q > '9') && *q != '.' && strcasecmp(q, "inf") != 0 &&
        strcasecmp(q, "infinity") != 0)
        return 0;
    char *end;
    *out = strtod(buf, &end);
    return *end == '\0';
}

static int parse_int(const char *s, size_t n, int64_t *out, int *overflow)
{
    size_t i = (n > 0 && (s[0] == '-' || s[0] == '+'));
    if (i == n)
        return 0;
    for (size_t k = i; k < n; k++)
        if (s[k] < '0' || s[k] > '9')
            return 0;
    char buf[32];
    *overflow = n >= sizeof buf;
    if (*overflow)
        return 1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    errno = 0;
    *out = strtoll(buf, NULL, 10);
    *overflow = errno == ERANGE;
    return 1;
}

static int classify(const char *s, size_t n)
{
    if (n == 0)
        return K_EMPTY;
    int64_t i;
    int ovf;
    double d;
    if (parse_int(s, n, &i, &ovf))
        return ovf ? K_BIGINT : K_INT;
    if (parse_double(s, n, &d))
        return K_FLOAT;
    if (is_na_word(s, n))
        return K_NAN;
    if (is_true(s, n) || is_false(s, n))
        return K_BOOL;
    return K_OTHER;
}

static vqi_coltype type_of(int kinds)
{
    if (kinds & K_OTHER)
        return VQI_COL_STR;
    if (kinds & K_BOOL)
        return (kinds & (K_INT | K_FLOAT | K_BIGINT)) ? VQI_COL_STR : VQI_COL_BOOL;
    if (kinds & K_INT && !(kinds & (K_FLOAT | K_EMPTY | K_NAN | K_BIGINT)))
        return VQI_COL_I64;
    return VQI_COL_F64;
}

/* Store one field into its cell. */
static int set_cell(vqi_table *t, vqi_column *c, size_t r, const char *s, size_t n)
{
    switch (c->type) {
    case VQI_COL_I64: {
        int ovf;
        parse_int(s, n, &c->i64[r], &ovf);
        return 0;
    }
    case VQI_COL_F64: {
        double d;
        int64_t i;
        int ovf;
        if (parse_int(s, n, &i, &ovf) && !ovf)
            c->f64[r] = (double)i;
        else if (parse_double(s, n, &d))
            c->f64[r] = d;
        else if (n > 0 && n < 400 && parse_int(s, n, &i, &ovf)) {
            char buf[400];
            memcpy(buf, s, n);
            buf[n] = '\0';
            c->f64[r] = strtod(buf, NULL);
        } else
            c->f64[r] = NAN;
        return 0;
    }
    case VQI_COL_BOOL:
        if (is_true(s, n))
            c->b[r] = 1;
        else if (is_false(s, n))
            c->b[r] = 0;
        else
            return vqi_table_set_na(t, c, r);
        return 0;
    case VQI_COL_STR:
        if (is_na_word(s, n))
            return 0;
        if (!(c->str[r] = strndup(s, n)))
            return -1;
        return 0;
    default:
        return 0;
    }
}

vqi_table *vqi_csv_parse(const uint8_t *data, size_t len, vqi_err *err)
{
    tokenizer tk = {(const char *)data, (const char *)data + len, NULL, 0, 1};
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)   /* UTF-8 BOM */
        tk.p += 3;
    vqi_table *t = vqi_table_new();
    int *kinds = NULL;
    field f;
    int rc;
    if (!t)
        goto oom;
    skip_blank(&tk);
    const char *body;
    /* header */
    do {
        rc = next_field(&tk, &f, err);
        if (rc < 0)
            goto fail;
        if (rc == 0)
            break;
        char *name = strndup(f.s, f.n);
        if (!name || !vqi_table_add(t, name, VQI_COL_F64)) {
            free(name);
            goto oom;
        }
        free(name);
    } while (!f.last);
    if (t->ncols == 0) {
        vqi_err_set(err, VQI_EXIT_USAGE, "empty CSV: no header row");
        goto fail;
    }
    for (size_t i = 0; i < t->ncols && t->cols[i].name[0] == '\0'; i++)
        t->cols[i].is_index = 1;
    body = tk.p;
    size_t body_line = tk.line;
    /* pass 1: count rows and find each column's type */
    kinds = calloc(t->ncols, sizeof *kinds);
    if (!kinds)
        goto oom;
    size_t nrows = 0;
    for (;;) {
        skip_blank(&tk);
        if (tk.p >= tk.end)
            break;
        size_t col = 0, line = tk.line;
        do {
            rc = next_field(&tk, &f, err);
            if (rc < 0)
                goto fail;
            if (col >= t->ncols) {
                vqi_err_set(err, VQI_EXIT_USAGE, "line %zu: expected %zu fields, saw more", line,
                            t->ncols);
                goto fail;
            }
            kinds[col++] |= classify(f.s, f.n);
        } while (!f.last && rc);
        for (; col < t->ncols; col++)
            kinds[col] |= K_EMPTY;
        nrows++;
    }
    for (size_t i = 0; i < t->ncols; i++) {
        vqi_column *c = &t->cols[i];
        vqi_coltype ty = nrows ? type_of(kinds[i]) : VQI_COL_STR;
        if (ty != c->type) {   /* replace the placeholder with the inferred type */
            vqi_column tmp = *c;
            c->type = ty;
            free(tmp.f64);
            c->f64 = NULL;
            snprintf(c->dtype, sizeof c->dtype, "%s",
                     ty == VQI_COL_I64 ? "int64" : ty == VQI_COL_BOOL ? "bool" : "object");
        }
    }
    if (vqi_table_resize(t, nrows) < 0)
        goto oom;
    /* pass 2: fill */
    tk.p = body;
    tk.line = body_line;
    for (size_t r = 0; r < nrows; r++) {
        skip_blank(&tk);
        size_t col = 0;
        do {
            rc = next_field(&tk, &f, err);
            if (rc < 0)
                goto fail;
            if (set_cell(t, &t->cols[col], r, f.s, f.n) < 0)
                goto oom;
            col++;
        } while (!f.last && rc);
        for (; col < t->ncols; col++)
            if (vqi_table_set_na(t, &t->cols[col], r) < 0)
                goto oom;
    }
    free(kinds);
    free(tk.scratch);
    return t;
oom:
    vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
fail:
    free(kinds);
    free(tk.scratch);
    vqi_table_free(t);
    return NULL;
}

/* ---- writer ---- */

/* Python's csv.QUOTE_MINIMAL: quote when the field holds the delimiter, a
 * quote or a line break; an empty lone field is quoted too. */
static void put_field(FILE *f, const char *s, int lone)
{
    if (lone && !*s)
        fputs("\"\"", f);
    else
        vqi_csv_field(f, s);
}

int vqi_table_write_csv(const vqi_table *t, FILE *f)
{
    /* index columns first, then the others in order */
    size_t *order = malloc((t->ncols ? t->ncols : 1) * sizeof *order);
    int *dt_style = calloc(t->ncols ? t->ncols : 1, sizeof *dt_style);
    if (!order || !dt_style) {
        free(order);
        free(dt_style);
        return -1;
    }
    size_t k = 0;
    for (size_t i = 0; i < t->ncols; i++)
        if (t->cols[i].is_index)
            order[k++] = i;
    for (size_t i = 0; i < t->ncols; i++)
        if (!t->cols[i].is_index)
            order[k++] = i;
    for (size_t i = 0; i < t->ncols; i++)
        if (t->cols[i].type == VQI_COL_DATETIME)
            dt_style[i] = vqi_datetime_style(&t->cols[i], t->nrows);
    int lone = t->ncols == 1;
    for (size_t j = 0; j < t->ncols; j++) {
        if (j)
            fputc(',', f);
        put_field(f, t->cols[order[j]].name, lone);
    }
    fputc('\n', f);
    char buf[128];
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t j = 0; j < t->ncols; j++) {
            const vqi_column *c = &t->cols[order[j]];
            if (j)
                fputc(',', f);
            if (c->type == VQI_COL_STR) {
                put_field(f, c->str[r] ? c->str[r] : "", lone);
            } else if (c->type == VQI_COL_ARRAY) {
                char *s = vqi_cell_is_na(c, r) ? NULL : vqi_array_text(&c->arr[r]);
                put_field(f, s ? s : "", lone);
                free(s);
            } else if (c->type == VQI_COL_DATETIME) {
                if (!vqi_cell_is_na(c, r))
                    vqi_format_datetime(c->i64[r], dt_style[order[j]], buf, sizeof buf);
                else
                    buf[0] = '\0';
                put_field(f, buf, lone);
            } else {
                put_field(f, vqi_cell_text(c, r, buf, sizeof buf), lone);
            }
        }
        fputc('\n', f);
    }
    free(order);
    free(dt_style);
    return ferror(f) ? -1 : 0;
}
