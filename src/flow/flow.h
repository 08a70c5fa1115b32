/* flow.h - the flow stage: flow table, per-flow statistics, netml features.
 *
 * The whole interface of the flow stage.
 *
 * Flow table: an open-addressing hash table keyed by the 5-tuple of a
 * vqi_packet (16-byte addresses, ports, transport protocol).  By default the
 * key is bidirectional: both directions of a conversation share one slot and
 * each packet is told its direction (0 = client->server, 1 = server->client).
 * The client is the initiator: the source of the flow's first packet, except
 * that a TCP SYN+ACK as first packet makes its destination the client (a pure
 * SYN always names its source as client).  A pure SYN on a flow that has seen
 * FIN or RST ends it (VQI_FLOW_END_REUSE) and starts a new one: port reuse.
 * Packets without ports (non-first fragments, ICMP, other protocols) are
 * keyed with ports 0.
 *
 * Each slot carries a fixed-size user payload (chosen at creation, zeroed
 * when a flow starts, 16-byte aligned) so later stages keep per-flow state
 * inline.  Memory is bounded by max_flows: the slot array grows by doubling
 * up to it; when full, the least recently seen flow is evicted.  Flows idle
 * for longer than idle_timeout_ns (measured in packet time) are evicted when
 * a later packet arrives or on vqi_flow_table_expire().  Every eviction calls
 * on_evict before the slot is reused.  No allocation per packet: only
 * amortised doubling of the arrays.
 *
 * Slot numbers stay fixed for the life of a flow; pointers returned by
 * vqi_flow_user() / vqi_flow_info_of() are valid only until the next call
 * that may grow the table (vqi_flow_track()). */
#ifndef VQI_FLOW_H
#define VQI_FLOW_H

#include <stddef.h>
#include <stdint.h>
#include "../decode/decode.h"
#include "../util/err.h"
#include "../util/stats.h"
#include "../util/textout.h"

/* ---------------------------------------------------------------- table -- */

typedef struct vqi_flow_table vqi_flow_table;

/* Why a flow left the table. */
typedef enum {
    VQI_FLOW_END_IDLE,      /* no packet for longer than idle_timeout_ns */
    VQI_FLOW_END_FULL,      /* the table was full: least recently seen flow */
    VQI_FLOW_END_REUSE,     /* TCP: a new SYN after FIN/RST on the same 5-tuple */
    VQI_FLOW_END_FLUSH      /* vqi_flow_table_flush() (end of input) */
} vqi_flow_end;

typedef void (*vqi_flow_evict_fn)(void *ctx, vqi_flow_table *t, uint32_t slot,
                                  vqi_flow_end why);

typedef struct vqi_flow_config {
    size_t user_size;            /* bytes of user payload per flow (may be 0) */
    size_t max_flows;            /* live flows at most; 0 = 1,048,576 */
    int64_t idle_timeout_ns;     /* 0 = never evict for idleness */
    int unidirectional;          /* 1: key as seen (src,dst,sport,dport,proto),
                                    every packet has dir 0 (netml's flows) */
    vqi_flow_evict_fn on_evict;  /* may be NULL */
    void *ctx;                   /* passed to on_evict */
} vqi_flow_config;

/* Read-only facts the table keeps for every live flow. */
typedef struct vqi_flow_info {
    uint8_t client[16], server[16];  /* unidirectional mode: src, dst */
    uint16_t client_port, server_port;
    uint8_t proto;                   /* transport protocol number */
    uint8_t ipver;                   /* 4 or 6 */
    uint8_t tcp_flags_seen;          /* OR of all TCP flags in the flow */
    int64_t first_ns, last_ns;       /* first and latest packet time */
    uint64_t packets[2];             /* per direction */
    uint64_t id;                     /* 0, 1, 2, ... in order of creation */
} vqi_flow_info;

/* Result of vqi_flow_track() for one packet. */
typedef struct vqi_flow_hit {
    uint32_t slot;
    uint8_t dir;                     /* 0 client->server, 1 server->client */
    uint8_t is_new;                  /* this packet started the flow */
} vqi_flow_hit;

vqi_flow_table *vqi_flow_table_new(const vqi_flow_config *cfg, vqi_err *err);
/* Frees without calling on_evict (call vqi_flow_table_flush() first if needed). */
void vqi_flow_table_free(vqi_flow_table *t);

/* Account p to its flow (creating it if needed; may evict idle flows first).
 * Returns 1 with *hit filled, or 0 when p is not IP (ipver 0): ignored. */
int vqi_flow_track(vqi_flow_table *t, const vqi_packet *p, vqi_flow_hit *hit);

/* Evict every flow idle since before now_ns - idle_timeout_ns (live use). */
void vqi_flow_table_expire(vqi_flow_table *t, int64_t now_ns);
/* Evict every live flow, in order of creation (reason FLUSH). */
void vqi_flow_table_flush(vqi_flow_table *t);

size_t vqi_flow_table_count(const vqi_flow_table *t);     /* live flows */
const vqi_flow_info *vqi_flow_info_of(const vqi_flow_table *t, uint32_t slot);
void *vqi_flow_user(vqi_flow_table *t, uint32_t slot);

/* ----------------------------------------------------------- statistics -- */

/* Per-flow statistics, both directions together, streaming with bounded
 * memory: running mean/std/min/max (Welford) over all packets, and
 * percentiles from a reservoir of VQI_FLOW_RESERVOIR samples (Algorithm R,
 * deterministic per flow).  Percentiles are exact while a flow has at most
 * VQI_FLOW_RESERVOIR packets (sizes) / inter-arrival gaps; beyond that they
 * are estimates (vqi_flow_summary.exact_percentiles = 0).
 * Bytes are wire bytes: the frame's original length (pcap orig_len), link
 * header included, independent of the snap length.  Payload bytes are the
 * transport payload from the IP/TCP/UDP length fields.  Inter-arrival times
 * are gaps between consecutive packets of the flow in either direction, in
 * arrival order (a timestamp going backwards counts as a 0 gap). */
#define VQI_FLOW_RESERVOIR 64

typedef struct vqi_flow_stats {
    uint64_t bytes[2], payload[2];       /* per direction */
    uint32_t flag_counts[8];             /* F S R P A U E C (TCP packets) */
    int64_t prev_ns;
    vqi_running iat_run, size_run;
    uint64_t n_iat, n_size, rng;
    double iat_res[VQI_FLOW_RESERVOIR], size_res[VQI_FLOW_RESERVOIR];
    uint8_t ident;                       /* vqi_ident of the first identified packet */
} vqi_flow_stats;

/* Percentiles reported for inter-arrival times and packet sizes. */
#define VQI_FLOW_NPCT 4                  /* 25, 50, 75, 90 */
extern const double vqi_flow_pct[VQI_FLOW_NPCT];

typedef struct vqi_flow_summary {
    vqi_flow_info info;                  /* key, first/last time, packets per direction */
    uint64_t packets, bytes;             /* both directions; wire bytes */
    uint64_t dir_bytes[2], dir_payload[2];
    double start, duration;              /* epoch seconds, seconds */
    uint32_t flag_counts[8];             /* F S R P A U E C */
    double iat_mean, iat_std, iat_min, iat_max, iat_pct[VQI_FLOW_NPCT];   /* s */
    double size_mean, size_std, size_min, size_max, size_pct[VQI_FLOW_NPCT]; /* bytes */
    int exact_percentiles;
    uint8_t ident;                       /* vqi_ident (service.h); 0 = not identified */
    vqi_flow_end end;                    /* why the flow ended */
} vqi_flow_summary;

/* Start a flow's statistics (zeroes *s; seed makes the reservoir repeatable). */
void vqi_flow_stats_init(vqi_flow_stats *s, uint64_t seed);
/* Add one packet in direction dir; ident is the packet's vqi_ident (0 = none). */
void vqi_flow_stats_add(vqi_flow_stats *s, const vqi_packet *p, int dir, int ident);
/* Final summary of a flow. */
void vqi_flow_stats_summary(const vqi_flow_stats *s, const vqi_flow_info *info,
                            vqi_flow_end end, vqi_flow_summary *out);

/* Epoch nanoseconds to seconds, correctly rounded (as Python's
 * float(Decimal(...)) of the same timestamp). */
double vqi_ns_to_seconds(int64_t ns);

/* Names of the 8 TCP flag counters, "F","S",... */
extern const char *const vqi_tcp_flag_letters[8];

/* ------------------------------------------------------------ row order -- */

/* Rows of finished flows back in first-seen order (flow ids 0, 1, 2 ... as
 * vqi_flow_info.id), with bounded memory.  The caller formats each flow's
 * row as it leaves the table and adds it under its id; a row whose turn has
 * come (every older flow finished) goes to emit at once, the others wait as
 * copies in a ring indexed by id.  Held bytes (each row + 17 bytes, plus 8
 * per ring slot) stay within `limit`: the row that would pass it makes every
 * held row go out in id order, then it and all later rows are emitted as
 * they come (end order); vqi_flow_order_switched() tells the caller, who
 * may say so.  Rows are text without NUL bytes.  Every id must be added
 * once (row NULL: the flow finished without a row, e.g. filtered out). */
typedef struct vqi_flow_order vqi_flow_order;

/* Writes one row (len bytes); returns 0, or -1 with err to stop: the add or
 * finish that released the row returns -1 and nothing more is emitted. */
typedef int (*vqi_flow_row_fn)(void *ctx, const char *row, size_t len, vqi_err *err);

vqi_flow_order *vqi_flow_order_new(size_t limit, vqi_flow_row_fn emit, void *ctx,
                                   vqi_err *err);
/* Flow `id` finished with `row` (NULL = no row).  Returns 0, or -1 with err
 * (out of memory, an id added twice, or emit's failure). */
int vqi_flow_order_add(vqi_flow_order *o, uint64_t id, const char *row, size_t len,
                       vqi_err *err);
/* 1 when the limit was passed (rows in end order from then on), with the
 * oldest flow then still open in *open_flow (may be NULL); else 0. */
int vqi_flow_order_switched(const vqi_flow_order *o, uint64_t *open_flow);
/* End of input: emits the rows still held, in id order, passing over ids
 * never added.  Returns 0 or -1 with err. */
int vqi_flow_order_finish(vqi_flow_order *o, vqi_err *err);
void vqi_flow_order_free(vqi_flow_order *o);

/* ------------------------------------------------------ netml features -- */

/* Feature families of netml's flow2features (NETML.md). */
typedef enum {
    VQI_FEAT_STATS, VQI_FEAT_IAT, VQI_FEAT_SIZE, VQI_FEAT_IAT_SIZE,
    VQI_FEAT_SAMP_NUM, VQI_FEAT_SAMP_SIZE
} vqi_feat_type;

/* "stats", "iat", ... (case-insensitive); 0 or -1 if unknown. */
int vqi_feat_parse(const char *name, vqi_feat_type *type);
const char *vqi_feat_name(vqi_feat_type type);   /* lower case */
/* Vector length for a flow dimension dim: 12, dim-1, dim, 2dim-1, dim-1, dim-1
 * (0 when dim is too small). */
size_t vqi_feat_length(vqi_feat_type type, size_t dim);

/* The feature vector of one (sub)flow: n packets with times (s, ascending)
 * and sizes; samp_rate is the SAMP window length (s).  Writes
 * vqi_feat_length(type, dim) values to out, cut or zero-padded (netml). */
void vqi_feat_vector(vqi_feat_type type, const double *times, const double *sizes,
                     size_t n, size_t dim, double samp_rate, double *out);

/* Options of the feature extraction. */
typedef struct vqi_feat_options {
    int netml;              /* 1: reproduce netml 0.7.1 exactly (NETML.md) */
    double timeout_s;       /* flow split on idle gaps longer than this; 0 = 600 */
    double interval_s;      /* subflow split on gaps > interval; 0 = quantile of
                               flow durations (netml mode), or no split (default) */
    double q_interval;      /* quantile for interval and dim; 0 = 0.9 */
    double samp_rate;       /* SAMP window (s); 0 = quantile(subflow durations, 0.3) */
    size_t dim;             /* 0 = floor(quantile(subflow packet counts, q_interval)) */
    size_t min_packets;     /* subflows with fewer packets are dropped; 0 = 2 */
    int identified_only;    /* keep only flows with an identified packet */
} vqi_feat_options;

/* One (sub)flow of a feature set: its packets are times[first .. first+n). */
typedef struct vqi_feat_flow {
    uint8_t src[16], dst[16];            /* default mode: client, server */
    uint16_t sport, dport;
    uint8_t proto, ipver;                /* netml's IPv6 pseudo-flow: proto 0, ipver 6 */
    uint8_t ident;
    size_t first, n;
} vqi_feat_flow;

typedef struct vqi_featset {
    size_t n_flows;
    vqi_feat_flow *flows;
    double *times, *sizes;               /* concatenated packets of the flows */
    size_t n_flows_before_split;         /* flows after the timeout split */
    double interval;                     /* subflow interval used (s; 0 = none) */
    size_t dim;                          /* feature dimension */
    double samp_rate;                    /* SAMP window (s) */
} vqi_featset;

typedef struct vqi_featset_builder vqi_featset_builder;

vqi_featset_builder *vqi_featset_builder_new(const vqi_feat_options *opt, vqi_err *err);
/* Add one decoded packet (every packet, in capture order); ident is its
 * vqi_ident.  Returns 0, or -1 when out of memory. */
int vqi_featset_add(vqi_featset_builder *b, const vqi_packet *p, int ident, vqi_err *err);
/* Build the (sub)flows; frees the builder.  NULL + err when out of memory. */
vqi_featset *vqi_featset_finish(vqi_featset_builder *b, vqi_err *err);
void vqi_featset_builder_free(vqi_featset_builder *b);
void vqi_featset_free(vqi_featset *fs);

/* --------------------------------------------------------- text rows -- */

/* A flow row as text in t (replacing what it held, NUL-terminated): CSV or,
 * with jsonl, one JSON object per line; with header set, the CSV header
 * line instead (the row's values are not read).  Allocation failures set
 * t.oom (see vqi_textbuf).  {0} with jsonl/header chosen is ready to use;
 * free t.s when done. */
typedef struct vqi_flow_text {
    vqi_textbuf t;
    int jsonl, header, ncol;
} vqi_flow_text;

/* `vqi flows` statistics: one flow's summary. */
void vqi_flow_text_summary(vqi_flow_text *w, const vqi_flow_summary *s);
/* `vqi flows --features/--netml`: one (sub)flow's feature vector of the
 * given type, computed into vec (vqi_feat_length(type, fs->dim) doubles). */
void vqi_flow_text_features(vqi_flow_text *w, const vqi_featset *fs, const vqi_feat_flow *fl,
                            vqi_feat_type type, int netml, double *vec);

/* ----------------------------------------------------------- scanning -- */

/* Run capture -> decode -> (service) over a capture file and call fn for
 * every frame in order, decoded (non-IP frames too: p->ipver == 0).  With a
 * service, each packet is first shown to vqi_service_observe() and then
 * classified; without, ident is 0.  fn returns 0 to go on, -1 to stop with
 * its error.  A damaged capture tail is a warning (vqi_warn), not an error.
 * Returns 0, or -1 with err (code VQI_EXIT_USAGE when the file cannot be
 * read as a capture). */
typedef int (*vqi_scan_fn)(void *ctx, const vqi_packet *p, int ident, int remote_is_src,
                           vqi_err *err);
struct vqi_service;
int vqi_flow_scan(const char *path, struct vqi_service *svc, vqi_scan_fn fn, void *ctx,
                  vqi_err *err);

/* -------------------------------------------------------- service report -- */

/* What `vqi stats` reports about one service's packets (the assignment's
 * Part 1): totals, identification methods, protocol mix, packet lengths,
 * inter-arrival times, flows (bidirectional, and unidirectional 5-tuples as
 * the assignment's groupby counts them), packets per time window.
 * Lengths are wire lengths.  Inter-arrival times are the n-1 gaps between
 * consecutive service packets in arrival order (negative gaps count as 0).
 * Means and standard deviations are exact; percentiles are exact up to
 * VQI_REPORT_SAMPLES values per series, then from a uniform reservoir. */
#define VQI_REPORT_SAMPLES ((size_t)1 << 22)

/* pandas describe() of one series, population std and pandas' sample std. */
typedef struct vqi_describe {
    uint64_t count;
    double mean, std, sample_std, min, p25, p50, p75, max;
    int exact;                           /* percentiles from every value */
} vqi_describe;

enum { VQI_REPORT_DNS, VQI_REPORT_TCP, VQI_REPORT_UDP, VQI_REPORT_OTHER };

typedef struct vqi_report_window {
    double start;                        /* epoch s, a multiple of the window length */
    uint64_t packets, bytes;
} vqi_report_window;

typedef struct vqi_service_report {
    uint64_t capture_packets, capture_bytes;
    uint64_t packets, bytes;             /* service packets, wire bytes */
    uint64_t by_ident[4];                /* index = vqi_ident */
    uint64_t by_proto[4];                /* VQI_REPORT_DNS ... OTHER */
    double first, last;                  /* epoch s of first / last service packet */
    vqi_describe length, iat;
    uint64_t flows, uni_flows;           /* bidirectional / unidirectional */
    vqi_describe flow_duration, flow_packets, uni_flow_duration, uni_flow_packets;
    double window_s;
    size_t n_windows;                    /* windows holding service packets */
    vqi_report_window *windows;          /* in time order */
} vqi_service_report;

typedef struct vqi_report vqi_report;

/* window_s: length of the packet-count windows (the assignment's 10 s). */
vqi_report *vqi_report_new(double window_s, vqi_err *err);
/* Every decoded packet of the capture, in order, with its vqi_ident. */
int vqi_report_add(vqi_report *r, const vqi_packet *p, int ident, vqi_err *err);
/* Compute the report (*out owns windows: free with vqi_service_report_free). */
int vqi_report_finish(vqi_report *r, vqi_service_report *out, vqi_err *err);
void vqi_report_free(vqi_report *r);
void vqi_service_report_free(vqi_service_report *rep);

#endif
