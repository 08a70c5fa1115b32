/* predict.h - the predictions stage: a trained model applied to window rows
 * (a whole table for `vqi predict`, one row at a time for `vqi monitor`),
 * per-window class and probabilities in time order, per-session summaries,
 * output as CSV / JSON lines and a timeline figure.
 *
 *   table of windows --vqi_predict_table--> vqi_predictions (sorted by session, time)
 *       --vqi_predictions_write--> CSV / JSON lines
 *       --vqi_predictions_summary--> sessions, windows, time share per class, agreement
 *       --vqi_predictions_plot--> step plot per session (plot.h)
 *   window row (stream) --vqi_predictor_row--> class index + probabilities
 *
 * Nothing here prints: text goes to the FILE the caller passes. */
#ifndef VQI_PREDICT_H
#define VQI_PREDICT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../model/model.h"
#include "../table/table.h"
#include "../util/err.h"
#include "../window/window.h"

/* ------------------------------------------------------- default model -- */

/* Name of the bundled model and the environment variable overriding it. */
#define VQI_DEFAULT_MODEL_NAME "default.vqimodel"
#define VQI_MODEL_ENV "VQI_MODEL"

/* Where the default model is: $VQI_MODEL when set (even if missing, so a
 * wrong override is reported rather than silently replaced); otherwise the
 * first existing of <exe dir>/data/models, <exe dir>/../data/models,
 * <exe dir>/../../data/models, <exe dir>/../share/vqi/models (exe dir from
 * /proc/self/exe, so build/release/vqi finds the repository's data/).
 * Fills buf and returns 0, or -1 with err listing the places looked at. */
int vqi_default_model_path(char *buf, size_t size, vqi_err *err);

/* ------------------------------------------------------- whole tables -- */

/* Per-window predictions, rows in output order: sessions by their earliest
 * absolute_timestamp (first appearance when absent), windows of a session by
 * relative_timestamp, then absolute_timestamp, then input order. */
typedef struct vqi_predictions {
    size_t n;                   /* windows */
    size_t nclasses;
    double *classes;            /* ascending class labels (copied from the model) */
    size_t *source_row;         /* input table row of each window */
    char **session;             /* session_id text ("" when the table has none) */
    char **rel_text, **abs_text;/* timestamps as the input wrote them ("" when absent) */
    double *rel_ts, *abs_ts;    /* seconds, NaN when absent */
    int *predicted;             /* class index */
    double *proba;              /* n x nclasses */
    int has_truth;              /* some window has a known truth */
    double *truth;              /* label value (e.g. 720), NaN when unknown */
    size_t nsessions;
    size_t *session_start;      /* nsessions + 1 row offsets of the sessions */
} vqi_predictions;

/* A truth cell as a resolution: numbers as is, text such as "480" or
 * "480p"; NaN for empty, 0, negative or unreadable values. */
double vqi_truth_value(const vqi_column *c, size_t row);

/* Predict every row of t (the model's feature columns looked up by name; a
 * table lacking some fails with code VQI_EXIT_USAGE).  truth_col names the
 * column holding the true resolution ("resolution"); NULL or absent = none. */
vqi_predictions *vqi_predict_table(const vqi_model *m, const vqi_table *t,
                                   const char *truth_col, vqi_err *err);
void vqi_predictions_free(vqi_predictions *p);

typedef enum { VQI_PRED_CSV, VQI_PRED_JSONL } vqi_pred_format;

/* One row / record per window: session_id, relative_timestamp,
 * absolute_timestamp, true (only when has_truth; empty / null when unknown),
 * predicted, p_<class> for every class (%.17g).  The column order is that of
 * `vqi eval --predictions`.  Returns 0, -1 on a write error. */
int vqi_predictions_write(const vqi_predictions *p, vqi_pred_format fmt, FILE *f);

typedef struct vqi_pred_summary {
    size_t sessions, windows;
    size_t *per_class;          /* windows predicted as each class (nclasses) */
    size_t labelled;            /* windows with a known truth */
    size_t agree;               /* ... whose prediction equals it */
} vqi_pred_summary;

/* Counts of p (per_class malloc'd; vqi_pred_summary_free releases it). */
int vqi_predictions_summary(const vqi_predictions *p, vqi_pred_summary *s, vqi_err *err);
void vqi_pred_summary_free(vqi_pred_summary *s);

/* The summary as a few readable lines ("sessions 1, windows 60", time share
 * per predicted class, agreement with the truth when known). */
int vqi_pred_summary_write(const vqi_pred_summary *s, const double *classes, size_t nclasses,
                           FILE *f);

/* Timeline figure (vqi_plot_timeline): one panel per session, predicted vs
 * relative time, the truth dashed when known. */
int vqi_predictions_plot(const vqi_predictions *p, const char *path, const char *title,
                         vqi_err *err);

/* ---------------------------------------------------------- streaming -- */

/* One window row at a time (vqi monitor): the row goes through the same
 * table conversion as vqi_windows_table_from_capture + vqi_predict_table, so
 * a live prediction equals the one of the same window in a table. */
typedef struct vqi_predictor vqi_predictor;

vqi_predictor *vqi_predictor_new(const vqi_model *m, const vqi_window_config *cfg,
                                 vqi_err *err);
void vqi_predictor_free(vqi_predictor *pr);

/* proba receives m->nclasses values; returns the predicted class index, or
 * -1 with err (e.g. the model needs a column windows do not have). */
int vqi_predictor_row(vqi_predictor *pr, const vqi_window_row *r, double *proba, vqi_err *err);

/* Does the model use only columns the window stage produces?  Returns 0,
 * or -1 with err naming the first missing one (checked at start-up). */
int vqi_predictor_check(const vqi_model *m, const vqi_window_config *cfg, vqi_err *err);

/* --------------------------------------------------------------- live -- */

/* The monitor pipeline: frames of a live interface (libpcap) or of a
 * capture file -> decode -> service -> windows -> (model) -> one record per
 * window as soon as it closes.
 *
 * Live frames are read by a capture thread into a bounded ring of snaplen-
 * sized slots (no allocation per packet; when the ring is full the kernel
 * buffer fills and libpcap counts drops), so that the main thread can also
 * close windows on a clock: during silence, every 250 ms it feeds the window
 * stage a non-IP "tick" at now - tick_delay, which closes every window whose
 * end has passed (the window stage only advances on packets).  A replayed
 * file (--realtime) is paced by the main thread at the capture's original
 * pace, with the same ticks at the replay clock; without realtime it runs as
 * fast as possible, exactly like `vqi windows` on the file. */
typedef struct vqi_monitor_config {
    const char *iface;          /* live interface, or NULL */
    const char *file;           /* capture file to replay, or NULL */
    int realtime;               /* file: sleep until each packet's time offset */
    const char *bpf;            /* live: capture filter, NULL = none */
    int snaplen;                /* live: bytes kept per frame (slot size) */
    int promisc;
    const vqi_window_config *win;
    vqi_service *svc;
    const vqi_model *model;     /* NULL: records without predictions */
    double tick_delay_s;        /* live ticks lag the clock by this (default 1 s) */
} vqi_monitor_config;

typedef struct vqi_monitor_stats {
    uint64_t frames;            /* frames read */
    uint64_t kernel_drops;      /* libpcap ps_drop (live), cumulative */
    uint64_t iface_drops;       /* libpcap ps_ifdrop (live), cumulative */
    uint64_t ring_full;         /* live: times the capture thread waited for ring room */
    uint64_t windows;           /* records emitted */
} vqi_monitor_stats;

typedef struct vqi_monitor_record {
    const vqi_window_row *row;
    int predicted;              /* class index, -1 without a model */
    const double *proba;        /* model->nclasses values, NULL without a model */
    vqi_monitor_stats stats;    /* at the time the window closed */
} vqi_monitor_record;

/* Return 0 to go on, non-zero to stop the monitor (run returns -1). */
typedef int (*vqi_monitor_emit_fn)(void *ctx, const vqi_monitor_record *r);

typedef struct vqi_monitor vqi_monitor;

/* Opens the interface or file (errors: no such interface, no permission,
 * bad filter, not a capture: code VQI_EXIT_USAGE). */
vqi_monitor *vqi_monitor_open(const vqi_monitor_config *cfg, vqi_monitor_emit_fn emit,
                              void *ctx, vqi_err *err);
/* Run until the file ends or vqi_monitor_stop(); then the open windows are
 * flushed (emitted) and 0 is returned; -1 on a capture / emit failure. */
int vqi_monitor_run(vqi_monitor *mon, vqi_err *err);
/* Ask run to stop; async-signal-safe (call it from a SIGINT handler). */
void vqi_monitor_stop(vqi_monitor *mon);
void vqi_monitor_get_stats(vqi_monitor *mon, vqi_monitor_stats *s);
void vqi_monitor_close(vqi_monitor *mon);

#endif
