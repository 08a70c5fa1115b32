/* featset.c - from packets to the (sub)flows that feature vectors describe.
 *
 * Two modes share the same machinery: every kept packet becomes a 16-byte
 * record (flow number, time, size) - feature extraction needs whole flows,
 * like netml, so memory grows with the capture here (plain flow statistics
 * stream instead).  At the end the records are grouped by flow (counting
 * sort, stable), each flow is sorted by time (stable merge sort), then split:
 *  - netml mode: netml 0.7.1's _pcap2flows + _flows2subflows with its quirks
 *    (unidirectional IPv4 keys, one IPv6 pseudo-flow, captured length as
 *    size, last subflow discarded after any split, grid-aligned subflow
 *    start times);
 *  - default mode: bidirectional flows from the flow table (idle timeout),
 *    any IP version, wire length as size, nothing discarded. */
#include "flow.h"
#include "flow_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct pkt_rec {
    double t;
    uint32_t flow;
    uint32_t size;
} pkt_rec;

typedef struct flow_rec {
    uint8_t src[16], dst[16];
    uint16_t sport, dport;
    uint8_t proto, ipver, ident;
    size_t n;
} flow_rec;

struct vqi_featset_builder {
    vqi_feat_options opt;
    vqi_flow_table *table;
    pkt_rec *pkts;
    size_t n_pkts, cap_pkts;
    flow_rec *flows;
    size_t n_flows, cap_flows;
    uint32_t ipv6_flow;              /* netml's IPv6 pseudo-flow, UINT32_MAX until seen */
};

static int grow_array(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap * 2 : 1024;
    while (n < need)
        n *= 2;
    void *p = realloc(*arr, n * elem);
    if (!p)
        return -1;
    *arr = p;
    *cap = n;
    return 0;
}

vqi_featset_builder *vqi_featset_builder_new(const vqi_feat_options *opt, vqi_err *err)
{
    vqi_featset_builder *b = calloc(1, sizeof *b);
    if (!b) {
        vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
        return NULL;
    }
    b->opt = *opt;
    if (b->opt.timeout_s <= 0)
        b->opt.timeout_s = 600;
    if (b->opt.q_interval <= 0)
        b->opt.q_interval = 0.9;
    if (b->opt.min_packets < 2)
        b->opt.min_packets = 2;
    b->ipv6_flow = UINT32_MAX;
    vqi_flow_config cfg = {.user_size = sizeof(uint32_t)};
    if (opt->netml) {
        cfg.unidirectional = 1;
        cfg.max_flows = (size_t)1 << 30;      /* netml never forgets a flow */
    } else {
        /* the table's idle timeout is the flow split of default mode */
        cfg.idle_timeout_ns = (int64_t)(b->opt.timeout_s * 1e9);
    }
    b->table = vqi_flow_table_new(&cfg, err);
    if (!b->table) {
        free(b);
        return NULL;
    }
    return b;
}

void vqi_featset_builder_free(vqi_featset_builder *b)
{
    if (!b)
        return;
    vqi_flow_table_free(b->table);
    free(b->pkts);
    free(b->flows);
    free(b);
}

static int new_flow(vqi_featset_builder *b, const vqi_packet *p, uint32_t *index, vqi_err *err)
{
    if (b->n_flows >= UINT32_MAX - 1 ||
        grow_array((void **)&b->flows, &b->cap_flows, b->n_flows + 1, sizeof *b->flows)) {
        vqi_err_set(err, VQI_EXIT_FAIL, "out of memory for flows");
        return -1;
    }
    flow_rec *f = &b->flows[b->n_flows];
    memset(f, 0, sizeof *f);
    if (p) {
        memcpy(f->src, p->src, 16);
        memcpy(f->dst, p->dst, 16);
        f->sport = p->sport;
        f->dport = p->dport;
        f->proto = p->proto;
        f->ipver = p->ipver;
    } else {
        f->ipver = 6;     /* netml's ('', '', -1, -1, -1) */
    }
    *index = (uint32_t)b->n_flows++;
    return 0;
}

int vqi_featset_add(vqi_featset_builder *b, const vqi_packet *p, int ident, vqi_err *err)
{
    if (!p->has_ports || (p->proto != VQI_PROTO_TCP && p->proto != VQI_PROTO_UDP))
        return 0;
    if (p->ipver != 4 && p->ipver != 6)
        return 0;
    uint32_t flow;
    if (b->opt.netml && p->ipver == 6) {
        if (b->ipv6_flow == UINT32_MAX && new_flow(b, NULL, &b->ipv6_flow, err))
            return -1;
        flow = b->ipv6_flow;
    } else {
        vqi_flow_hit hit;
        if (vqi_flow_track(b->table, p, &hit) != 1)
            return 0;
        uint32_t *u = vqi_flow_user(b->table, hit.slot);
        if (hit.is_new) {
            if (new_flow(b, p, u, err))
                return -1;
            if (!b->opt.netml) {
                /* default mode keys flows client -> server */
                const vqi_flow_info *fi = vqi_flow_info_of(b->table, hit.slot);
                flow_rec *f = &b->flows[*u];
                memcpy(f->src, fi->client, 16);
                memcpy(f->dst, fi->server, 16);
                f->sport = fi->client_port;
                f->dport = fi->server_port;
            }
        }
        flow = *u;
    }
    if (grow_array((void **)&b->pkts, &b->cap_pkts, b->n_pkts + 1, sizeof *b->pkts)) {
        vqi_err_set(err, VQI_EXIT_FAIL, "out of memory for packets");
        return -1;
    }
    pkt_rec *r = &b->pkts[b->n_pkts++];
    r->t = vqi_ns_to_seconds(p->ts_ns);
    r->flow = flow;
    r->size = b->opt.netml ? p->caplen : p->wirelen;
    b->flows[flow].n++;
    if (ident && !b->flows[flow].ident)
        b->flows[flow].ident = (uint8_t)ident;
    return 0;
}

/* Stable merge sort of records by time (packets mostly arrive in order). */
static void sort_by_time(pkt_rec *a, pkt_rec *tmp, size_t n)
{
    if (n < 2)
        return;
    int sorted = 1;
    for (size_t i = 1; i < n && sorted; i++)
        sorted = a[i - 1].t <= a[i].t;
    if (sorted)
        return;
    size_t h = n / 2;
    sort_by_time(a, tmp, h);
    sort_by_time(a + h, tmp, n - h);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = (a[j].t < a[i].t) ? a[j++] : a[i++];
    while (i < h)
        tmp[k++] = a[i++];
    while (j < n)
        tmp[k++] = a[j++];
    memcpy(a, tmp, n * sizeof *a);
}

/* A run of packets [first, first+n) of flow f, before or after splitting. */
typedef struct span {
    uint32_t flow;
    size_t first, n;
} span;

typedef struct span_list {
    span *v;
    size_t n, cap;
} span_list;

static int push_span(span_list *l, uint32_t flow, size_t first, size_t n)
{
    if (grow_array((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v))
        return -1;
    l->v[l->n++] = (span){flow, first, n};
    return 0;
}

/* Split one span where a gap exceeds limit.  netml: a new subflow's reference
 * time is the grid-aligned start (start += k*interval), and after any split
 * the last piece is dropped.  Default mode: plain idle-gap split, keep all. */
static int split_span(span_list *out, const pkt_rec *p, span s, double limit, int netml,
                      int grid)
{
    size_t begin = s.first;
    double ref_prev = p[s.first].t;      /* time netml compares the next packet to */
    double start = p[s.first].t;
    int split = 0;
    for (size_t j = s.first + 1; j < s.first + s.n; j++) {
        double t = p[j].t;
        if (t - ref_prev > limit) {
            if (push_span(out, s.flow, begin, j - begin))
                return -1;
            begin = j;
            split = 1;
            if (grid && limit > 0) {
                start += (double)(long long)flow_py_floordiv(t - start, limit) * limit;
                ref_prev = start;
            } else {
                ref_prev = t;
            }
        } else {
            ref_prev = t;
        }
    }
    if (!(netml && split))
        return push_span(out, s.flow, begin, s.first + s.n - begin);
    return 0;
}

vqi_featset *vqi_featset_finish(vqi_featset_builder *b, vqi_err *err)
{
    vqi_featset *fs = calloc(1, sizeof *fs);
    pkt_rec *grouped = malloc((b->n_pkts ? b->n_pkts : 1) * sizeof *grouped);
    pkt_rec *tmp = malloc((b->n_pkts ? b->n_pkts : 1) * sizeof *tmp);
    size_t *offset = calloc(b->n_flows + 1, sizeof *offset);
    span_list a = {0}, c = {0};
    double *work = NULL;
    int netml = b->opt.netml;
    size_t thres = b->opt.min_packets;
    if (!fs || !grouped || !tmp || !offset)
        goto oom;
    /* group by flow, keeping capture order within a flow */
    for (size_t f = 0; f < b->n_flows; f++)
        offset[f + 1] = offset[f] + b->flows[f].n;
    for (size_t i = 0; i < b->n_pkts; i++)
        grouped[offset[b->pkts[i].flow]++] = b->pkts[i];
    for (size_t f = 0, start = 0; f < b->n_flows; f++) {
        offset[f] = start;
        start += b->flows[f].n;
    }
    /* whole flows, then the timeout split */
    for (size_t f = 0; f < b->n_flows; f++) {
        const flow_rec *fr = &b->flows[f];
        if (fr->n < thres || (b->opt.identified_only && !fr->ident))
            continue;
        sort_by_time(grouped + offset[f], tmp, fr->n);
        span s = {(uint32_t)f, offset[f], fr->n};
        if (netml) {
            if (split_span(&c, grouped, s, b->opt.timeout_s, 1, 0))
                goto oom;
        } else if (push_span(&c, s.flow, s.first, s.n)) {
            goto oom;
        }
    }
    /* drop short pieces */
    size_t kept = 0;
    for (size_t i = 0; i < c.n; i++)
        if (c.v[i].n >= thres)
            c.v[kept++] = c.v[i];
    c.n = kept;
    fs->n_flows_before_split = c.n;
    work = malloc((c.n ? c.n : 1) * sizeof *work);
    if (!work)
        goto oom;
    /* subflow interval */
    double interval = b->opt.interval_s;
    if (interval <= 0 && netml) {
        for (size_t i = 0; i < c.n; i++)
            work[i] = grouped[c.v[i].first + c.v[i].n - 1].t - grouped[c.v[i].first].t;
        double *scratch = malloc((c.n ? c.n : 1) * sizeof *scratch);
        if (!scratch)
            goto oom;
        interval = flow_np_quantile(work, c.n, b->opt.q_interval, scratch);
        free(scratch);
    }
    fs->interval = interval > 0 ? interval : 0;
    for (size_t i = 0; i < c.n; i++) {
        if (interval > 0 || netml) {
            if (split_span(&a, grouped, c.v[i], interval, netml, netml))
                goto oom;
        } else if (push_span(&a, c.v[i].flow, c.v[i].first, c.v[i].n)) {
            goto oom;
        }
    }
    kept = 0;
    for (size_t i = 0; i < a.n; i++)
        if (a.v[i].n >= thres)
            a.v[kept++] = a.v[i];
    a.n = kept;
    /* copy the subflows out */
    size_t total = 0;
    for (size_t i = 0; i < a.n; i++)
        total += a.v[i].n;
    fs->flows = calloc(a.n ? a.n : 1, sizeof *fs->flows);
    fs->times = malloc((total ? total : 1) * sizeof *fs->times);
    fs->sizes = malloc((total ? total : 1) * sizeof *fs->sizes);
    double *w2 = realloc(work, (a.n ? a.n : 1) * 2 * sizeof *work);
    if (!fs->flows || !fs->times || !fs->sizes || !w2)
        goto oom;
    work = w2;
    size_t at = 0;
    for (size_t i = 0; i < a.n; i++) {
        const flow_rec *fr = &b->flows[a.v[i].flow];
        vqi_feat_flow *o = &fs->flows[i];
        memcpy(o->src, fr->src, 16);
        memcpy(o->dst, fr->dst, 16);
        o->sport = fr->sport;
        o->dport = fr->dport;
        o->proto = netml && fr->proto == 0 ? 0 : fr->proto;
        o->ipver = fr->ipver;
        o->ident = fr->ident;
        o->first = at;
        o->n = a.v[i].n;
        for (size_t j = 0; j < a.v[i].n; j++) {
            fs->times[at] = grouped[a.v[i].first + j].t;
            fs->sizes[at] = grouped[a.v[i].first + j].size;
            at++;
        }
        work[i] = (double)o->n;
        work[a.n + i] = fs->times[o->first + o->n - 1] - fs->times[o->first];
    }
    fs->n_flows = a.n;
    if (b->opt.dim)
        fs->dim = b->opt.dim;
    else if (a.n) {
        double *scratch = malloc(a.n * sizeof *scratch);
        if (!scratch)
            goto oom;
        fs->dim = (size_t)floor(flow_np_quantile(work, a.n, b->opt.q_interval, scratch));
        if (b->opt.samp_rate <= 0)
            fs->samp_rate = flow_np_quantile(work + a.n, a.n, 0.3, scratch);
        free(scratch);
    }
    if (b->opt.samp_rate > 0)
        fs->samp_rate = b->opt.samp_rate;
    else if (b->opt.dim && a.n) {
        double *scratch = malloc(a.n * sizeof *scratch);
        if (!scratch)
            goto oom;
        fs->samp_rate = flow_np_quantile(work + a.n, a.n, 0.3, scratch);
        free(scratch);
    }
    free(grouped);
    free(tmp);
    free(offset);
    free(a.v);
    free(c.v);
    free(work);
    vqi_featset_builder_free(b);
    return fs;
oom:
    free(grouped);
    free(tmp);
    free(offset);
    free(a.v);
    free(c.v);
    free(work);
    vqi_featset_free(fs);
    vqi_featset_builder_free(b);
    vqi_err_set(err, VQI_EXIT_FAIL, "out of memory building flow features");
    return NULL;
}

void vqi_featset_free(vqi_featset *fs)
{
    if (!fs)
        return;
    free(fs->flows);
    free(fs->times);
    free(fs->sizes);
    free(fs);
}
