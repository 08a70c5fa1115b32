/* table.h - vqi's columnar table: the common currency between the dataset
 * readers (pickle, CSV), the window features, the model and the reports.
 *
 * A table is a list of named, typed columns of equal length.  Leading index
 * columns (what pandas writes first in to_csv) are ordinary columns flagged
 * is_index.  Missing values are NaN in float columns and flagged in `na` for
 * the other types. */
#ifndef VQI_TABLE_H
#define VQI_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "../util/err.h"

typedef enum {
    VQI_COL_F64,      /* float64 (float32 sources are widened; dtype keeps the name) */
    VQI_COL_I64,      /* int64 / int32 / uint8 ... */
    VQI_COL_BOOL,
    VQI_COL_STR,      /* object column of strings (or anything printed as text) */
    VQI_COL_ARRAY,    /* object column holding a numeric array per row */
    VQI_COL_DATETIME  /* datetime64[ns]: i64 nanoseconds, na for NaT */
} vqi_coltype;

typedef struct vqi_array {     /* one row's numeric array, e.g. shape (k, 1) */
    double *v;
    uint32_t n;                /* number of values */
    uint8_t ndim;
    uint32_t shape[2];
    uint8_t is_int;            /* integer dtype: printed without decimals */
} vqi_array;

typedef struct vqi_column {
    char *name;
    vqi_coltype type;
    char dtype[24];            /* pandas dtype name: float64, int64, bool, object ... */
    int is_index;
    double *f64;               /* VQI_COL_F64 */
    int64_t *i64;              /* VQI_COL_I64, VQI_COL_DATETIME */
    uint8_t *b;                /* VQI_COL_BOOL */
    char **str;                /* VQI_COL_STR (NULL entry = missing) */
    vqi_array *arr;            /* VQI_COL_ARRAY */
    uint8_t *na;               /* per-row missing flags, NULL when none */
} vqi_column;

typedef struct vqi_table {
    size_t nrows, ncols, cap_rows, cap_cols;
    vqi_column *cols;
} vqi_table;

vqi_table *vqi_table_new(void);
void vqi_table_free(vqi_table *t);

/* Add a column of t->nrows rows, zero-filled (strings NULL).  The name is
 * copied.  Returns the column, or NULL on out-of-memory. */
vqi_column *vqi_table_add(vqi_table *t, const char *name, vqi_coltype type);

/* Grow every column to hold nrows rows (new cells zero / NULL). */
int vqi_table_resize(vqi_table *t, size_t nrows);

/* Column index by name, -1 when absent. */
long vqi_table_find(const vqi_table *t, const char *name);

/* Remove column i (keeps the order of the others). */
void vqi_table_drop(vqi_table *t, size_t i);

/* Keep only the rows with keep[r] != 0. */
void vqi_table_filter_rows(vqi_table *t, const uint8_t *keep);

/* A cell as a number: floats and ints as is, bools 0/1, strings parsed
 * (NaN when not a number or missing), arrays NaN. */
double vqi_cell_f64(const vqi_column *c, size_t row);

/* A cell as text the way pandas to_csv writes it (floats with up to 17
 * significant digits, True/False, empty for missing).  Returns buf. */
const char *vqi_cell_text(const vqi_column *c, size_t row, char *buf, size_t size);

/* Read any table vqi knows, by magic (pickle, CSV; gzip/xz/bzip2). */
vqi_table *vqi_table_read(const char *path, vqi_err *err);

/* Write as pandas to_csv would (index columns first, header row). */
int vqi_table_write_csv(const vqi_table *t, FILE *f);

/* Append the rows of src to dst (columns matched by name; dst gains any
 * column it lacks, filled with missing values). */
int vqi_table_append(vqi_table *dst, const vqi_table *src, vqi_err *err);

/* ---- additions (beyond the first interface) ---- */

/* Mark a cell missing (NaN for floats, the na flag otherwise, strings freed). */
int vqi_table_set_na(vqi_table *t, vqi_column *c, size_t row);

/* Is the cell missing (NaN, NaT, None, na flag)? */
int vqi_cell_is_na(const vqi_column *c, size_t row);

/* x as Python's repr(float) writes it ("0.1", "1e-05", "123456789.0",
 * "1.5e+16", "nan", "inf").  Returns the length (truncated to size). */
size_t vqi_format_double(double x, char *buf, size_t size);

/* The same for a float32 value (numpy's shortest float32 repr: 0.001). */
size_t vqi_format_float32(double x, char *buf, size_t size);

/* numpy's str() of an array (e.g. "[[ 4380.  ]\n [19682.09]]"), malloc'd;
 * NULL on out-of-memory. */
char *vqi_array_text(const vqi_array *a);

/* pandas writes a datetime column in one style for all its rows: date only
 * (0), seconds (1), milliseconds (2), microseconds (3), nanoseconds (4). */
int vqi_datetime_style(const vqi_column *c, size_t nrows);
const char *vqi_format_datetime(int64_t ns, int style, char *buf, size_t size);

/* Parse CSV bytes (as vqi_table_read does for CSV content). */
vqi_table *vqi_csv_parse(const uint8_t *data, size_t len, vqi_err *err);

/* Parse a whole (decompressed) file content, pickle or CSV by its first
 * bytes; name is only used in messages. */
vqi_table *vqi_table_parse(const uint8_t *data, size_t len, const char *name, vqi_err *err);

#endif
