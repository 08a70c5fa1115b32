/* modelfile.c - the model file: a readable text header with vqi's metadata
 * (version, label, classes, feature names in order, parameters, cleaning
 * rules, training summary) followed by XGBoost's own model bytes.
 *
 *   vqi-model 1
 *   vqi-version 0.1.0
 *   label resolution
 *   params kind=gbt rounds=60 trees=1 max_depth=3 eta=0.5 ...
 *   classes 5 240 360 480 720 1080
 *   features 161
 *   <one escaped name per line>
 *   cleaning <escaped text>
 *   summary <escaped text>
 *   xgboost-ubj <byte count>
 *   <the bytes>
 *
 * Escaping: backslash and newline become \\ and \n.  Reading checks every
 * count and length against the bytes present. */
#include "model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../util/input.h"
#include "../util/output.h"
#include "internal.h"

#define MODEL_MAGIC "vqi-model 1"
#define MAX_MODEL_BYTES ((size_t)4 << 30)

static void put_escaped(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '\\')
            fputs("\\\\", f);
        else if (*s == '\n')
            fputs("\\n", f);
        else
            fputc(*s, f);
    }
}

int vqi_model_write(const vqi_model *m, FILE *f, vqi_err *err)
{
    const char *bytes;
    size_t len;
    if (vqi_booster_bytes(m, &bytes, &len, err) < 0)
        return -1;
    const vqi_params *p = &m->params;
    fprintf(f, "%s\nvqi-version ", MODEL_MAGIC);
    put_escaped(f, m->version ? m->version : "unknown");
    fputs("\nlabel ", f);
    put_escaped(f, m->label ? m->label : "resolution");
    fprintf(f, "\nparams kind=%s rounds=%d trees=%d max_depth=%d eta=%.17g subsample=%.17g "
               "colsample=%.17g min_child_weight=%.17g nthread=%d seed=%llu\n",
            vqi_model_kind_name(p->kind), p->rounds, p->trees, p->max_depth, p->eta,
            p->subsample, p->colsample, p->min_child_weight, p->nthread,
            (unsigned long long)p->seed);
    fprintf(f, "classes %zu", m->nclasses);
    for (size_t i = 0; i < m->nclasses; i++)
        fprintf(f, " %.17g", m->classes[i]);
    fprintf(f, "\nfeatures %zu\n", m->nfeat);
    for (size_t i = 0; i < m->nfeat; i++) {
        put_escaped(f, m->feature[i]);
        fputc('\n', f);
    }
    fputs("cleaning ", f);
    put_escaped(f, m->cleaning);
    fputs("\nsummary ", f);
    put_escaped(f, m->summary);
    fprintf(f, "\nxgboost-ubj %zu\n", len);
    if (fwrite(bytes, 1, len, f) != len || ferror(f))
        return vqi_err_set(err, VQI_EXIT_FAIL, "write error");
    return 0;
}

int vqi_model_save(const vqi_model *m, const char *path, vqi_err *err)
{
    vqi_out *o = vqi_out_open(path, err);
    if (!o)
        return -1;
    if (vqi_model_write(m, vqi_out_file(o), err) < 0) {
        vqi_out_abort(o);
        return -1;
    }
    return vqi_out_commit(o, err);
}

/* ------------------------------------------------------------- reading */

typedef struct cursor {
    const uint8_t *buf;
    size_t len, pos;
    size_t lineno;
} cursor;

/* The next line (without '\n'), NUL-terminated copy with escapes undone;
 * NULL at end of data or on a bad escape. */
static char *next_line(cursor *c, vqi_err *err)
{
    c->lineno++;
    const uint8_t *start = c->buf + c->pos;
    const uint8_t *nl = memchr(start, '\n', c->len - c->pos);
    if (!nl) {
        vqi_err_set(err, VQI_EXIT_USAGE, "not a vqi model: truncated at line %zu", c->lineno);
        return NULL;
    }
    size_t n = (size_t)(nl - start);
    char *s = malloc(n + 1);
    if (!s) {
        vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
        return NULL;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (start[i] == '\0') {
            free(s);
            vqi_err_set(err, VQI_EXIT_USAGE, "not a vqi model: NUL byte at line %zu", c->lineno);
            return NULL;
        }
        if (start[i] != '\\') {
            s[k++] = (char)start[i];
            continue;
        }
        if (i + 1 < n && (start[i + 1] == '\\' || start[i + 1] == 'n')) {
            s[k++] = start[i + 1] == 'n' ? '\n' : '\\';
            i++;
        } else {
            free(s);
            vqi_err_set(err, VQI_EXIT_USAGE, "not a vqi model: bad escape at line %zu",
                        c->lineno);
            return NULL;
        }
    }
    s[k] = '\0';
    c->pos += n + 1;
    return s;
}

/* A line "KEY rest": returns a malloc'd copy of rest, or NULL. */
static char *keyed_line(cursor *c, const char *key, vqi_err *err)
{
    char *line = next_line(c, err);
    if (!line)
        return NULL;
    size_t k = strlen(key);
    if (strncmp(line, key, k) != 0 || line[k] != ' ') {
        free(line);
        vqi_err_set(err, VQI_EXIT_USAGE, "not a vqi model: line %zu should start with '%s'",
                    c->lineno, key);
        return NULL;
    }
    memmove(line, line + k + 1, strlen(line + k + 1) + 1);
    return line;
}

static int parse_params(const char *s, vqi_params *p, vqi_err *err)
{
    char kind[8];
    unsigned long long seed;
    int used = 0;
    if (sscanf(s, "kind=%7s rounds=%d trees=%d max_depth=%d eta=%lf subsample=%lf "
                  "colsample=%lf min_child_weight=%lf nthread=%d seed=%llu%n",
               kind, &p->rounds, &p->trees, &p->max_depth, &p->eta, &p->subsample,
               &p->colsample, &p->min_child_weight, &p->nthread, &seed, &used) != 10 ||
        s[used] != '\0')
        return vqi_err_set(err, VQI_EXIT_USAGE, "not a vqi model: bad params line");
    if (strcmp(kind, "gbt") && strcmp(kind, "rf"))
        return vqi_err_set(err, VQI_EXIT_USAGE, "unknown model kind '%s'", kind);
    p->kind = strcmp(kind, "rf") == 0 ? VQI_MODEL_RF : VQI_MODEL_GBT;
    p->seed = seed;
    return 0;
}

/* "N v1 v2 ..." with exactly N finite numbers. */
static int parse_classes(const char *s, vqi_model *m, vqi_err *err)
{
    char *end;
    unsigned long n = strtoul(s, &end, 10);
    if (end == s || n < 2 || n > 1000)
        return vqi_err_set(err, VQI_EXIT_USAGE, "not a vqi model: bad class count");
    if (!(m->classes = malloc(n * sizeof *m->classes)))
        return vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
    for (unsigned long i = 0; i < n; i++) {
        const char *p = end;
        m->classes[i] = strtod(p, &end);
        if (end == p || !isfinite(m->classes[i]))
            return vqi_err_set(err, VQI_EXIT_USAGE, "not a vqi model: bad class list");
    }
    if (*end != '\0')
        return vqi_err_set(err, VQI_EXIT_USAGE, "not a vqi model: bad class list");
    m->nclasses = n;
    return 0;
}

vqi_model *vqi_model_read(const uint8_t *buf, size_t len, vqi_err *err)
{
    size_t ml = strlen(MODEL_MAGIC);
    if (len < ml + 1 || memcmp(buf, MODEL_MAGIC "\n", ml + 1) != 0)
        return vqi_err_set(err, VQI_EXIT_USAGE, "not a vqi model file"), NULL;
    cursor c = {buf, len, ml + 1, 1};
    vqi_model *m = calloc(1, sizeof *m);
    char *s = NULL;
    if (!m)
        return vqi_err_set(err, VQI_EXIT_FAIL, "out of memory"), NULL;
    if (!(m->version = keyed_line(&c, "vqi-version", err)) ||
        !(m->label = keyed_line(&c, "label", err)) || !(s = keyed_line(&c, "params", err)) ||
        parse_params(s, &m->params, err) < 0)
        goto fail;
    free(s);
    if (!(s = keyed_line(&c, "classes", err)) || parse_classes(s, m, err) < 0)
        goto fail;
    free(s);
    if (!(s = keyed_line(&c, "features", err)))
        goto fail;
    char *end;
    unsigned long nf = strtoul(s, &end, 10);
    /* each name takes at least one byte (its newline) of what is left */
    if (end == s || *end || nf == 0 || nf > len - c.pos) {
        vqi_err_set(err, VQI_EXIT_USAGE, "not a vqi model: bad feature count");
        goto fail;
    }
    free(s);
    s = NULL;
    if (!(m->feature = calloc(nf, sizeof *m->feature)))
        goto oom;
    for (m->nfeat = 0; m->nfeat < nf; m->nfeat++)
        if (!(m->feature[m->nfeat] = next_line(&c, err)))
            goto fail;
    if (!(m->cleaning = keyed_line(&c, "cleaning", err)) ||
        !(m->summary = keyed_line(&c, "summary", err)) ||
        !(s = keyed_line(&c, "xgboost-ubj", err)))
        goto fail;
    unsigned long long nb = strtoull(s, &end, 10);
    if (end == s || *end || nb != len - c.pos) {
        vqi_err_set(err, VQI_EXIT_USAGE, "not a vqi model: the XGBoost part should have %s "
                    "bytes, the file holds %zu", s, len - c.pos);
        goto fail;
    }
    free(s);
    s = NULL;
    if (vqi_booster_load(m, buf + c.pos, (size_t)nb, err) < 0)
        goto fail;
    return m;
oom:
    vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
fail:
    free(s);
    vqi_model_free(m);
    return NULL;
}

vqi_model *vqi_model_load(const char *path, vqi_err *err)
{
    vqi_in *in = vqi_in_open(path, err);
    if (!in)
        return NULL;
    size_t len;
    const uint8_t *buf = vqi_in_slurp(in, &len, MAX_MODEL_BYTES, err);
    vqi_model *m = buf ? vqi_model_read(buf, len, err) : NULL;
    vqi_in_close(in);
    return m;
}
