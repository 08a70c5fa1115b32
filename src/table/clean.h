/* clean.h - the cleaning rules of the course datasets (docs/DATASETS.md,
 * "Labels and cleaning"): rows with an invalid label go, and so do the
 * columns that cannot help a resolution model, each group with its reason.
 * `vqi dataset clean` prints the report; `vqi train` may reuse the rules. */
#ifndef VQI_CLEAN_H
#define VQI_CLEAN_H

#include "table.h"

typedef enum {
    VQI_DROP_IDENTIFIER,   /* session_id, home_id, video_id, index ... */
    VQI_DROP_TIME,         /* timestamps and player position */
    VQI_DROP_LEAK,         /* the player's ground truth: bitrate, quality, startup ... */
    VQI_DROP_CONSTANT,     /* one value on the kept rows */
    VQI_DROP_NONSCALAR,    /* per-row arrays, text, dates: not a number per row */
    VQI_DROP_NGROUPS
} vqi_drop_group;

/* Short title and reason of a group, e.g. "identifiers" /
 * "memorisation: they name sessions, not traffic". */
const char *vqi_drop_title(vqi_drop_group g);
const char *vqi_drop_reason(vqi_drop_group g);

/* The group a column belongs to by its name alone (identifiers, time,
 * leaks; an L3_/L4_/L7_ prefix is ignored), or -1. */
int vqi_drop_group_of(const char *column);

typedef struct vqi_clean_opts {
    const char *label;       /* label column, NULL = "resolution" */
    const double *valid;     /* valid labels, NULL = 240 360 480 720 1080 */
    size_t nvalid;
} vqi_clean_opts;

typedef struct vqi_clean_report {
    size_t rows_before, cols_before, rows_after, cols_after;
    size_t rows_invalid;              /* dropped for their label */
    double *invalid_values;           /* distinct invalid labels (NaN last) */
    size_t *invalid_counts;
    size_t ninvalid_values;
    char **dropped[VQI_DROP_NGROUPS]; /* column names per group */
    size_t ndropped[VQI_DROP_NGROUPS];
} vqi_clean_report;

/* Clean t in place.  Index columns (is_index) and the label stay.  The
 * report (may be NULL) is filled; free it with vqi_clean_report_free.
 * -1 + err when the label column is missing or memory runs out. */
int vqi_clean(vqi_table *t, const vqi_clean_opts *opts, vqi_clean_report *rep, vqi_err *err);
void vqi_clean_report_free(vqi_clean_report *rep);

/* Is column c constant over its rows (NaN equal to NaN)?  Tables of fewer
 * than two rows have no constant columns. */
int vqi_column_is_constant(const vqi_table *t, const vqi_column *c);

#endif
