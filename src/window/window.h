/* window.h - sessions, video segments and 10-second window features in the
 * course dataset's 251-column schema (see docs/FEATURES.md).
 *
 * The whole interface of the window stage.  It is a stream: feed every
 * packet of a capture (after vqi_service_classify()) in time order; each
 * finished window row is handed to a callback as soon as the window closes,
 * and vqi_windows_flush() ends the input.  Memory stays bounded: sessions are
 * evicted after an idle gap or, beyond max_sessions, least recently active
 * first; per-flow state lives in the flow table
 * (src/flow), per-window sample buffers are capped and reused. */
#ifndef VQI_WINDOW_H
#define VQI_WINDOW_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "../decode/decode.h"
#include "../service/service.h"
#include "../table/table.h"
#include "../util/err.h"

/* ------------------------------------------------------------- labels -- */

/* A Requet player log (*_merged.txt): per 100-ms interval the bytes sent /
 * received and the playback quality.  Not JSON; read by a small bounded
 * reader (lines up to 1 MiB, up to 50 million intervals). */
typedef struct vqi_labels vqi_labels;

vqi_labels *vqi_labels_read(const char *path, vqi_err *err);
void vqi_labels_free(vqi_labels *l);
/* The experiment's start (StartMs of the playback info), epoch ms. */
int64_t vqi_labels_start_ms(const vqi_labels *l);
size_t vqi_labels_count(const vqi_labels *l);
/* Interval i: relative time of its end (ms since StartMs), bytes sent and
 * received, and the quality bit mask (bit j = index j of Playback Quality:
 * 0 unlabelled, 1 tiny/144 ... 6 hd1080, 7 hd1440, 8 hd2160). */
typedef struct vqi_label_interval {
    int64_t rel_ms;
    uint64_t bytes_sent, bytes_received;
    uint16_t quality_mask;
} vqi_label_interval;
const vqi_label_interval *vqi_labels_interval(const vqi_labels *l, size_t i);
/* Majority resolution (144 ... 2160) of the intervals ending in
 * [from_ms, to_ms) epoch ms; 0 when none is labelled.  Ties: the higher. */
int vqi_labels_resolution(const vqi_labels *l, int64_t from_ms, int64_t to_ms);

/* ------------------------------------------------------------- config -- */

typedef struct vqi_window_config {
    double window_s;            /* window length, default 10 */
    double idle_gap_s;          /* session ends after this gap, default 60 */
    int has_start;              /* 1: windows aligned to start_ns (all sessions) */
    int64_t start_ns;           /* epoch ns of window 0's start when has_start */
    uint32_t request_min_tcp;   /* upstream TCP payload > this is a request (0) */
    uint32_t request_min_udp;   /* upstream UDP payload > this is a request (100) */
    const char *service;        /* value of the `service` column */
    double resolution;          /* constant label, or NaN / 0 for none */
    const vqi_labels *labels;   /* per-window label from a player log, or NULL */
    int extra_columns;          /* append capture_packets, capture_bytes */
    size_t max_samples;         /* per-window samples per series (default 2^18) */
    size_t max_flows;           /* live service flows at most (default 65536) */
    size_t max_sessions;        /* live sessions at most (default 65536, 0 = default);
                                   a new client beyond it first ends the least
                                   recently active session, as vqi_windows_flush
                                   ends one: its open window is emitted when it
                                   holds service traffic, earlier empty ones not */
} vqi_window_config;

/* Fill *cfg with the defaults above (resolution NaN, no start, no labels). */
void vqi_window_config_default(vqi_window_config *cfg);

/* ------------------------------------------------------------ columns -- */

/* The 251 course columns in file order; with extra_columns two more:
 * capture_packets / capture_bytes = every frame of the capture (any address,
 * any protocol, non-IP too) whose time falls in the window, original lengths. */
#define VQI_WINDOW_COURSE_COLUMNS 251
size_t vqi_window_ncols(const vqi_window_config *cfg);
const char *vqi_window_col_name(size_t i);
const char *vqi_window_col_dtype(size_t i);    /* float64, int64, bool, object */

/* --------------------------------------------------------------- rows -- */

/* One finished window.  Valid only during the callback. */
typedef struct vqi_window_row vqi_window_row;

/* Column i as a number: NaN when empty or not numeric (object columns). */
double vqi_window_row_value(const vqi_window_row *r, size_t i);
/* Column i as pandas to_csv writes it (empty when missing).  Returns buf. */
const char *vqi_window_row_text(const vqi_window_row *r, size_t i, char *buf, size_t size);
const char *vqi_window_row_session(const vqi_window_row *r);  /* 32 hex digits */
/* The 10_EWMA_chunksizes array (k <= 10 values). */
size_t vqi_window_row_ewma(const vqi_window_row *r, const double **values);

/* Return 0 to go on, non-zero to stop (feed/flush then return -1). */
typedef int (*vqi_window_emit_fn)(void *ctx, const vqi_window_row *row);

/* ------------------------------------------------------------- stream -- */

typedef struct vqi_windows vqi_windows;

vqi_windows *vqi_windows_new(const vqi_window_config *cfg, vqi_window_emit_fn emit,
                             void *ctx, vqi_err *err);
void vqi_windows_free(vqi_windows *w);

/* One packet, in capture order.  ident/remote_is_src come from
 * vqi_service_classify(); non-service packets (ident NONE, non-IP too) only
 * count in the client's total throughput and the capture_* columns.
 * Returns 0, or -1 when the callback stopped or memory ran out. */
int vqi_windows_feed(vqi_windows *w, const vqi_packet *p, vqi_ident ident,
                     int remote_is_src, vqi_err *err);

/* End of input: emit the last window of every session (trailing windows
 * without service traffic are dropped).  Returns 0 or -1. */
int vqi_windows_flush(vqi_windows *w, vqi_err *err);

/* ---------------------------------------------------------------- CSV -- */

/* Header / one row as pandas to_csv writes the course table: a leading
 * unnamed index column (0, 1, 2, ... = row number) then the columns. */
int vqi_window_csv_header(FILE *f, const vqi_window_config *cfg);
int vqi_window_csv_row(FILE *f, const vqi_window_config *cfg, size_t index,
                       const vqi_window_row *r);

/* ----------------------------------------------------- whole captures -- */

/* Append one row to a table (columns created on the first row with the
 * course dtypes; 10_EWMA_chunksizes as an array column). */
int vqi_window_table_add(vqi_table *t, const vqi_window_config *cfg,
                         const vqi_window_row *r, vqi_err *err);

/* Feed every frame of a capture file through decode and service
 * classification (vqi_service_observe + classify) into w, then flush.
 * Returns 0 or -1 (err: unreadable capture, or the stream's error). */
int vqi_windows_feed_capture(vqi_windows *w, const char *path, vqi_service *svc, vqi_err *err);

/* Run capture -> decode -> service -> windows over a capture file and return
 * the rows as a table (for `vqi predict CAPTURE`). */
vqi_table *vqi_windows_table_from_capture(const char *path, vqi_service *svc,
                                          const vqi_window_config *cfg, vqi_err *err);

#endif
