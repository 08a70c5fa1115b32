/* frame_int.h - what the two halves of the DataFrame rebuilder share:
 * frame.c (row index, blocks and their placements, the frame) calls
 * frame_column.c (cells and columns: scalars, numpy arrays, categoricals,
 * nullable arrays), and categoricals read their categories as an index.
 * Not an interface outside src/pickle. */
#ifndef VQI_FRAME_INT_H
#define VQI_FRAME_INT_H

#include "pickle_int.h"

typedef struct frame_ctx {
    arena *a;
    vqi_err *err;
    int release_pages;
    uint64_t max_rows;       /* bound on a RangeIndex's length */
} frame_ctx;

/* Fill x->err ("not a DataFrame pickle vqi understands: what" / out of
 * memory) and return -1. */
int frame_bad(frame_ctx *x, const char *what);
int frame_oom(frame_ctx *x);
/* "a tuple", "None", a global's name ... for messages. */
const char *frame_describe(const pobj *o);

/* A cell's text (malloc'd); NULL with *null = 1 for a missing value, NULL
 * with *null = 0 and x->err on failure. */
char *frame_scalar_text(frame_ctx *x, const pobj *o, int *null);

/* Rows of an array used as a column: a 1-D array, or one row of a 2-D block. */
uint64_t frame_nd_rows(const ndarr *a);
/* A numpy array object (_frombuffer or _reconstruct). */
int frame_is_array_obj(const pobj *o);

/* Add column `name` holding column c of array a (t->nrows rows). */
vqi_column *frame_add_array_column(frame_ctx *x, vqi_table *t, const char *name,
                                   const ndarr *a, uint64_t c);
int frame_is_categorical(const pobj *o);
/* A Categorical as a text column (dtype "category"), -1 code = missing. */
vqi_column *frame_add_categorical(frame_ctx *x, vqi_table *t, const char *name,
                                  const pobj *o);
int frame_is_masked(const pobj *o);
/* A nullable Int/Float/boolean array: values in '_data', missing where '_mask'. */
vqi_column *frame_add_masked(frame_ctx *x, vqi_table *t, const char *name, const pobj *o);

/* The columns of an index object (one per level; frame.c). */
int frame_index_columns(frame_ctx *x, vqi_table *t, const pobj *idx);

#endif
