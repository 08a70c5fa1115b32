/* features.c - one window's row of the course schema from a session's
 * accumulators (definitions in docs/FEATURES.md). */
#include "window_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../util/stats.h"

int vqi_series_add(vqi_series *s, double x, size_t max)
{
    if (s->n == s->cap) {
        if (s->cap >= max) {
            s->dropped++;
            return 0;
        }
        size_t cap = s->cap ? s->cap * 2 : 256;
        if (cap > max)
            cap = max;
        double *nv = realloc(s->v, cap * sizeof *nv);
        if (!nv)
            return -1;
        s->v = nv;
        s->cap = cap;
    }
    s->v[s->n++] = x;
    return 0;
}

void vqi_series_free(vqi_series *s)
{
    free(s->v);
    memset(s, 0, sizeof *s);
}

/* Column indices of one statistics family; -1 = the family has no such column. */
typedef struct stat_cols {
    int avg, min, max, med, std, kur, ske;
    int p[4], pr[4];         /* 50 75 85 90 percentiles and their R twins */
} stat_cols;

static const double percentiles[4] = {0.50, 0.75, 0.85, 0.90};

/* Summarise values (sorted in place: callers do not need their order). */
static void put_stats(double *row, double *v, size_t n, const stat_cols *c)
{
    if (n > 0)                /* qsort(NULL, 0) is undefined behaviour */
        vqi_sort_doubles(v, n);
    vqi_summary s = vqi_summarize(v, n);
    if (c->avg >= 0) row[c->avg] = s.mean;
    if (c->min >= 0) row[c->min] = s.min;
    if (c->max >= 0) row[c->max] = s.max;
    if (c->std >= 0) row[c->std] = s.std;
    if (c->kur >= 0) row[c->kur] = s.kurt;
    if (c->ske >= 0) row[c->ske] = s.skew;
    if (c->med >= 0) row[c->med] = vqi_quantile_sorted(v, n, 0.5);
    for (int i = 0; i < 4; i++) {
        double q = vqi_quantile_sorted(v, n, percentiles[i]);
        if (c->p[i] >= 0) row[c->p[i]] = q;
        if (c->pr[i] >= 0) row[c->pr[i]] = q;
    }
}

#define NOPCT {-1, -1, -1, -1}, {-1, -1, -1, -1}
#define L4(dir, what) {WC_##dir##Avg##what, WC_##dir##Min##what, WC_##dir##Max##what, \
    WC_##dir##Med##what, WC_##dir##Std##what, WC_##dir##Kur##what, WC_##dir##Ske##what, NOPCT}
#define IAT(pre) {WC_##pre##_avg, WC_##pre##_min, WC_##pre##_max, -1, WC_##pre##_std, -1, -1, \
    {WC_##pre##_50, WC_##pre##_75, WC_##pre##_85, WC_##pre##_90},                              \
    {WC_##pre##_50R, WC_##pre##_75R, WC_##pre##_85R, WC_##pre##_90R}}
#define SIZES(pre, pp) {WC_##pre##_avg_chunksize, WC_##pre##_min_chunksize,                  \
    WC_##pre##_max_chunksize, -1, WC_##pre##_std_chunksize, -1, -1,                            \
    {WC_##pp##_50, WC_##pp##_75, WC_##pp##_85, WC_##pp##_90},                                  \
    {WC_##pp##_50R, WC_##pp##_75R, WC_##pp##_85R, WC_##pp##_90R}}

static const stat_cols user_bif = L4(user, BytesInFlight), server_bif = L4(server, BytesInFlight);
static const stat_cols user_bpp = L4(user, BytesPerPacket), server_bpp = L4(server, BytesPerPacket);
static const stat_cols user_iat = L4(user, InterArrivalTime), server_iat = L4(server, InterArrivalTime);
static const stat_cols user_rwnd = L4(user, Rwnd), server_rwnd = L4(server, Rwnd);
static const stat_cols user_retx = L4(user, Retransmit), server_retx = L4(server, Retransmit);
static const stat_cols user_rtt = L4(user, RTT);
static const stat_cols up_iat = IAT(up_chunk_iat), down_iat = IAT(down_chunk_iat);
static const stat_cols all_up_iat = IAT(all_prev_up_chunk_iat), all_down_iat = IAT(all_prev_down_chunk_iat);
static const stat_cols last10 = SIZES(10, 10_chunksizes), allprev = SIZES(allprev, allprev_chunksizes);

static double kbps(uint64_t bytes, double window_s)
{
    return (double)bytes * 8.0 / 1000.0 / window_s;
}

/* The per-direction columns that differ only by the user/server prefix. */
typedef struct dir_cols {
    int packets, bytes, ack, syn, rst, psh, urg, fin, ooo_p, ooo_b;
    int zero, one, two, x, goodput, idle, thr;
    const stat_cols *bif, *bpp, *iat, *rwnd, *retx;
} dir_cols;

#define DIRCOLS(d) {WC_##d##PacketCount, WC_##d##ByteCount, WC_##d##AckFlags, WC_##d##SynFlags, \
    WC_##d##RstFlags, WC_##d##PshFlags, WC_##d##UrgFlags, WC_##d##FinFlags,                     \
    WC_##d##OutOfOrderPackets, WC_##d##OutOfOrderBytes, WC_##d##ZeroRetransmit,                 \
    WC_##d##OneRetransmit, WC_##d##TwoRetransmit, WC_##d##XRetransmit, WC_##d##Goodput,          \
    WC_##d##IdleTime, WC_##d##Throughput, &d##_bif, &d##_bpp, &d##_iat, &d##_rwnd, &d##_retx}

static const dir_cols dircols[2] = {DIRCOLS(user), DIRCOLS(server)};

static void fill_direction(double *row, vqi_dirwin *d, const dir_cols *c, double window_s)
{
    row[c->packets] = (double)d->packets;
    row[c->bytes] = (double)d->payload_bytes;
    const int flag_cols[6] = {c->ack, c->syn, c->rst, c->psh, c->urg, c->fin};
    for (int i = 0; i < 6; i++)
        row[flag_cols[i]] = (double)d->flags[i];
    row[c->ooo_p] = (double)d->ooo_packets;
    row[c->ooo_b] = (double)d->ooo_bytes;
    uint64_t data = d->retx_hist[0] + d->retx_hist[1] + d->retx_hist[2] + d->retx_hist[3];
    const int hist_cols[4] = {c->zero, c->one, c->two, c->x};
    for (int i = 0; i < 4; i++)
        row[hist_cols[i]] = data ? (double)d->retx_hist[i] / (double)data : 0;
    row[c->goodput] = kbps(d->unique_payload, window_s);
    row[c->thr] = kbps(d->tcp_payload, window_s);
    row[c->idle] = (double)d->idle_ns / 1e9;
    put_stats(row, d->bif.v, d->bif.n, c->bif);
    put_stats(row, d->bpp.v, d->bpp.n, c->bpp);
    put_stats(row, d->iat.v, d->iat.n, c->iat);
    put_stats(row, d->rwnd.v, d->rwnd.n, c->rwnd);
    put_stats(row, d->retx.v, d->retx.n, c->retx);
}

void vqi_session_fill_row(vqi_session *s, const vqi_window_config *cfg, int64_t end_ns,
                          uint64_t capture_packets, uint64_t capture_bytes,
                          vqi_window_row *r)
{
    double *row = r->v;
    double W = cfg->window_s;
    for (size_t i = 0; i < VQI_WINDOW_MAXCOLS; i++)
        row[i] = NAN;
    memcpy(r->session, s->id, sizeof r->session);
    r->service = cfg->service ? cfg->service : "";
    r->ncols_extra = cfg->extra_columns ? VQI_WINDOW_EXTRA : 0;

    /* metadata */
    row[WC_absolute_timestamp] = (double)end_ns / 1e9;
    row[WC_relative_timestamp] = (double)(end_ns - s->start_ns) / 1e9;
    row[WC_is_tcp] = s->service_packets > 0 && s->tcp_ip_bytes >= s->udp_ip_bytes;
    if (cfg->labels) {
        int res = vqi_labels_resolution(cfg->labels, (end_ns - (int64_t)(W * 1e9)) / 1000000,
                                        end_ns / 1000000);
        if (res > 0)
            row[WC_resolution] = res;
    } else if (cfg->resolution > 0)
        row[WC_resolution] = cfg->resolution;

    /* L7: requests and segments */
    row[WC_n_chunks_up] = (double)s->win_requests;
    row[WC_n_chunks_down] = (double)s->win_segments;
    double prev_up = s->requests ? (double)(s->requests - 1) : 0;
    double prev_down = s->segments ? (double)(s->segments - 1) : 0;
    row[WC_n_prev_up_chunk] = prev_up;
    row[WC_n_prev_down_chunk] = prev_down;
    row[WC_up_down_ratio] = prev_up - prev_down;
    row[WC_cumsum_chunksizes] = (double)s->cumsum;
    /* confirmed: 0 in a session's first window */
    row[WC_cumsum_diff] = s->win_index == 0 ? 0 : (double)(s->cumsum - s->cumsum_prev);
    s->cumsum_prev = s->cumsum;
    row[WC_curr_chunksize] = row[WC_size_diff_previous] = row[WC_current_chunk_iat] = 0;
    row[WC_chunk_start_time] = row[WC_chunk_end_time] = 0;

    double tmp10[10];
    memcpy(tmp10, s->last10, sizeof tmp10);
    vqi_ewma(s->last10, (size_t)s->n_last10, 10.0, r->ewma);
    r->n_ewma = (uint8_t)s->n_last10;
    put_stats(row, tmp10, (size_t)s->n_last10, &last10);
    put_stats(row, s->all_sizes.v, s->all_sizes.n, &allprev);
    put_stats(row, s->win_up_iat.v, s->win_up_iat.n, &up_iat);
    put_stats(row, s->win_down_iat.v, s->win_down_iat.n, &down_iat);
    put_stats(row, s->all_up_iat.v, s->all_up_iat.n, &all_up_iat);
    put_stats(row, s->all_down_iat.v, s->all_down_iat.n, &all_down_iat);

    /* L3 */
    row[WC_total_throughput_up] = kbps(s->total_ip[0], W);
    row[WC_total_throughput_down] = kbps(s->total_ip[1], W);
    row[WC_service_Video_throughput_up] = kbps(s->video_ip[0], W);
    row[WC_service_Video_throughput_down] = kbps(s->video_ip[1], W);
    row[WC_service_non_video_throughput_up] = kbps(s->nonvideo_ip[0], W);
    row[WC_service_non_video_throughput_down] = kbps(s->nonvideo_ip[1], W);
    row[WC_parallel_flows] = (double)s->parallel_flows;
    if (s->parallel_flows)
        row[WC_avg_flow_age] = (double)(end_ns - s->start_ns) / 1e9 -
                               s->flow_first_sum_s / (double)s->parallel_flows;

    /* L4 */
    for (int d = 0; d < 2; d++)
        fill_direction(row, &s->dir[d], &dircols[d], W);
    put_stats(row, s->rtt.v, s->rtt.n, &user_rtt);
    row[WC_userStrBytesInFlight] = s->dir[0].has_first_bif ? s->dir[0].first_bif : 0;
    row[WC_userEndBytesInFlight] = s->dir[0].has_first_bif ? s->dir[0].last_bif : 0;
    row[WC_serverStrBytesPerPacket] = s->dir[1].has_first_bpp ? s->dir[1].first_bpp : 0;
    row[WC_serverEndBytesPerPacket] = s->dir[1].has_first_bpp ? s->dir[1].last_bpp : 0;

    if (cfg->extra_columns) {
        row[WC_capture_packets] = (double)capture_packets;
        row[WC_capture_bytes] = (double)capture_bytes;
    }
}

static void series_clear(vqi_series *s) { s->n = 0; }

void vqi_session_reset_window(vqi_session *s)
{
    for (int d = 0; d < 2; d++) {
        vqi_dirwin *w = &s->dir[d];
        vqi_series keep[5] = {w->bif, w->bpp, w->iat, w->rwnd, w->retx};
        memset(w, 0, sizeof *w);
        w->bif = keep[0], w->bpp = keep[1], w->iat = keep[2], w->rwnd = keep[3], w->retx = keep[4];
        series_clear(&w->bif), series_clear(&w->bpp), series_clear(&w->iat);
        series_clear(&w->rwnd), series_clear(&w->retx);
    }
    series_clear(&s->rtt);
    series_clear(&s->win_up_iat);
    series_clear(&s->win_down_iat);
    s->service_packets = 0;
    memset(s->total_ip, 0, sizeof s->total_ip);
    memset(s->video_ip, 0, sizeof s->video_ip);
    memset(s->nonvideo_ip, 0, sizeof s->nonvideo_ip);
    s->tcp_ip_bytes = s->udp_ip_bytes = 0;
    s->parallel_flows = 0;
    s->flow_first_sum_s = 0;
    s->win_requests = s->win_segments = 0;
}

void vqi_session_free_buffers(vqi_session *s)
{
    for (int d = 0; d < 2; d++) {
        vqi_series_free(&s->dir[d].bif);
        vqi_series_free(&s->dir[d].bpp);
        vqi_series_free(&s->dir[d].iat);
        vqi_series_free(&s->dir[d].rwnd);
        vqi_series_free(&s->dir[d].retx);
    }
    vqi_series_free(&s->rtt);
    vqi_series_free(&s->win_up_iat);
    vqi_series_free(&s->win_down_iat);
    vqi_series_free(&s->all_sizes);
    vqi_series_free(&s->all_up_iat);
    vqi_series_free(&s->all_down_iat);
    free(s->pending);
    s->pending = NULL;
    s->n_pending = s->cap_pending = 0;
}
