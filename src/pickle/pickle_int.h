/* pickle_int.h - internals shared by the pickle reader's files: the plain
 * object graph the opcode interpreter builds (pvm.c), numpy arrays read
 * from it (ndarray.c) and the DataFrame rebuilt from those (frame.c: index,
 * blocks, the frame; frame_column.c: the columns; shared in frame_int.h). */
#ifndef VQI_PICKLE_INT_H
#define VQI_PICKLE_INT_H

#include <stddef.h>
#include <stdint.h>
#include "pickle.h"

/* ---- object graph ---- */

typedef enum {
    P_MARK,      /* MARK on the stack (never stored in containers) */
    P_NONE,
    P_BOOL,
    P_INT,       /* fits int64 */
    P_BIGINT,    /* LONG1/LONG4 beyond int64: little-endian two's complement in s */
    P_FLOAT,
    P_BYTES,     /* bytes / bytearray */
    P_STR,       /* text, UTF-8 */
    P_STR8,      /* Python 2 byte string: bytes for arrays, latin-1 for text */
    P_TUPLE,
    P_LIST,
    P_DICT,      /* items: key, value, key, value ... */
    P_SET,
    P_FROZENSET,
    P_GLOBAL,    /* an allowed global, by id */
    P_CALL,      /* REDUCE: fn(args); NEWOBJ/INST: cls(args); state from BUILD */
} ptype;

/* The globals a DataFrame pickle may name.  Anything else is refused. */
typedef enum {
    G_NONE,
    G_DATAFRAME, G_SERIES,
    G_BLOCKMANAGER, G_SINGLEBLOCKMANAGER, G_UNPICKLE_BLOCK, G_BLOCK,
    G_NEW_INDEX, G_NEW_DATETIMEINDEX,
    G_INDEX, G_RANGEINDEX, G_INT64INDEX, G_UINT64INDEX, G_FLOAT64INDEX, G_NUMERICINDEX,
    G_DATETIMEINDEX, G_MULTIINDEX, G_CATEGORICALINDEX,
    G_CATEGORICAL, G_CATEGORICALDTYPE,
    G_BACKED_ARRAY,      /* DatetimeArray, StringArray: an ndarray in the state */
    G_NDARRAYBACKED,
    G_NP_NDARRAY, G_NP_RECONSTRUCT, G_NP_FROMBUFFER, G_NP_DTYPE, G_NP_SCALAR,
    G_COPYREG_RECONSTRUCTOR, G_SLICE, G_OBJECT, G_CODECS_ENCODE, G_PARTIAL,
    G_OFFSET,            /* pandas._libs.tslibs.offsets.* (an index's freq) */
    G_TIMESTAMP,         /* pandas._libs.tslibs.timestamps._unpickle_timestamp */
    G_MASKED,            /* nullable IntegerArray / FloatingArray / BooleanArray */
    G_BYTES,             /* builtins.bytes / bytearray (Python 3 protocol 2) */
    G_MASKED_DTYPE,      /* Int64Dtype, Float64Dtype, BooleanDtype, StringDtype */
    G_NA,                /* pandas.NA, the missing value of nullable arrays */
    G_COUNT
} gid;

typedef struct pobj pobj;
struct pobj {
    uint8_t type;    /* ptype */
    uint8_t gid;     /* P_GLOBAL */
    union {
        int64_t i;
        double f;
        struct { const uint8_t *p; size_t n; } s;            /* bytes, str, bigint */
        struct { pobj **v; size_t n, cap; } seq;             /* tuple list dict set */
        struct { pobj *fn, *args, *state; } call;
    } u;
};

/* Everything the interpreter allocates lives in one arena, freed at once. */
typedef struct arena_chunk arena_chunk;
typedef struct arena {
    arena_chunk *head;
    size_t used_total;
} arena;

void *arena_alloc(arena *a, size_t n);
void arena_free(arena *a);

/* Run the pickle program in data[0..len); returns the object STOP left, or
 * NULL with err filled. */
pobj *pvm_run(const uint8_t *data, size_t len, arena *a, vqi_err *err);

/* The id of an allowed global, G_NONE when refused. */
int pvm_lookup_global(const char *mod, size_t modn, const char *name, size_t namen);

/* Text decoders (pstr.c), results in the arena: 0, -1 malformed input,
 * -2 out of memory.  pstr_unescape: a quoted Python-2 repr to bytes;
 * pstr_raw_unicode: raw-unicode-escape to UTF-8; pstr_latin1: UTF-8 text of
 * code points < 256 to those bytes. */
int pstr_unescape(arena *a, const uint8_t *s, size_t n, const uint8_t **res, size_t *len);
int pstr_raw_unicode(arena *a, const uint8_t *s, size_t n, const uint8_t **res, size_t *len);
int pstr_latin1(arena *a, const uint8_t *utf8, size_t n, const uint8_t **res, size_t *len);

/* Name of an allowed global, for messages. */
const char *pvm_global_name(int gid);

/* Small accessors (NULL / 0 when the shape is not the expected one). */
int pobj_is_call_of(const pobj *o, int gid);        /* CALL whose fn is that global */
const pobj *pobj_arg(const pobj *call, size_t i);   /* i-th argument of a CALL */
const pobj *pobj_item(const pobj *seq, size_t i);   /* tuple/list item */
const pobj *pobj_dict_get(const pobj *dict, const char *key);
int pobj_text(const pobj *o, const char **s, size_t *n); /* str (UTF-8) or STR8 bytes */
int pobj_int(const pobj *o, int64_t *v);

/* Decode a str/STR8 into malloc'd UTF-8 (STR8 as latin-1). */
char *pobj_strdup(const pobj *o);

/* ---- numpy arrays ---- */

typedef struct ndarr {
    char kind;               /* f i u b O M m U S */
    uint32_t itemsize;
    int swap;                /* big-endian data */
    int64_t unit_ns;         /* datetime64 unit in ns (1 for ns) */
    int ndim;
    uint64_t shape[2];
    int fortran;
    const uint8_t *raw;      /* numeric: shape product * itemsize bytes */
    size_t rawlen;
    const pobj *objs;        /* kind 'O': list of the items, C order */
    char dtype_name[24];     /* numpy name: float64, int32, datetime64[ns] ... */
} ndarr;

/* Interpret o as a numpy array (_frombuffer, _reconstruct + BUILD, the
 * ndarray inside a pandas NDArrayBacked).  arena holds any bytes decoded
 * on the way (Python 3 protocol-2 _codecs.encode).  -1 + err otherwise. */
int nd_from_obj(const pobj *o, ndarr *out, arena *a, vqi_err *err);

/* A numpy scalar (numpy.core.multiarray.scalar(dtype, bytes)) as a
 * one-element array (ndim 0). */
int nd_scalar(const pobj *o, ndarr *out, vqi_err *err);

/* Element (row r of column c) of a 2-D block, or element r of a 1-D array. */
size_t nd_index(const ndarr *a, uint64_t c, uint64_t r);
double nd_get_f64(const ndarr *a, size_t idx);
int64_t nd_get_i64(const ndarr *a, size_t idx);

/* ---- frame ---- */

/* release_pages: data is a read-only file mapping whose copied array
 * payloads may be dropped from memory (see vqi_pickle_read_mapped). */
vqi_table *frame_from_obj(const pobj *top, arena *a, int release_pages, size_t data_len,
                          vqi_err *err);

#endif
