/* flow_rows.c - flow rows as text, CSV or JSON lines: the statistics rows
 * of `vqi flows` and its feature rows (--features / --netml), and their CSV
 * headers.  Each row is formatted into a reusable text buffer, so that a
 * caller can write it out at once or hold it (as text, far smaller than its
 * summary) until its turn in first-seen order. */
#include "flow.h"

#include <stdio.h>
#include <string.h>

#include "../service/service.h"
#include "../table/table.h"
#include "../util/textout.h"

static void w_put(vqi_flow_text *w, const char *s, size_t n) { vqi_textbuf_put(&w->t, s, n); }

static void w_puts(vqi_flow_text *w, const char *s) { w_put(w, s, strlen(s)); }

static void w_putc(vqi_flow_text *w, char c) { w_put(w, &c, 1); }

static void w_begin(vqi_flow_text *w)
{
    w->t.n = 0;
    w->ncol = 0;
    if (w->jsonl && !w->header)
        w_putc(w, '{');
}

static void w_end(vqi_flow_text *w) { w_puts(w, w->jsonl && !w->header ? "}\n" : "\n"); }

static void w_key(vqi_flow_text *w, const char *name)
{
    if (w->ncol++)
        w_putc(w, ',');
    if (w->header) {
        w_puts(w, name);
    } else if (w->jsonl) {
        w_putc(w, '"');
        w_puts(w, name);
        w_puts(w, "\":");
    }
}

/* Quoted by textout's CSV / JSON rules.  Every string here is an address
 * or a fixed name, far under STR_MAX bytes. */
enum { STR_MAX = 64 };

static void w_str(vqi_flow_text *w, const char *name, const char *v)
{
    w_key(w, name);
    if (w->header)
        return;
    char buf[6 * STR_MAX + 2];
    size_t n = strnlen(v, STR_MAX);
    char *end = w->jsonl ? vqi_put_json(buf, v, n) : vqi_put_csv(buf, v, n);
    w_put(w, buf, (size_t)(end - buf));
}

static void w_int(vqi_flow_text *w, const char *name, long long v)
{
    w_key(w, name);
    if (!w->header) {
        char buf[24];
        snprintf(buf, sizeof buf, "%lld", v);
        w_puts(w, buf);
    }
}

static void w_num(vqi_flow_text *w, const char *name, double v)
{
    w_key(w, name);
    if (w->header)
        return;
    char buf[40];
    vqi_format_double(v, buf, sizeof buf);
    if (w->jsonl && (!strcmp(buf, "nan") || strstr(buf, "inf")))
        w_puts(w, "null");
    else
        w_puts(w, buf);
}

/* ------------------------------------------------------ flow statistics -- */

static const char *end_name(vqi_flow_end e)
{
    static const char *const names[] = {"idle", "full", "reuse", "end"};
    return (unsigned)e < 4 ? names[e] : "?";
}

/* One series' columns: PREFIX_mean, _std, _min, _max, then the percentiles. */
static void w_series(vqi_flow_text *w, const char *prefix, double mean, double std, double min,
                     double max, const double pct[VQI_FLOW_NPCT])
{
    static const char *const names[4 + VQI_FLOW_NPCT] = {"mean", "std", "min", "max",
                                                         "p25",  "p50", "p75", "p90"};
    const double v[4] = {mean, std, min, max};
    char name[32];
    for (int i = 0; i < 4 + VQI_FLOW_NPCT; i++) {
        snprintf(name, sizeof name, "%s_%s", prefix, names[i]);
        w_num(w, name, i < 4 ? v[i] : pct[i - 4]);
    }
}

void vqi_flow_text_summary(vqi_flow_text *w, const vqi_flow_summary *s)
{
    char a[VQI_ADDR_STRLEN], b[VQI_ADDR_STRLEN], name[32];
    w_begin(w);
    w_int(w, "flow", (long long)s->info.id);
    w_str(w, "client", vqi_addr_format(s->info.client, a));
    w_int(w, "client_port", s->info.client_port);
    w_str(w, "server", vqi_addr_format(s->info.server, b));
    w_int(w, "server_port", s->info.server_port);
    w_int(w, "proto", s->info.proto);
    w_int(w, "ipver", s->info.ipver);
    w_num(w, "start", s->start);
    w_num(w, "duration", s->duration);
    w_int(w, "packets", (long long)s->packets);
    w_int(w, "bytes", (long long)s->bytes);
    w_int(w, "packets_c2s", (long long)s->info.packets[0]);
    w_int(w, "bytes_c2s", (long long)s->dir_bytes[0]);
    w_int(w, "payload_c2s", (long long)s->dir_payload[0]);
    w_int(w, "packets_s2c", (long long)s->info.packets[1]);
    w_int(w, "bytes_s2c", (long long)s->dir_bytes[1]);
    w_int(w, "payload_s2c", (long long)s->dir_payload[1]);
    for (int i = 0; i < 8; i++) {
        snprintf(name, sizeof name, "tcp_%s", vqi_tcp_flag_letters[i]);
        w_int(w, name, s->flag_counts[i]);
    }
    w_series(w, "iat", s->iat_mean, s->iat_std, s->iat_min, s->iat_max, s->iat_pct);
    w_series(w, "size", s->size_mean, s->size_std, s->size_min, s->size_max, s->size_pct);
    w_int(w, "exact_percentiles", s->exact_percentiles);
    w_str(w, "ident", vqi_ident_name((vqi_ident)s->ident));
    w_str(w, "end", end_name(s->end));
    w_end(w);
}

static const char *const stats_names[12] = {
    "duration", "pkts_rate", "bytes_rate", "mean", "std", "q1", "median", "q3",
    "min", "max", "num_pkts", "num_bytes"};

void vqi_flow_text_features(vqi_flow_text *w, const vqi_featset *fs, const vqi_feat_flow *fl,
                           vqi_feat_type type, int netml, double *vec)
{
    char a[VQI_ADDR_STRLEN], b[VQI_ADDR_STRLEN], name[32];
    int pseudo = netml && fl->ipver == 6;     /* netml's ('', '', -1, -1, -1) */
    size_t len = vqi_feat_length(type, fs->dim);
    if (!w->header)
        vqi_feat_vector(type, fs->times + fl->first, fs->sizes + fl->first, fl->n, fs->dim,
                        fs->samp_rate, vec);
    w_begin(w);
    w_str(w, "src", pseudo ? "" : vqi_addr_format(fl->src, a));
    w_str(w, "dst", pseudo ? "" : vqi_addr_format(fl->dst, b));
    w_int(w, "sport", pseudo ? -1 : fl->sport);
    w_int(w, "dport", pseudo ? -1 : fl->dport);
    w_int(w, "proto", pseudo ? -1 : fl->proto);
    w_int(w, "packets", (long long)fl->n);
    w_num(w, "start", fl->n ? fs->times[fl->first] : 0);
    w_str(w, "ident", vqi_ident_name((vqi_ident)fl->ident));
    for (size_t k = 0; k < len; k++) {
        if (type == VQI_FEAT_STATS)
            snprintf(name, sizeof name, "%s", stats_names[k]);
        else
            snprintf(name, sizeof name, "%s_%zu", vqi_feat_name(type), k);
        w_num(w, name, w->header ? 0 : vec[k]);
    }
    w_end(w);
}

