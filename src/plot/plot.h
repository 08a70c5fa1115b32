/* plot.h - vqi's figures, drawn with PLplot's cairo drivers: the format
 * follows the output name (.png pngcairo, .svg svgcairo, .pdf pdfcairo).
 * Files appear only when complete (util/output.h: temporary file + rename).
 *
 * PLplot is not thread-safe and keeps one global stream: call these from one
 * thread, one figure at a time (each call opens and closes its stream).
 * Inputs are checked before PLplot sees them, because PLplot's own error
 * path ends the process. */
#ifndef VQI_PLOT_H
#define VQI_PLOT_H

#include <stddef.h>
#include "../util/err.h"

/* Is the name one of the formats above (by extension)? */
int vqi_plot_format_ok(const char *path);

/* Heat map of a k x k confusion matrix ([true][pred] counts, rows = true
 * class from the top, columns = predicted), each cell coloured by its share
 * of the row (recall) and labelled with its count and that share; a colour
 * bar explains the shades; a class without true windows has a grey row and
 * "-" instead of a share (its recall is undefined, not 0 %). */
int vqi_plot_confusion(const char *path, const char *title, const size_t *matrix,
                       const char *const *labels, size_t k, vqi_err *err);

typedef struct vqi_plot_curve {
    const char *label;          /* legend text, e.g. "480  AUC 0.981" */
    const double *x, *y;        /* n points, in 0..1 */
    size_t n;
} vqi_plot_curve;

/* One-vs-rest ROC curves (false positive rate vs true positive rate), the
 * dashed chance diagonal, a legend inside the frame (lower right) with the
 * labels and "chance (AUC 0.5)". */
int vqi_plot_roc(const char *path, const char *title, const vqi_plot_curve *curves,
                 size_t ncurves, vqi_err *err);

typedef struct vqi_plot_session {
    const char *name;           /* session id, shown in the panel */
    size_t n;                   /* windows, in time order */
    const double *t;            /* window time (s), e.g. relative_timestamp */
    const double *predicted;    /* predicted class value per window */
    const double *truth;        /* true class value, NULL when unknown; NaN = unknown */
} vqi_plot_session;

#define VQI_PLOT_MAX_SESSIONS 12

/* Step plot of resolution against time: one panel per session (at most
 * VQI_PLOT_MAX_SESSIONS; further sessions are left out and the title says
 * "first N of M sessions"), the truth (when known) as a wide light orange
 * line under the prediction's thin dark blue line, so both show where they
 * agree; x from 0 s with round ticks; y ticks at the class values (e.g.
 * 240p ... 1080p, equally spaced).  The page is 1000 x (100 + 240 per
 * panel) px; the legend sits under the title, inside the page. */
int vqi_plot_timeline(const char *path, const char *title, const vqi_plot_session *s,
                      size_t nsessions, const double *classes, size_t nclasses, vqi_err *err);

#endif
