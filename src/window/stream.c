/* stream.c - the window stage as a stream: sessions (client address x
 * service), their 10-s windows, per-flow state in the flow table, rows
 * handed to the caller as soon as a window closes. */
#include "window_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../flow/flow.h"
#include "session_index.h"

#define SERIES_MAX_DEFAULT (1u << 18)
#define SESSION_HISTORY_MAX (1u << 22)    /* segments / IATs kept per session */
#define MAX_SESSIONS_DEFAULT 65536
#define NO_SESSION UINT32_MAX

/* Per-flow state kept inline in the flow table. */
typedef struct wflow {
    uint32_t session;          /* index into w->sess */
    uint32_t gen;              /* that session's generation (stale check) */
    uint64_t win_mark;         /* 1 + session window number it was counted in */
    uint8_t is_video;
    vqi_segdet seg;
    vqi_tcpflow tcp;
} wflow;

struct vqi_windows {
    vqi_window_config cfg;
    vqi_window_emit_fn emit;
    void *ctx;
    vqi_flow_table *flows;
    vqi_session *sess;
    size_t n_sess, cap_sess;
    size_t first_free;                        /* every slot below it is in use */
    uint32_t next_gen;
    vqi_sidx idx;                             /* client -> session, window-end heap */
    uint32_t act_head, act_tail;              /* live sessions by last service packet */
    uint8_t not_client[2][16];                /* recent lookups that found no session; */
    uint8_t n_not_client, next_not_client;    /* forgotten when a session starts */
    int64_t win_ns, idle_ns, last_ts;
    uint64_t cap_packets, cap_bytes;          /* every frame so far */
    int64_t grid_start_ns;                    /* --start grid: current window */
    uint64_t grid_packets0, grid_bytes0;
    int has_grid;
    int stopped;
    vqi_window_row row;
};

void vqi_window_config_default(vqi_window_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->window_s = 10;
    cfg->idle_gap_s = 60;
    cfg->request_min_tcp = 0;
    cfg->request_min_udp = 100;
    cfg->service = "";
    cfg->resolution = NAN;
    cfg->max_samples = SERIES_MAX_DEFAULT;
    cfg->max_flows = 65536;
    cfg->max_sessions = MAX_SESSIONS_DEFAULT;
}

vqi_windows *vqi_windows_new(const vqi_window_config *cfg, vqi_window_emit_fn emit,
                             void *ctx, vqi_err *err)
{
    if (!(cfg->window_s >= 0.001 && cfg->window_s <= 86400))
        return vqi_err_set(err, VQI_EXIT_USAGE, "window length must be 0.001 to 86400 s"), NULL;
    if (!(cfg->idle_gap_s > 0 && cfg->idle_gap_s <= 1e6))
        return vqi_err_set(err, VQI_EXIT_USAGE, "idle gap must be > 0 and <= 1e6 s"), NULL;
    vqi_windows *w = calloc(1, sizeof *w);
    if (!w)
        return vqi_err_set(err, VQI_EXIT_FAIL, "out of memory"), NULL;
    w->cfg = *cfg;
    if (!w->cfg.max_samples)
        w->cfg.max_samples = SERIES_MAX_DEFAULT;
    if (!w->cfg.service)
        w->cfg.service = "";
    if (!w->cfg.max_sessions)
        w->cfg.max_sessions = MAX_SESSIONS_DEFAULT;
    w->act_head = w->act_tail = NO_SESSION;
    w->emit = emit;
    w->ctx = ctx;
    w->win_ns = (int64_t)llround(cfg->window_s * 1e9);
    w->idle_ns = (int64_t)llround(cfg->idle_gap_s * 1e9);
    w->last_ts = INT64_MIN;
    vqi_flow_config fc = {0};
    fc.user_size = sizeof(wflow);
    fc.max_flows = cfg->max_flows ? cfg->max_flows : 65536;
    fc.idle_timeout_ns = w->idle_ns;
    w->flows = vqi_flow_table_new(&fc, err);
    if (!w->flows) {
        free(w);
        return NULL;
    }
    return w;
}

void vqi_windows_free(vqi_windows *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->n_sess; i++)
        vqi_session_free_buffers(&w->sess[i]);
    free(w->sess);
    vqi_sidx_free(&w->idx);
    vqi_flow_table_free(w->flows);
    free(w);
}

void vqi_windows_swap_emit(vqi_windows *w, vqi_window_emit_fn emit, void *ctx,
                           vqi_window_emit_fn *old, void **old_ctx)
{
    *old = w->emit;
    *old_ctx = w->ctx;
    w->emit = emit;
    w->ctx = ctx;
}

static int emit_row(vqi_windows *w, const vqi_window_row *r, vqi_err *err)
{
    if (w->emit && w->emit(w->ctx, r) != 0) {
        w->stopped = 1;
        return vqi_err_set(err, VQI_EXIT_FAIL, "window output stopped");
    }
    return 0;
}

/* ---- activity list: live sessions, least recently active first ----
 * Index-linked (the session array moves when it grows).  Time never runs
 * backwards here (vqi_windows_feed clamps it), so moving a session to the
 * tail on each of its service packets keeps the list ordered. */
static void act_unlink(vqi_windows *w, uint32_t i)
{
    vqi_session *s = &w->sess[i];
    if (s->act_prev != NO_SESSION) w->sess[s->act_prev].act_next = s->act_next;
    else w->act_head = s->act_next;
    if (s->act_next != NO_SESSION) w->sess[s->act_next].act_prev = s->act_prev;
    else w->act_tail = s->act_prev;
}

static void act_append(vqi_windows *w, uint32_t i)
{
    vqi_session *s = &w->sess[i];
    s->act_prev = w->act_tail;
    s->act_next = NO_SESSION;
    if (w->act_tail != NO_SESSION) w->sess[w->act_tail].act_next = i;
    else w->act_head = i;
    w->act_tail = i;
}

static void end_session(vqi_windows *w, vqi_session *s)
{
    size_t index = (size_t)(s - w->sess);
    act_unlink(w, (uint32_t)index);
    vqi_sidx_remove(&w->idx, w->sess, (uint32_t)index);
    if (index < w->first_free)
        w->first_free = index;
    s->used = 0;
    s->n_pending = 0;
}

/* Close the current window of s (ending at its nominal end). */
static int close_window(vqi_windows *w, vqi_session *s, vqi_err *err)
{
    int64_t end = s->win_start_ns + w->win_ns;
    vqi_session_fill_row(s, &w->cfg, end, w->cap_packets - s->capture_packets0,
                         w->cap_bytes - s->capture_bytes0, &w->row);
    int rc = 0;
    if (s->service_packets > 0) {
        /* traffic resumed: the empty windows before this one belong to the session */
        for (size_t i = 0; i < s->n_pending && rc == 0; i++)
            rc = emit_row(w, &s->pending[i], err);
        s->n_pending = 0;
        if (rc == 0)
            rc = emit_row(w, &w->row, err);
    } else {
        if (s->n_pending == s->cap_pending) {
            size_t cap = s->cap_pending ? s->cap_pending * 2 : 8;
            vqi_window_row *np = realloc(s->pending, cap * sizeof *np);
            if (!np)
                return vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
            s->pending = np;
            s->cap_pending = cap;
        }
        s->pending[s->n_pending++] = w->row;
    }
    vqi_session_reset_window(s);
    s->win_start_ns = end;
    s->win_index++;
    s->capture_packets0 = w->cap_packets;
    s->capture_bytes0 = w->cap_bytes;
    return rc;
}

/* Close every window of s that ends at or before ts; end s when idle. */
static int advance_session(vqi_windows *w, vqi_session *s, int64_t ts, vqi_err *err)
{
    while (s->used && ts >= s->win_start_ns + w->win_ns) {
        int64_t end = s->win_start_ns + w->win_ns;
        if (s->service_packets == 0 && end - s->last_service_ns > w->idle_ns) {
            end_session(w, s);
            return 0;
        }
        if (close_window(w, s, err) < 0)
            return -1;
    }
    return 0;
}

static vqi_session *find_session(vqi_windows *w, const uint8_t client[16])
{
    long i = vqi_sidx_find(&w->idx, w->sess, client);
    return i < 0 ? NULL : &w->sess[i];
}

/* find_session for the per-packet total-throughput attribution, which asks
 * about both addresses of every packet: a server's address (no session)
 * comes back packet after packet, so the last two misses are remembered. */
static vqi_session *find_client(vqi_windows *w, const uint8_t addr[16])
{
    for (int i = 0; i < w->n_not_client; i++)
        if (vqi_same_addr(w->not_client[i], addr))
            return NULL;
    vqi_session *s = find_session(w, addr);
    if (!s) {
        memcpy(w->not_client[w->next_not_client], addr, 16);
        w->next_not_client ^= 1;
        if (w->n_not_client < 2)
            w->n_not_client++;
    }
    return s;
}

/* Close the windows of every session due by ts (earliest first). */
static int advance_all(vqi_windows *w, int64_t ts, vqi_err *err)
{
    while (vqi_sidx_next(&w->idx) <= ts) {
        vqi_sidx_due due = vqi_sidx_pop(&w->idx);
        vqi_session *s = &w->sess[due.index];
        if (!s->used || s->gen != due.gen)
            continue;                       /* ended meanwhile */
        if (advance_session(w, s, ts, err) < 0)
            return -1;
        if (s->used && vqi_sidx_push(&w->idx, s->win_start_ns + w->win_ns, due.index, s->gen) < 0)
            return vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
    }
    return 0;
}

/* The session table is full: end the least recently active session the
 * way vqi_windows_flush ends one (its open window is emitted when it holds
 * service traffic; its closed empty windows are not). */
static int end_least_active(vqi_windows *w, vqi_err *err)
{
    vqi_session *s = &w->sess[w->act_head];
    if (s->service_packets > 0 && close_window(w, s, err) < 0)
        return -1;
    end_session(w, s);
    return 0;
}

static vqi_session *new_session(vqi_windows *w, const uint8_t client[16], int64_t ts, vqi_err *err)
{
    if (w->idx.count >= w->cfg.max_sessions && w->act_head != NO_SESSION &&
        end_least_active(w, err) < 0)
        return NULL;
    w->n_not_client = w->next_not_client = 0;   /* the new client may be one of them */
    /* The lowest free slot, as before, but found from first_free and with
     * the array grown geometrically: with many clients, a scan from 0 and a
     * one-slot realloc per new session made `vqi windows` quadratic. */
    vqi_session *s = NULL;
    for (size_t i = w->first_free; i < w->n_sess && !s; i++)
        if (!w->sess[i].used)
            s = &w->sess[i];
    if (!s) {
        if (w->n_sess >= UINT32_MAX / 2) {
            vqi_err_set(err, VQI_EXIT_FAIL, "too many sessions");
            return NULL;
        }
        if (w->n_sess == w->cap_sess) {
            size_t cap = w->cap_sess ? w->cap_sess * 2 : 16;
            vqi_session *ns = realloc(w->sess, cap * sizeof *ns);
            if (!ns) {
                vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
                return NULL;
            }
            w->sess = ns;
            w->cap_sess = cap;
        }
        s = &w->sess[w->n_sess++];
        memset(s, 0, sizeof *s);
    }
    w->first_free = (size_t)(s - w->sess) + 1;
    /* Keep the buffers of a reused slot, reset everything else. */
    vqi_session keep = *s;
    memset(s, 0, sizeof *s);
    for (int d = 0; d < 2; d++) {
        s->dir[d].bif = keep.dir[d].bif, s->dir[d].bpp = keep.dir[d].bpp;
        s->dir[d].iat = keep.dir[d].iat, s->dir[d].rwnd = keep.dir[d].rwnd;
        s->dir[d].retx = keep.dir[d].retx;
    }
    s->rtt = keep.rtt, s->win_up_iat = keep.win_up_iat, s->win_down_iat = keep.win_down_iat;
    s->all_sizes = keep.all_sizes, s->all_up_iat = keep.all_up_iat;
    s->all_down_iat = keep.all_down_iat;
    s->pending = keep.pending, s->cap_pending = keep.cap_pending;
    s->all_sizes.n = s->all_up_iat.n = s->all_down_iat.n = 0;
    vqi_session_reset_window(s);

    s->used = 1;
    s->gen = ++w->next_gen;
    memcpy(s->client, client, 16);
    if (w->has_grid) {
        s->start_ns = w->grid_start_ns;
        s->capture_packets0 = w->grid_packets0;
        s->capture_bytes0 = w->grid_bytes0;
    } else {
        s->start_ns = ts;
        s->capture_packets0 = w->cap_packets;
        s->capture_bytes0 = w->cap_bytes;
    }
    s->win_start_ns = s->start_ns;
    s->last_service_ns = ts;
    vqi_session_id(client, w->cfg.service, ts, s->id);
    uint32_t index = (uint32_t)(s - w->sess);
    if (vqi_sidx_insert(&w->idx, w->sess, index) < 0 ||
        vqi_sidx_push(&w->idx, s->win_start_ns + w->win_ns, index, s->gen) < 0) {
        vqi_sidx_remove(&w->idx, w->sess, index);
        s->used = 0;
        if (index < w->first_free)
            w->first_free = index;
        vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
        return NULL;
    }
    act_append(w, index);
    return s;
}

static void push_last10(vqi_session *s, double size)
{
    if (s->n_last10 == 10) {
        memmove(s->last10, s->last10 + 1, 9 * sizeof *s->last10);
        s->n_last10 = 9;
    }
    s->last10[s->n_last10++] = size;
}

static int add_sample(vqi_series *s, double x, size_t max, vqi_err *err)
{
    if (vqi_series_add(s, x, max) < 0)
        return vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
    return 0;
}

/* L7: requests, segments, their inter-arrival times. */
static int account_segments(vqi_windows *w, vqi_session *s, int mask, int64_t ts,
                            const vqi_segment *seg, vqi_err *err)
{
    size_t hist = SESSION_HISTORY_MAX, cap = w->cfg.max_samples;
    if (mask & VQI_SEG_REQUEST) {
        int64_t ms = ts / 1000000;
        s->win_requests++;
        if (s->requests++ > 0) {
            double iat = (double)(ms - s->last_request_ms);
            if (add_sample(&s->win_up_iat, iat, cap, err) < 0 ||
                add_sample(&s->all_up_iat, iat, hist, err) < 0)
                return -1;
        }
        s->last_request_ms = ms;
    }
    if (mask & VQI_SEG_CLOSED) {
        int64_t end_ms = seg->end_ns / 1000000;
        s->win_segments++;
        s->cumsum += seg->bytes;
        push_last10(s, (double)seg->bytes);
        if (add_sample(&s->all_sizes, (double)seg->bytes, hist, err) < 0)
            return -1;
        if (s->segments++ > 0) {
            /* parallel flows may finish out of order: never a negative gap */
            double iat = end_ms > s->last_segment_end_ms ? (double)(end_ms - s->last_segment_end_ms) : 0;
            if (add_sample(&s->win_down_iat, iat, cap, err) < 0 ||
                add_sample(&s->all_down_iat, iat, hist, err) < 0)
                return -1;
        }
        if (s->segments == 1 || end_ms > s->last_segment_end_ms)
            s->last_segment_end_ms = end_ms;
    }
    return 0;
}

static int account_tcp(vqi_windows *w, vqi_session *s, wflow *f, int up, const vqi_packet *p,
                       vqi_err *err)
{
    vqi_tcp_sample t;
    vqi_tcpflow_packet(&f->tcp, up, p, &t);
    vqi_dirwin *d = &s->dir[up ? 0 : 1];
    size_t cap = w->cfg.max_samples;
    static const uint8_t flag_bits[6] = {VQI_TCP_ACK, VQI_TCP_SYN, VQI_TCP_RST,
                                         VQI_TCP_PSH, VQI_TCP_URG, VQI_TCP_FIN};
    for (int i = 0; i < 6; i++)
        if (p->tcp_flags & flag_bits[i])
            d->flags[i]++;
    d->tcp_payload += t.payload;
    if (add_sample(&d->bpp, (double)t.payload, cap, err) < 0 ||
        add_sample(&d->rwnd, t.rwnd, cap, err) < 0)
        return -1;
    if (!d->has_first_bpp) {
        d->first_bpp = t.payload;
        d->has_first_bpp = 1;
    }
    d->last_bpp = t.payload;
    if (t.has_iat && add_sample(&d->iat, t.iat_ms, cap, err) < 0)
        return -1;
    if (t.has_bif) {
        if (add_sample(&d->bif, t.bytes_in_flight, cap, err) < 0)
            return -1;
        if (!d->has_first_bif) {
            d->first_bif = t.bytes_in_flight;
            d->has_first_bif = 1;
        }
        d->last_bif = t.bytes_in_flight;
    }
    if (t.is_data) {
        d->retx_hist[t.retx_prior > 3 ? 3 : t.retx_prior]++;
        if (add_sample(&d->retx, t.retx_prior, cap, err) < 0)
            return -1;
        if (t.retx_prior == 0)
            d->unique_payload += t.payload;
        if (t.is_ooo) {
            d->ooo_packets++;
            d->ooo_bytes += t.payload;
        }
    }
    for (int i = 0; i < t.n_rtt; i++)
        if (add_sample(&s->rtt, t.rtt_us[i], cap, err) < 0)
            return -1;
    return 0;
}

static int account_service(vqi_windows *w, vqi_session *s, const vqi_packet *p, int up,
                           int64_t ts, vqi_err *err)
{
    vqi_dirwin *d = &s->dir[up ? 0 : 1];
    s->service_packets++;
    s->last_service_ns = ts;
    uint32_t self = (uint32_t)(s - w->sess);
    if (w->act_tail != self) {
        act_unlink(w, self);
        act_append(w, self);
    }
    d->packets++;
    d->payload_bytes += p->payload_len;
    /* idle time: gaps over 1 s between the direction's packets in the window */
    if (d->has_last && ts - d->last_ns > 1000000000)
        d->idle_ns += ts - d->last_ns;
    d->has_last = 1;
    d->last_ns = ts;
    if (p->proto == VQI_PROTO_TCP)
        s->tcp_ip_bytes += p->ip_len;
    else if (p->proto == VQI_PROTO_UDP)
        s->udp_ip_bytes += p->ip_len;

    vqi_flow_hit hit;
    if (!vqi_flow_track(w->flows, p, &hit))
        return 0;
    wflow *f = vqi_flow_user(w->flows, hit.slot);
    if (hit.is_new || f->session != self || f->gen != s->gen) {
        memset(f, 0, sizeof *f);
        f->session = self;
        f->gen = s->gen;
        vqi_tcpflow_init(&f->tcp);
    }
    if (f->win_mark != s->win_index + 1) {
        f->win_mark = s->win_index + 1;
        const vqi_flow_info *info = vqi_flow_info_of(w->flows, hit.slot);
        s->parallel_flows++;
        s->flow_first_sum_s += (double)(info->first_ns - s->start_ns) / 1e9;
    }
    if (p->has_ports && (p->proto == VQI_PROTO_TCP || p->proto == VQI_PROTO_UDP)) {
        vqi_segment seg;
        int mask = vqi_segdet_packet(&f->seg, up, p->proto, p->payload_len, ts,
                                     w->cfg.request_min_tcp, w->cfg.request_min_udp, &seg);
        if (mask & VQI_SEG_DATA)
            f->is_video = 1;
        if (account_segments(w, s, mask, ts, &seg, err) < 0)
            return -1;
    }
    if (f->is_video)
        s->video_ip[up ? 0 : 1] += p->ip_len;
    else
        s->nonvideo_ip[up ? 0 : 1] += p->ip_len;
    if (p->proto == VQI_PROTO_TCP && p->has_ports)
        return account_tcp(w, s, f, up, p, err);
    return 0;
}

int vqi_windows_feed(vqi_windows *w, const vqi_packet *p, vqi_ident ident,
                     int remote_is_src, vqi_err *err)
{
    if (w->stopped)
        return vqi_err_set(err, VQI_EXIT_FAIL, "window output stopped");
    /* Time never runs backwards for windowing (captures can be unordered). */
    int64_t ts = p->ts_ns > w->last_ts ? p->ts_ns : w->last_ts;
    w->last_ts = ts;
    if (w->cfg.has_start) {
        if (ts < w->cfg.start_ns)
            return 0;
        int64_t k = (ts - w->cfg.start_ns) / w->win_ns;
        int64_t gs = w->cfg.start_ns + k * w->win_ns;
        if (!w->has_grid || gs != w->grid_start_ns) {
            w->grid_start_ns = gs;
            w->grid_packets0 = w->cap_packets;
            w->grid_bytes0 = w->cap_bytes;
            w->has_grid = 1;
        }
    }
    if (advance_all(w, ts, err) < 0)
        return -1;

    vqi_session *s = NULL;
    int up = !remote_is_src;
    if (ident != VQI_IDENT_NONE && p->ipver) {
        const uint8_t *client = remote_is_src ? p->dst : p->src;
        s = find_session(w, client);
        if (s && ts - s->last_service_ns > w->idle_ns) {
            end_session(w, s);          /* idle: its open window has no service traffic */
            s = NULL;
        }
        if (!s && !(s = new_session(w, client, ts, err)))
            return -1;
        /* traffic resumed: the empty windows before this one belong to the session */
        if (s->n_pending > 0) {
            for (size_t i = 0; i < s->n_pending; i++)
                if (emit_row(w, &s->pending[i], err) < 0)
                    return -1;
            s->n_pending = 0;
        }
    }

    w->cap_packets++;
    w->cap_bytes += p->wirelen;
    if (p->ipver && w->idx.count > 0) {
        vqi_session *c = s && vqi_same_addr(s->client, p->src) ? s : find_client(w, p->src);
        if (c)
            c->total_ip[0] += p->ip_len;
        else if ((c = s && vqi_same_addr(s->client, p->dst) ? s : find_client(w, p->dst)))
            c->total_ip[1] += p->ip_len;
    }
    if (s)
        return account_service(w, s, p, up, ts, err);
    return 0;
}

int vqi_windows_flush(vqi_windows *w, vqi_err *err)
{
    if (w->stopped)
        return vqi_err_set(err, VQI_EXIT_FAIL, "window output stopped");
    for (size_t i = 0; i < w->n_sess; i++) {
        vqi_session *s = &w->sess[i];
        if (!s->used)
            continue;
        /* the last window: emitted when it holds service traffic */
        if (s->service_packets > 0 && close_window(w, s, err) < 0)
            return -1;
        end_session(w, s);
    }
    w->idx.n_heap = 0;
    vqi_flow_table_flush(w->flows);
    return 0;
}
