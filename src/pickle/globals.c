/* globals.c - the allow-list of globals a pandas DataFrame pickle may name
 * (pandas 0.2x-3.x and numpy 1.x/2.x module paths).  The interpreter
 * refuses every other global by name. */
#include "pickle_int.h"

#include <string.h>

/* ---- the allow-list ---- */

typedef struct allowed {
    const char *module, *name;   /* name NULL: any name in the module */
    int gid;
} allowed;

static const allowed ALLOWED[] = {
    {"pandas.core.frame", "DataFrame", G_DATAFRAME},
    {"pandas", "DataFrame", G_DATAFRAME},
    {"pandas.core.series", "Series", G_SERIES},
    {"pandas", "Series", G_SERIES},
    {"pandas.core.internals.managers", "BlockManager", G_BLOCKMANAGER},
    {"pandas.core.internals", "BlockManager", G_BLOCKMANAGER},
    {"pandas.core.internals.managers", "SingleBlockManager", G_SINGLEBLOCKMANAGER},
    {"pandas.core.internals", "SingleBlockManager", G_SINGLEBLOCKMANAGER},
    {"pandas._libs.internals", "_unpickle_block", G_UNPICKLE_BLOCK},
    {"pandas.core.internals.blocks", "new_block", G_UNPICKLE_BLOCK},
    {"pandas.core.indexes.base", "_new_Index", G_NEW_INDEX},
    {"pandas.core.index", "_new_Index", G_NEW_INDEX},
    {"pandas.indexes.base", "_new_Index", G_NEW_INDEX},
    {"pandas.core.indexes.datetimes", "_new_DatetimeIndex", G_NEW_DATETIMEINDEX},
    {"pandas.tseries.index", "_new_DatetimeIndex", G_NEW_DATETIMEINDEX},
    {"pandas.core.indexes.base", "Index", G_INDEX},
    {"pandas.core.index", "Index", G_INDEX},
    {"pandas.indexes.base", "Index", G_INDEX},
    {"pandas", "Index", G_INDEX},
    {"pandas.core.indexes.range", "RangeIndex", G_RANGEINDEX},
    {"pandas.indexes.range", "RangeIndex", G_RANGEINDEX},
    {"pandas", "RangeIndex", G_RANGEINDEX},
    {"pandas.core.indexes.numeric", "Int64Index", G_INT64INDEX},
    {"pandas.indexes.numeric", "Int64Index", G_INT64INDEX},
    {"pandas.core.index", "Int64Index", G_INT64INDEX},
    {"pandas.core.indexes.numeric", "UInt64Index", G_UINT64INDEX},
    {"pandas.core.indexes.numeric", "Float64Index", G_FLOAT64INDEX},
    {"pandas.indexes.numeric", "Float64Index", G_FLOAT64INDEX},
    {"pandas.core.index", "Float64Index", G_FLOAT64INDEX},
    {"pandas.core.indexes.numeric", "NumericIndex", G_NUMERICINDEX},
    {"pandas.core.indexes.datetimes", "DatetimeIndex", G_DATETIMEINDEX},
    {"pandas.tseries.index", "DatetimeIndex", G_DATETIMEINDEX},
    {"pandas", "DatetimeIndex", G_DATETIMEINDEX},
    {"pandas.core.indexes.multi", "MultiIndex", G_MULTIINDEX},
    {"pandas.indexes.multi", "MultiIndex", G_MULTIINDEX},
    {"pandas.core.index", "MultiIndex", G_MULTIINDEX},
    {"pandas", "MultiIndex", G_MULTIINDEX},
    {"pandas.core.indexes.category", "CategoricalIndex", G_CATEGORICALINDEX},
    {"pandas.core.arrays.categorical", "Categorical", G_CATEGORICAL},
    {"pandas.core.categorical", "Categorical", G_CATEGORICAL},
    {"pandas", "Categorical", G_CATEGORICAL},
    {"pandas.core.dtypes.dtypes", "CategoricalDtype", G_CATEGORICALDTYPE},
    {"pandas", "CategoricalDtype", G_CATEGORICALDTYPE},
    {"pandas.core.arrays.datetimes", "DatetimeArray", G_BACKED_ARRAY},
    /* pandas >= 3 stores text as StringArray (an NDArrayBacked object array,
     * python storage); its dtype is data, not code */
    {"pandas.core.arrays.string_", "StringArray", G_BACKED_ARRAY},
    {"pandas.core.arrays.string_", "StringDtype", G_MASKED_DTYPE},
    {"pandas", "StringDtype", G_MASKED_DTYPE},
    {"pandas._libs.missing", "NA", G_NA},
    {"pandas._libs.arrays", "__pyx_unpickle_NDArrayBacked", G_NDARRAYBACKED},
    {"pandas._libs.tslibs.offsets", NULL, G_OFFSET},
    {"pandas.tseries.offsets", NULL, G_OFFSET},
    {"pandas._libs.tslibs.timestamps", "_unpickle_timestamp", G_TIMESTAMP},
    {"pandas.core.arrays.integer", "IntegerArray", G_MASKED},
    {"pandas.core.arrays.floating", "FloatingArray", G_MASKED},
    {"pandas.core.arrays.boolean", "BooleanArray", G_MASKED},
    {"pandas.core.arrays.integer", NULL, G_MASKED_DTYPE},      /* Int8Dtype ... UInt64Dtype */
    {"pandas.core.arrays.floating", NULL, G_MASKED_DTYPE},
    {"pandas.core.arrays.boolean", "BooleanDtype", G_MASKED_DTYPE},
    {"builtins", "bytes", G_BYTES},
    {"__builtin__", "bytes", G_BYTES},
    {"builtins", "bytearray", G_BYTES},
    {"__builtin__", "bytearray", G_BYTES},
    {"numpy", "ndarray", G_NP_NDARRAY},
    {"numpy", "dtype", G_NP_DTYPE},
    {"numpy.core.multiarray", "_reconstruct", G_NP_RECONSTRUCT},
    {"numpy._core.multiarray", "_reconstruct", G_NP_RECONSTRUCT},
    {"numpy.core.multiarray", "scalar", G_NP_SCALAR},
    {"numpy._core.multiarray", "scalar", G_NP_SCALAR},
    {"numpy.core.numeric", "_frombuffer", G_NP_FROMBUFFER},
    {"numpy._core.numeric", "_frombuffer", G_NP_FROMBUFFER},
    {"copyreg", "_reconstructor", G_COPYREG_RECONSTRUCTOR},
    {"copy_reg", "_reconstructor", G_COPYREG_RECONSTRUCTOR},
    {"builtins", "slice", G_SLICE},
    {"__builtin__", "slice", G_SLICE},
    {"builtins", "object", G_OBJECT},
    {"__builtin__", "object", G_OBJECT},
    {"_codecs", "encode", G_CODECS_ENCODE},
    {"functools", "partial", G_PARTIAL},
};

static const char *const GLOBAL_NAMES[G_COUNT] = {
    [G_DATAFRAME] = "DataFrame", [G_SERIES] = "Series", [G_BLOCKMANAGER] = "BlockManager",
    [G_SINGLEBLOCKMANAGER] = "SingleBlockManager", [G_UNPICKLE_BLOCK] = "_unpickle_block",
    [G_NEW_INDEX] = "_new_Index", [G_NEW_DATETIMEINDEX] = "_new_DatetimeIndex",
    [G_INDEX] = "Index", [G_RANGEINDEX] = "RangeIndex", [G_INT64INDEX] = "Int64Index",
    [G_UINT64INDEX] = "UInt64Index", [G_FLOAT64INDEX] = "Float64Index",
    [G_NUMERICINDEX] = "NumericIndex", [G_DATETIMEINDEX] = "DatetimeIndex",
    [G_MULTIINDEX] = "MultiIndex", [G_CATEGORICALINDEX] = "CategoricalIndex",
    [G_CATEGORICAL] = "Categorical", [G_CATEGORICALDTYPE] = "CategoricalDtype",
    [G_BACKED_ARRAY] = "a pandas array", [G_NDARRAYBACKED] = "__pyx_unpickle_NDArrayBacked",
    [G_NP_NDARRAY] = "numpy.ndarray", [G_NP_RECONSTRUCT] = "numpy _reconstruct",
    [G_NP_FROMBUFFER] = "numpy _frombuffer", [G_NP_DTYPE] = "numpy.dtype",
    [G_NP_SCALAR] = "numpy scalar", [G_COPYREG_RECONSTRUCTOR] = "copyreg._reconstructor",
    [G_SLICE] = "slice", [G_OBJECT] = "object", [G_CODECS_ENCODE] = "_codecs.encode",
    [G_PARTIAL] = "functools.partial", [G_OFFSET] = "a pandas offset",
    [G_TIMESTAMP] = "Timestamp", [G_MASKED] = "a nullable pandas array",
    [G_BYTES] = "bytes", [G_MASKED_DTYPE] = "a nullable dtype",
    [G_NA] = "pandas.NA",
};

const char *pvm_global_name(int gid)
{
    return gid > G_NONE && gid < G_COUNT && GLOBAL_NAMES[gid] ? GLOBAL_NAMES[gid] : "?";
}

int pvm_lookup_global(const char *mod, size_t modn, const char *name, size_t namen)
{
    for (size_t i = 0; i < sizeof ALLOWED / sizeof *ALLOWED; i++) {
        const allowed *g = &ALLOWED[i];
        if (strlen(g->module) != modn || memcmp(g->module, mod, modn) != 0)
            continue;
        if (!g->name) {
            for (size_t k = 0; k < namen; k++)   /* identifiers only */
                if (!(name[k] == '_' || (name[k] >= 'a' && name[k] <= 'z') ||
                      (name[k] >= 'A' && name[k] <= 'Z') || (name[k] >= '0' && name[k] <= '9')))
                    return G_NONE;
            return namen ? g->gid : G_NONE;
        }
        if (strlen(g->name) == namen && memcmp(g->name, name, namen) == 0)
            return g->gid;
    }
    return G_NONE;
}

