/* labels.c - a small bounded reader for Requet's *_merged.txt player logs
 * (one bracketed record per 100-ms interval; not JSON: unquoted addresses,
 * null, true/-1) and the majority resolution of a window. */
#include "window_int.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../util/input.h"

#define LABELS_MAX_LINE (1u << 20)
#define LABELS_MAX_INTERVALS 50000000u

struct vqi_labels {
    vqi_label_interval *iv;
    size_t n, cap;
    int64_t start_ms;
    int has_start;
};

static const int quality_resolution[9] = {0, 144, 240, 360, 480, 720, 1080, 1440, 2160};

/* Parse a number at *s (skipping blanks); 0 when there is none. */
static int take_number(const char **s, const char *end, double *out)
{
    const char *p = *s;
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    if (p >= end)
        return 0;
    char tmp[64];
    size_t n = 0;
    while (p + n < end && n < sizeof tmp - 1 && strchr("0123456789+-.eE", p[n]))
        n++;
    if (n == 0)
        return 0;
    memcpy(tmp, p, n);
    tmp[n] = 0;
    char *stop;
    double v = strtod(tmp, &stop);
    if (stop == tmp)
        return 0;
    *out = v;
    *s = p + (stop - tmp);
    return 1;
}

static int expect(const char **s, const char *end, char c)
{
    const char *p = *s;
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    if (p >= end || *p != c)
        return 0;
    *s = p + 1;
    return 1;
}

/* One record: "[t, ps, pr, bs, br, [[net]...], [[ev], epoch, start, progress,
 * length, [q0..q8], health, progress, valid]]".  Returns 1 parsed, 0 not a
 * record (blank), -1 malformed. */
static int parse_record(const char *line, size_t len, vqi_label_interval *iv, int64_t *start_ms)
{
    const char *s = line, *end = line + len;
    while (s < end && (*s == ' ' || *s == '\t' || *s == '\r'))
        s++;
    if (s == end)
        return 0;
    double f[5];
    if (!expect(&s, end, '['))
        return -1;
    for (int i = 0; i < 5; i++)
        if (!take_number(&s, end, &f[i]) || !expect(&s, end, ','))
            return -1;
    for (int i = 1; i < 5; i++)
        if (f[i] < 0 || f[i] > 1e15)
            return -1;
    if (!(fabs(f[0]) < 1e12))
        return -1;
    iv->rel_ms = llround(f[0] * 1000.0);
    iv->bytes_sent = (uint64_t)f[3];
    iv->bytes_received = (uint64_t)f[4];
    iv->quality_mask = 0;

    /* Playback info: the last "[[" of the line opens it. */
    const char *pb = NULL;
    for (const char *p = s; p + 1 < end; p++)
        if (p[0] == '[' && p[1] == '[')
            pb = p;
    if (!pb)
        return -1;
    const char *close = memchr(pb + 2, ']', (size_t)(end - pb - 2));   /* event array */
    if (!close)
        return -1;
    s = close + 1;
    double epoch, start;
    if (!expect(&s, end, ',') || !take_number(&s, end, &epoch) || !expect(&s, end, ',') ||
        !take_number(&s, end, &start))
        return -1;
    if (start > 0 && start < 1e15)
        *start_ms = (int64_t)start;
    /* Quality: the last '[' of the line opens the 9-element array. */
    const char *q = NULL;
    for (const char *p = s; p < end; p++)
        if (*p == '[')
            q = p;
    if (!q)
        return -1;
    s = q + 1;
    for (int i = 0; i < 9; i++) {
        double b;
        if (!take_number(&s, end, &b))
            return -1;
        if (b != 0)
            iv->quality_mask |= (uint16_t)(1u << i);
        if (i < 8 && !expect(&s, end, ','))
            return -1;
    }
    return 1;
}

static int add_line(vqi_labels *l, const char *line, size_t len, size_t lineno, vqi_err *err)
{
    vqi_label_interval iv;
    int64_t start = -1;
    int r = parse_record(line, len, &iv, &start);
    if (r == 0)
        return 0;
    if (r < 0)
        return vqi_err_set(err, VQI_EXIT_USAGE, "line %zu: not a player-log record", lineno);
    if (start > 0 && !l->has_start) {
        l->start_ms = start;
        l->has_start = 1;
    }
    if (l->n == l->cap) {
        if (l->cap >= LABELS_MAX_INTERVALS)
            return vqi_err_set(err, VQI_EXIT_USAGE, "more than %u intervals", LABELS_MAX_INTERVALS);
        size_t cap = l->cap ? l->cap * 2 : 1024;
        vqi_label_interval *nv = realloc(l->iv, cap * sizeof *nv);
        if (!nv)
            return vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
        l->iv = nv;
        l->cap = cap;
    }
    l->iv[l->n++] = iv;
    return 0;
}

vqi_labels *vqi_labels_read(const char *path, vqi_err *err)
{
    vqi_in *in = vqi_in_open(path, err);
    if (!in)
        return NULL;
    vqi_labels *l = calloc(1, sizeof *l);
    char *buf = malloc(LABELS_MAX_LINE + 65536);
    if (!l || !buf) {
        vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
        goto fail;
    }
    size_t have = 0, lineno = 0;
    for (;;) {
        ssize_t got = vqi_in_read(in, buf + have, LABELS_MAX_LINE + 65536 - have, err);
        if (got < 0)
            goto fail;
        have += (size_t)got;
        size_t from = 0;
        for (;;) {
            char *nl = memchr(buf + from, '\n', have - from);
            if (!nl)
                break;
            lineno++;
            if (add_line(l, buf + from, (size_t)(nl - (buf + from)), lineno, err) < 0)
                goto fail;
            from = (size_t)(nl - buf) + 1;
        }
        memmove(buf, buf + from, have - from);
        have -= from;
        if (got == 0) {
            if (have > 0 && add_line(l, buf, have, ++lineno, err) < 0)
                goto fail;
            break;
        }
        if (have >= LABELS_MAX_LINE) {
            vqi_err_set(err, VQI_EXIT_USAGE, "line %zu: longer than %u bytes", lineno + 1,
                        LABELS_MAX_LINE);
            goto fail;
        }
    }
    if (l->n == 0 || !l->has_start) {
        vqi_err_set(err, VQI_EXIT_USAGE, "not a player log (no interval with a start time)");
        goto fail;
    }
    free(buf);
    vqi_in_close(in);
    return l;
fail:
    free(buf);
    vqi_labels_free(l);
    vqi_in_close(in);
    return NULL;
}

void vqi_labels_free(vqi_labels *l)
{
    if (!l)
        return;
    free(l->iv);
    free(l);
}

int64_t vqi_labels_start_ms(const vqi_labels *l) { return l->start_ms; }
size_t vqi_labels_count(const vqi_labels *l) { return l->n; }

const vqi_label_interval *vqi_labels_interval(const vqi_labels *l, size_t i)
{
    return i < l->n ? &l->iv[i] : NULL;
}

int vqi_labels_resolution(const vqi_labels *l, int64_t from_ms, int64_t to_ms)
{
    size_t count[9] = {0};
    /* Intervals are in time order: binary search the first one in range. */
    size_t lo = 0, hi = l->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (l->start_ms + l->iv[mid].rel_ms < from_ms)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < l->n && l->start_ms + l->iv[i].rel_ms < to_ms; i++)
        for (int q = 1; q < 9; q++)
            if (l->iv[i].quality_mask & (1u << q))
                count[q]++;
    int best = 0;
    for (int q = 1; q < 9; q++)
        if (count[q] > 0 && count[q] >= count[best])
            best = q;
    return quality_resolution[best];
}
