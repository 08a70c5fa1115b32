/* window_int.h - internals of the window stage shared by its files (not
 * part of the interface; unit tests include it to test the pure pieces). */
#ifndef VQI_WINDOW_INT_H
#define VQI_WINDOW_INT_H

#include <stdint.h>
#include <string.h>
#include "schema.h"
#include "window.h"

#define VQI_WINDOW_EXTRA 2          /* capture_packets, capture_bytes */
#define VQI_WINDOW_MAXCOLS (VQI_WINDOW_NCOLS + VQI_WINDOW_EXTRA)
#define WC_capture_packets VQI_WINDOW_NCOLS
#define WC_capture_bytes (VQI_WINDOW_NCOLS + 1)
#define VQI_EWMA_MAX 10

struct vqi_window_row {
    double v[VQI_WINDOW_MAXCOLS];   /* NaN = empty cell */
    char session[33];
    const char *service;
    double ewma[VQI_EWMA_MAX];
    uint8_t n_ewma;
    uint8_t ncols_extra;            /* 0 or VQI_WINDOW_EXTRA */
};

/* ------------------------------------------------ segment detection -- */

/* One flow's segment detector (Traffic Refinery's rule, see FEATURES.md). */
typedef struct vqi_segdet {
    uint64_t open_bytes;     /* downstream payload since the open request */
    int64_t open_start_ns;   /* time of the open request */
    int64_t open_end_ns;     /* last downstream data packet of the open segment */
    uint8_t has_request;
} vqi_segdet;

typedef struct vqi_segment {
    uint64_t bytes;
    int64_t start_ns, end_ns;
} vqi_segment;

enum { VQI_SEG_REQUEST = 1, VQI_SEG_CLOSED = 2, VQI_SEG_DATA = 4 };

/* Feed one packet of the flow (up = client->server).  Returns a mask:
 * REQUEST when the packet is a request, CLOSED when it completed a segment
 * (*closed filled), DATA when it added downstream bytes to an open segment. */
int vqi_segdet_packet(vqi_segdet *d, int up, uint8_t proto, uint32_t payload,
                      int64_t ts_ns, uint32_t min_tcp, uint32_t min_udp,
                      vqi_segment *closed);

/* ------------------------------------------------------ TCP tracking -- */

#define VQI_TCP_SEEN_RING 32
#define VQI_TCP_RTT_QUEUE 16

typedef struct vqi_tcpdir {
    uint32_t max_end;                 /* highest seq+len sent (valid if has_data) */
    uint32_t max_ack;                 /* highest ACK sent (valid if has_ack) */
    int64_t last_ns;                  /* previous packet (valid if has_last) */
    uint8_t has_data, has_ack, has_last, syn_seen;
    int8_t wscale;                    /* from this side's SYN, -1 absent */
    uint8_t ring_pos, ring_n;
    uint32_t seen_end[VQI_TCP_SEEN_RING];
    uint8_t seen_count[VQI_TCP_SEEN_RING];
} vqi_tcpdir;

typedef struct vqi_tcpflow {
    vqi_tcpdir d[2];                  /* 0 = up (client->server), 1 = down */
    uint32_t rtt_end[VQI_TCP_RTT_QUEUE];
    int64_t rtt_ns[VQI_TCP_RTT_QUEUE];
    uint8_t rtt_n;
} vqi_tcpflow;

/* What one TCP packet contributes to the window's samples. */
typedef struct vqi_tcp_sample {
    double bytes_in_flight;  int has_bif;
    double iat_ms;           int has_iat;
    double rwnd;
    uint32_t payload;
    int is_data;             /* payload > 0 */
    int retx_prior;          /* data: times seq+len was seen before (0 = new) */
    int is_ooo;              /* data below the highest seen, not seen before */
    int n_rtt;
    double rtt_us[VQI_TCP_RTT_QUEUE];
} vqi_tcp_sample;

void vqi_tcpflow_init(vqi_tcpflow *f);
void vqi_tcpflow_packet(vqi_tcpflow *f, int up, const vqi_packet *p, vqi_tcp_sample *out);

/* ------------------------------------------------------------ helpers -- */

/* Two 16-byte addresses equal?  (Inline: a memcmp call per lookup showed
 * in the per-packet profile.) */
static inline int vqi_same_addr(const uint8_t *a, const uint8_t *b)
{
    uint64_t a0, a1, b0, b1;
    memcpy(&a0, a, 8), memcpy(&a1, a + 8, 8), memcpy(&b0, b, 8), memcpy(&b1, b + 8, 8);
    return a0 == b0 && a1 == b1;
}

/* FNV-1a based 128-bit hash as 32 lowercase hex digits + NUL. */
void vqi_session_id(const uint8_t client[16], const char *service, int64_t first_ns,
                    char out[33]);

/* EWMA (pandas ewm(span, adjust=False)) of v[0..k) into out. */
void vqi_ewma(const double *v, size_t k, double span, double *out);

/* ------------------------------------------------- sample series -- */

/* Growable sample buffer reused from window to window (capped). */
typedef struct vqi_series {
    double *v;
    size_t n, cap;
    uint64_t dropped;          /* samples beyond the cap */
} vqi_series;

int vqi_series_add(vqi_series *s, double x, size_t max);
void vqi_series_free(vqi_series *s);

/* ------------------------------------------------------- sessions -- */

/* Per-direction L4 accumulators of one window (0 = user/up, 1 = server/down). */
typedef struct vqi_dirwin {
    vqi_series bif, bpp, iat, rwnd, retx;
    uint64_t packets, payload_bytes;          /* all service packets */
    uint64_t tcp_payload, unique_payload;     /* TCP: throughput / goodput */
    uint64_t flags[6];                        /* ack syn rst psh urg fin */
    uint64_t ooo_packets, ooo_bytes;
    uint64_t retx_hist[4];                    /* data packets seen 0, 1, 2, >=3 times before */
    int64_t idle_ns, last_ns;
    int has_last;
    double first_bif, last_bif, first_bpp, last_bpp;
    int has_first_bif, has_first_bpp;
} vqi_dirwin;

typedef struct vqi_session {
    int used;
    uint32_t gen;
    uint32_t act_prev, act_next;  /* activity list (least recently active first) */
    uint8_t client[16];
    char id[33];
    int64_t start_ns;             /* start of window 0 */
    int64_t win_start_ns;         /* start of the current window */
    uint64_t win_index;           /* current window number (0, 1, ...) */
    int64_t last_service_ns;
    uint64_t capture_packets0, capture_bytes0;   /* capture counters at window start */

    /* current window */
    vqi_dirwin dir[2];
    vqi_series rtt;
    uint64_t service_packets;
    uint64_t total_ip[2], video_ip[2], nonvideo_ip[2];
    uint64_t tcp_ip_bytes, udp_ip_bytes;
    uint64_t parallel_flows;
    double flow_first_sum_s;      /* sum of active flows' first-packet times (s since start) */
    uint64_t win_requests, win_segments;
    vqi_series win_up_iat, win_down_iat;

    /* whole session so far */
    uint64_t requests, segments, cumsum, cumsum_prev;
    int64_t last_request_ms, last_segment_end_ms;
    vqi_series all_sizes, all_up_iat, all_down_iat;
    double last10[10];
    int n_last10;

    /* closed windows without service traffic, emitted when traffic resumes */
    vqi_window_row *pending;
    size_t n_pending, cap_pending;
} vqi_session;

/* Replace the stream's row callback (for the row-writer thread of
 * from_capture.c); the previous one is returned through old / old_ctx. */
void vqi_windows_swap_emit(vqi_windows *w, vqi_window_emit_fn emit, void *ctx,
                           vqi_window_emit_fn *old, void **old_ctx);

/* Row-writer thread (row_writer.c): rows handed to emit(ctx, row) in order,
 * in a thread of their own.  start returns NULL when no thread can be had
 * (call emit directly then).  put is a vqi_window_emit_fn for the stream
 * (ctx = the writer): it queues a copy, and returns non-zero once emit has
 * asked to stop.  finish writes what is queued, ends the thread and frees
 * the writer: 0, or -1 when emit stopped. */
typedef struct vqi_row_writer vqi_row_writer;
vqi_row_writer *vqi_row_writer_start(vqi_window_emit_fn emit, void *ctx);
int vqi_row_writer_put(void *writer, const vqi_window_row *r);
int vqi_row_writer_finish(vqi_row_writer *rw);

/* Fill row r from session s's current window (ending at end_ns). */
void vqi_session_fill_row(vqi_session *s, const vqi_window_config *cfg, int64_t end_ns,
                          uint64_t capture_packets, uint64_t capture_bytes,
                          vqi_window_row *r);
/* Reset the per-window accumulators (keeps buffers). */
void vqi_session_reset_window(vqi_session *s);
void vqi_session_free_buffers(vqi_session *s);

#endif
