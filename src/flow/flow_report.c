/* flow_report.c - the service traffic report behind `vqi stats`: totals,
 * protocol mix, length / inter-arrival / per-flow distributions and packets
 * per time window, accumulated in one pass with bounded memory per series. */
#include "flow.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../dns/dns.h"

/* One numeric series: exact running moments + values (all of them up to
 * VQI_REPORT_SAMPLES, then a uniform reservoir) for percentiles. */
typedef struct series {
    double *v;
    size_t n, cap;
    uint64_t seen, rng;
    vqi_running run;
    int oom;
} series;

struct vqi_report {
    double window_s;
    vqi_service_report rep;
    series length, iat, fdur, fpkt, udur, upkt;
    int64_t prev_ns;
    size_t win_cap;
    vqi_flow_table *bi, *uni;
    int oom;
};

static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static void series_add(series *s, double x)
{
    vqi_running_add(&s->run, x);
    uint64_t k = s->seen++;
    if (k < VQI_REPORT_SAMPLES) {
        if (s->n == s->cap) {
            size_t cap = s->cap ? s->cap * 2 : 1024;
            double *v = realloc(s->v, cap * sizeof *v);
            if (!v) {
                s->oom = 1;
                return;
            }
            s->v = v;
            s->cap = cap;
        }
        s->v[s->n++] = x;
    } else {
        uint64_t j = next_random(&s->rng) % (k + 1);
        if (j < VQI_REPORT_SAMPLES)
            s->v[j] = x;
    }
}

static vqi_describe describe(series *s)
{
    vqi_describe d = {0};
    d.count = s->seen;
    d.exact = s->seen <= VQI_REPORT_SAMPLES;
    if (!s->seen)
        return d;
    d.mean = s->run.mean;
    d.std = vqi_running_std(&s->run);
    d.sample_std = s->seen > 1 ? d.std * sqrt((double)s->seen / (double)(s->seen - 1)) : NAN;
    d.min = s->run.min;
    d.max = s->run.max;
    if (s->n)                  /* qsort(NULL, 0) is undefined */
        vqi_sort_doubles(s->v, s->n);
    d.p25 = vqi_quantile_sorted(s->v, s->n, 0.25);
    d.p50 = vqi_quantile_sorted(s->v, s->n, 0.5);
    d.p75 = vqi_quantile_sorted(s->v, s->n, 0.75);
    return d;
}

static void series_free(series *s) { free(s->v); }

static void on_bi_evict(void *ctx, vqi_flow_table *t, uint32_t slot, vqi_flow_end why)
{
    (void)why;
    vqi_report *r = ctx;
    const vqi_flow_info *f = vqi_flow_info_of(t, slot);
    r->rep.flows++;
    series_add(&r->fdur, (double)(f->last_ns - f->first_ns) / 1e9);
    series_add(&r->fpkt, (double)(f->packets[0] + f->packets[1]));
}

static void on_uni_evict(void *ctx, vqi_flow_table *t, uint32_t slot, vqi_flow_end why)
{
    (void)why;
    vqi_report *r = ctx;
    const vqi_flow_info *f = vqi_flow_info_of(t, slot);
    r->rep.uni_flows++;
    series_add(&r->udur, (double)(f->last_ns - f->first_ns) / 1e9);
    series_add(&r->upkt, (double)f->packets[0]);
}

vqi_report *vqi_report_new(double window_s, vqi_err *err)
{
    vqi_report *r = calloc(1, sizeof *r);
    if (!r) {
        vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
        return NULL;
    }
    r->window_s = window_s > 0 ? window_s : 10;
    r->rep.window_s = r->window_s;
    r->length.rng = 1;
    r->iat.rng = 2;
    r->fdur.rng = r->fpkt.rng = 3;
    r->udur.rng = r->upkt.rng = 4;
    vqi_flow_config bi = {.idle_timeout_ns = 600000000000LL, .on_evict = on_bi_evict, .ctx = r};
    vqi_flow_config uni = {.unidirectional = 1, .on_evict = on_uni_evict, .ctx = r};
    r->bi = vqi_flow_table_new(&bi, err);
    r->uni = r->bi ? vqi_flow_table_new(&uni, err) : NULL;
    if (!r->uni) {
        vqi_report_free(r);
        return NULL;
    }
    return r;
}

/* Counts a packet in its window; windows stay sorted by start, searched
 * from the end since captures are (nearly) in time order. */
static int window_add(vqi_report *r, double t, uint32_t bytes)
{
    double start = floor(t / r->window_s) * r->window_s;
    vqi_service_report *rep = &r->rep;
    size_t i = rep->n_windows;
    while (i > 0 && rep->windows[i - 1].start > start)
        i--;
    if (i > 0 && rep->windows[i - 1].start == start) {
        rep->windows[i - 1].packets++;
        rep->windows[i - 1].bytes += bytes;
        return 0;
    }
    if (rep->n_windows == r->win_cap) {
        size_t cap = r->win_cap ? r->win_cap * 2 : 64;
        vqi_report_window *w = realloc(rep->windows, cap * sizeof *w);
        if (!w)
            return -1;
        rep->windows = w;
        r->win_cap = cap;
    }
    memmove(rep->windows + i + 1, rep->windows + i, (rep->n_windows - i) * sizeof *rep->windows);
    rep->windows[i] = (vqi_report_window){start, 1, bytes};
    rep->n_windows++;
    return 0;
}

int vqi_report_add(vqi_report *r, const vqi_packet *p, int ident, vqi_err *err)
{
    vqi_service_report *rep = &r->rep;
    rep->capture_packets++;
    rep->capture_bytes += p->wirelen;
    if (!ident || p->ipver == 0)
        return 0;
    double t = vqi_ns_to_seconds(p->ts_ns);
    if (rep->packets == 0) {
        rep->first = rep->last = t;
    } else {
        int64_t gap = p->ts_ns - r->prev_ns;
        series_add(&r->iat, gap > 0 ? (double)gap / 1e9 : 0.0);
        if (t < rep->first) rep->first = t;
        if (t > rep->last) rep->last = t;
    }
    if (rep->packets == 0 || p->ts_ns > r->prev_ns)
        r->prev_ns = p->ts_ns;
    rep->packets++;
    rep->bytes += p->wirelen;
    if (ident > 0 && ident < 4)
        rep->by_ident[ident]++;
    vqi_ns_kind kind;
    if (p->has_ports && vqi_dns_port_kind(p, &kind))
        rep->by_proto[VQI_REPORT_DNS]++;
    else if (p->proto == VQI_PROTO_TCP)
        rep->by_proto[VQI_REPORT_TCP]++;
    else if (p->proto == VQI_PROTO_UDP)
        rep->by_proto[VQI_REPORT_UDP]++;
    else
        rep->by_proto[VQI_REPORT_OTHER]++;
    series_add(&r->length, (double)p->wirelen);
    vqi_flow_hit hit;
    vqi_flow_track(r->bi, p, &hit);
    vqi_flow_track(r->uni, p, &hit);
    if (window_add(r, t, p->wirelen) || r->length.oom || r->iat.oom)
        return vqi_err_set(err, VQI_EXIT_FAIL, "out of memory for the report");
    return 0;
}

int vqi_report_finish(vqi_report *r, vqi_service_report *out, vqi_err *err)
{
    vqi_flow_table_flush(r->bi);
    vqi_flow_table_flush(r->uni);
    if (r->fdur.oom || r->fpkt.oom || r->udur.oom || r->upkt.oom)
        return vqi_err_set(err, VQI_EXIT_FAIL, "out of memory for the report");
    vqi_service_report *rep = &r->rep;
    rep->length = describe(&r->length);
    rep->iat = describe(&r->iat);
    rep->flow_duration = describe(&r->fdur);
    rep->flow_packets = describe(&r->fpkt);
    rep->uni_flow_duration = describe(&r->udur);
    rep->uni_flow_packets = describe(&r->upkt);
    *out = *rep;
    rep->windows = NULL;       /* now owned by *out */
    rep->n_windows = 0;
    return 0;
}

void vqi_report_free(vqi_report *r)
{
    if (!r)
        return;
    vqi_flow_table_free(r->bi);
    vqi_flow_table_free(r->uni);
    series_free(&r->length);
    series_free(&r->iat);
    series_free(&r->fdur);
    series_free(&r->fpkt);
    series_free(&r->udur);
    series_free(&r->upkt);
    free(r->rep.windows);
    free(r);
}

void vqi_service_report_free(vqi_service_report *rep)
{
    if (!rep)
        return;
    free(rep->windows);
    rep->windows = NULL;
    rep->n_windows = 0;
}
