/* frame.c - a pandas DataFrame (or Series) rebuilt as a vqi_table from the
 * pickle object graph: the BlockManager (reduce form of pandas >= 1.1 and
 * the older BUILD-state form), its blocks and their placements, and the row
 * index (RangeIndex, Index, Int64Index, DatetimeIndex, MultiIndex: one
 * leading is_index column per level, as to_csv writes them).  The column
 * kinds themselves are in frame_column.c. */
#include "frame_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- index ---- */

/* The first index decides the row count; later ones must agree. */
static int set_rows(frame_ctx *x, vqi_table *t, uint64_t n)
{
    if (t->ncols == 0 && t->nrows == 0) {
        if (n > SIZE_MAX / 16 || vqi_table_resize(t, (size_t)n) < 0)
            return frame_oom(x);
        return 0;
    }
    if (n != t->nrows)
        return frame_bad(x, "index levels of different lengths");
    return 0;
}

static char *name_text(frame_ctx *x, const pobj *o)
{
    int null;
    if (!o)
        return strdup("");
    char *s = frame_scalar_text(x, o, &null);
    return s ? s : null ? strdup("") : NULL;
}

static int add_index_array(frame_ctx *x, vqi_table *t, const pobj *data, const pobj *name_obj)
{
    if (frame_is_categorical(data)) {
        const pobj *st = data->u.call.state;
        const pobj *codes = st && st->type == P_TUPLE ? pobj_item(st, 1) : pobj_dict_get(st, "_codes");
        ndarr c;
        if (!codes || nd_from_obj(codes, &c, x->a, x->err) < 0 || set_rows(x, t, frame_nd_rows(&c)) < 0)
            return -1;
        char *name = name_text(x, name_obj);
        vqi_column *col = name ? frame_add_categorical(x, t, name, data) : NULL;
        free(name);
        if (!col)
            return -1;
        col->is_index = 1;
        return 0;
    }
    ndarr a;
    if (nd_from_obj(data, &a, x->a, x->err) < 0)
        return -1;
    if (a.ndim != 1)
        return frame_bad(x, "index data is not one-dimensional");
    if (set_rows(x, t, a.shape[0]) < 0)
        return -1;
    char *name = name_text(x, name_obj);
    if (!name)
        return -1;
    vqi_column *col = frame_add_array_column(x, t, name, &a, 0);
    free(name);
    if (!col)
        return -1;
    col->is_index = 1;
    return 0;
}

static int range_index(frame_ctx *x, vqi_table *t, const pobj *d)
{
    int64_t start = 0, stop = 0, step = 1;
    pobj_int(pobj_dict_get(d, "start"), &start);
    if (!pobj_int(pobj_dict_get(d, "stop"), &stop))
        return frame_bad(x, "RangeIndex without stop");
    pobj_int(pobj_dict_get(d, "step"), &step);
    if (step == 0)
        return frame_bad(x, "RangeIndex with step 0");
    /* count in 128-bit-safe steps: (stop - start) may overflow int64 */
    long double span = (long double)stop - (long double)start;
    long double cnt = span / step;
    uint64_t n = cnt <= 0 ? 0 : (uint64_t)ceill(cnt);
    /* a frame with columns needs at least a byte per row in the stream */
    if (n > x->max_rows)
        return frame_bad(x, "RangeIndex longer than the data could hold");
    if (set_rows(x, t, n) < 0)
        return -1;
    char *name = name_text(x, pobj_dict_get(d, "name"));
    vqi_column *col = name ? vqi_table_add(t, name, VQI_COL_I64) : NULL;
    free(name);
    if (!col)
        return frame_oom(x);
    col->is_index = 1;
    for (size_t r = 0; r < t->nrows; r++)
        col->i64[r] = (int64_t)((uint64_t)start + (uint64_t)r * (uint64_t)step);  /* no UB */
    return 0;
}

static int multi_index(frame_ctx *x, vqi_table *t, const pobj *d)
{
    const pobj *levels = pobj_dict_get(d, "levels");
    const pobj *codes = pobj_dict_get(d, "codes");
    const pobj *names = pobj_dict_get(d, "names");
    if (!codes)
        codes = pobj_dict_get(d, "labels");       /* pandas < 0.24 */
    if (!levels || !codes || levels->type != P_LIST || codes->type != P_LIST ||
        levels->u.seq.n != codes->u.seq.n || levels->u.seq.n == 0)
        return frame_bad(x, "MultiIndex without matching levels and codes");
    for (size_t l = 0; l < levels->u.seq.n; l++) {
        ndarr c;
        if (nd_from_obj(codes->u.seq.v[l], &c, x->a, x->err) < 0)
            return -1;
        if (c.ndim != 1 || (c.kind != 'i' && c.kind != 'u'))
            return frame_bad(x, "MultiIndex codes are not integers");
        if (set_rows(x, t, c.shape[0]) < 0)
            return -1;
        vqi_table *lt = vqi_table_new();
        if (!lt)
            return frame_oom(x);
        if (frame_index_columns(x, lt, levels->u.seq.v[l]) < 0 || lt->ncols != 1) {
            int flat = lt->ncols == 1;      /* read before the table is freed */
            vqi_table_free(lt);
            return flat ? -1 : frame_bad(x, "MultiIndex level is not a flat index");
        }
        char *name = name_text(x, pobj_item(names, l));
        const vqi_column *lv = &lt->cols[0];
        vqi_column *col = name ? vqi_table_add(t, name, lv->type == VQI_COL_ARRAY ? VQI_COL_STR
                                                                                  : lv->type)
                               : NULL;
        free(name);
        if (!col) {
            vqi_table_free(lt);
            return frame_oom(x);
        }
        col->is_index = 1;
        memcpy(col->dtype, lv->dtype, sizeof col->dtype);
        int rc = 0;
        for (size_t r = 0; r < t->nrows && rc == 0; r++) {
            int64_t k = nd_get_i64(&c, r);
            if (k < 0) {
                rc = vqi_table_set_na(t, col, r) < 0 ? frame_oom(x) : 0;
                continue;
            }
            if ((uint64_t)k >= lt->nrows) {
                rc = frame_bad(x, "MultiIndex code out of range");
                break;
            }
            switch (col->type) {
            case VQI_COL_F64: col->f64[r] = lv->f64[k]; break;
            case VQI_COL_I64: case VQI_COL_DATETIME: col->i64[r] = lv->i64[k]; break;
            case VQI_COL_BOOL: col->b[r] = lv->b[k]; break;
            default:
                if (lv->str && lv->str[k] && !(col->str[r] = strdup(lv->str[k])))
                    rc = frame_oom(x);
                break;
            }
            if (vqi_cell_is_na(lv, (size_t)k) && col->type != VQI_COL_STR)
                vqi_table_set_na(t, col, r);
        }
        vqi_table_free(lt);
        if (rc < 0)
            return -1;
    }
    return 0;
}

/* Append the columns of an index object to t (flagged is_index). */
int frame_index_columns(frame_ctx *x, vqi_table *t, const pobj *idx)
{
    if (pobj_is_call_of(idx, G_NEW_INDEX) || pobj_is_call_of(idx, G_NEW_DATETIMEINDEX)) {
        const pobj *cls = pobj_arg(idx, 0), *d = pobj_arg(idx, 1);
        if (!cls || cls->type != P_GLOBAL || !d || d->type != P_DICT)
            return frame_bad(x, "index without its class and attributes");
        if (cls->gid == G_RANGEINDEX)
            return range_index(x, t, d);
        if (cls->gid == G_MULTIINDEX)
            return multi_index(x, t, d);
        const pobj *data = pobj_dict_get(d, "data");
        if (!data)
            return frame_bad(x, "index without data");
        return add_index_array(x, t, data, pobj_dict_get(d, "name"));
    }
    if (frame_is_array_obj(idx))                         /* very old layouts: a bare array */
        return add_index_array(x, t, idx, NULL);
    return vqi_err_set(x->err, VQI_EXIT_USAGE,
                       "not a DataFrame pickle vqi understands: index is %s", frame_describe(idx));
}

/* ---- blocks ---- */

typedef struct block {
    const pobj *values;
    const pobj *placement;
} block;

/* Column positions of a block: slice(start, stop, step) or int array. */
static int placement(frame_ctx *x, const pobj *p, uint64_t count, size_t ncols, size_t *pos)
{
    if (pobj_is_call_of(p, G_SLICE)) {
        int64_t start = 0, stop = 0, step = 1;
        const pobj *s0 = pobj_arg(p, 0), *s2 = pobj_arg(p, 2);
        if (s0 && s0->type != P_NONE && !pobj_int(s0, &start))
            return frame_bad(x, "block placement slice");
        if (!pobj_int(pobj_arg(p, 1), &stop))
            return frame_bad(x, "block placement slice without stop");
        if (s2 && s2->type != P_NONE && !pobj_int(s2, &step))
            return frame_bad(x, "block placement slice");
        if (step <= 0 || start < 0 || (uint64_t)start >= ncols + (count == 0) ||
            (count > 1 && (uint64_t)step > ncols))
            return frame_bad(x, "block placement slice");
        for (uint64_t i = 0; i < count; i++) {
            int64_t v = (int64_t)((uint64_t)start + i * (uint64_t)step);
            if (v >= stop || (uint64_t)v >= ncols)
                return frame_bad(x, "block placement beyond the columns");
            pos[i] = (size_t)v;
        }
        return 0;
    }
    ndarr a;
    if (nd_from_obj(p, &a, x->a, x->err) < 0)
        return -1;
    if ((a.kind != 'i' && a.kind != 'u') || a.ndim != 1 || a.shape[0] != count)
        return frame_bad(x, "block placement does not match its values");
    for (uint64_t i = 0; i < count; i++) {
        int64_t v = nd_get_i64(&a, (size_t)i);
        if (v < 0 || (uint64_t)v >= ncols)
            return frame_bad(x, "block placement beyond the columns");
        pos[i] = (size_t)v;
    }
    return 0;
}

/* Collect (values, placement) of each block, and the axes. */
static int manager_parts(frame_ctx *x, const pobj *mgr, const pobj **axes, block **blocks, size_t *nb)
{
    const pobj *list = NULL;
    *nb = 0;
    *blocks = NULL;
    if (mgr->u.call.state) {
        /* BUILD form: (axes, values, items, {'0.14.1': {axes, blocks}}) */
        const pobj *st = mgr->u.call.state;
        const pobj *extra = pobj_dict_get(pobj_item(st, 3), "0.14.1");
        if (!extra)
            return frame_bad(x, "BlockManager state of a pandas older than 0.14.1");
        *axes = pobj_dict_get(extra, "axes");
        list = pobj_dict_get(extra, "blocks");
    } else {
        /* reduce form: BlockManager(blocks, axes) */
        list = pobj_arg(mgr, 0);
        *axes = pobj_arg(mgr, 1);
    }
    if (!list || (list->type != P_LIST && list->type != P_TUPLE) || !*axes ||
        ((*axes)->type != P_LIST && (*axes)->type != P_TUPLE))
        return frame_bad(x, "BlockManager without blocks and axes");
    *blocks = calloc(list->u.seq.n ? list->u.seq.n : 1, sizeof **blocks);
    if (!*blocks)
        return frame_oom(x);
    for (size_t i = 0; i < list->u.seq.n; i++) {
        const pobj *b = list->u.seq.v[i];
        if (pobj_is_call_of(b, G_UNPICKLE_BLOCK)) {
            (*blocks)[i].values = pobj_arg(b, 0);
            (*blocks)[i].placement = pobj_arg(b, 1);
        } else if (b->type == P_DICT) {
            (*blocks)[i].values = pobj_dict_get(b, "values");
            (*blocks)[i].placement = pobj_dict_get(b, "mgr_locs");
        }
        if (!(*blocks)[i].values || !(*blocks)[i].placement)
            return frame_bad(x, "block without values or placement");
    }
    *nb = list->u.seq.n;
    return 0;
}

/* ---- the frame ---- */

typedef struct built_block {
    ndarr nd;
    int categorical;         /* a 1-D extension array: Categorical or nullable */
    uint64_t width;          /* columns held */
} built_block;

static int column_names(frame_ctx *x, const pobj *cols, vqi_table **names)
{
    *names = vqi_table_new();
    if (!*names)
        return frame_oom(x);
    if (frame_index_columns(x, *names, cols) < 0)
        return -1;
    if ((*names)->ncols != 1)
        return frame_bad(x, "MultiIndex columns are not supported");
    return 0;
}

static int build_columns(frame_ctx *x, vqi_table *t, const block *blocks, size_t nb,
                         const vqi_table *names, const char *series_name)
{
    size_t ncols = names ? names->nrows : 1;
    built_block *bb = calloc(nb ? nb : 1, sizeof *bb);
    size_t *slot_b = malloc((ncols ? ncols : 1) * sizeof *slot_b);
    size_t *slot_k = malloc((ncols ? ncols : 1) * sizeof *slot_k);
    size_t *pos = NULL;
    int rc = -1;
    if (!bb || !slot_b || !slot_k) {
        frame_oom(x);
        goto done;
    }
    for (size_t i = 0; i < ncols; i++)
        slot_b[i] = SIZE_MAX;
    for (size_t b = 0; b < nb; b++) {
        if (frame_is_categorical(blocks[b].values) || frame_is_masked(blocks[b].values)) {
            bb[b].categorical = 1;      /* 1-D extension arrays: one column */
            bb[b].width = 1;
        } else {
            if (nd_from_obj(blocks[b].values, &bb[b].nd, x->a, x->err) < 0)
                goto done;
            bb[b].width = bb[b].nd.ndim == 2 ? bb[b].nd.shape[0] : 1;
        }
        if (bb[b].width > ncols) {
            frame_bad(x, "block wider than the columns");
            goto done;
        }
        free(pos);
        pos = malloc((bb[b].width ? bb[b].width : 1) * sizeof *pos);
        if (!pos) {
            frame_oom(x);
            goto done;
        }
        if (placement(x, blocks[b].placement, bb[b].width, ncols, pos) < 0)
            goto done;
        for (uint64_t k = 0; k < bb[b].width; k++) {
            if (slot_b[pos[k]] != SIZE_MAX) {
                frame_bad(x, "two blocks hold the same column");
                goto done;
            }
            slot_b[pos[k]] = b;
            slot_k[pos[k]] = (size_t)k;
        }
    }
    char buf[256];
    for (size_t i = 0; i < ncols; i++) {
        if (slot_b[i] == SIZE_MAX) {
            frame_bad(x, "a column is in no block");
            goto done;
        }
        const char *name = names ? vqi_cell_text(&names->cols[0], i, buf, sizeof buf) : series_name;
        const built_block *b = &bb[slot_b[i]];
        const pobj *v = blocks[slot_b[i]].values;
        vqi_column *col = !b->categorical ? frame_add_array_column(x, t, name, &b->nd, slot_k[i])
                        : frame_is_masked(v) ? frame_add_masked(x, t, name, v)
                                       : frame_add_categorical(x, t, name, v);
        if (!col)
            goto done;
    }
    rc = 0;
done:
    free(bb);
    free(slot_b);
    free(slot_k);
    free(pos);
    return rc;
}

vqi_table *frame_from_obj(const pobj *top, arena *a, int release_pages, size_t data_len,
                          vqi_err *err)
{
    frame_ctx x = {a, err, release_pages, 0};
    int series = pobj_is_call_of(top, G_SERIES);
    if (!series && !pobj_is_call_of(top, G_DATAFRAME)) {
        vqi_err_set(err, VQI_EXIT_USAGE, "pickle holds %s, not a pandas DataFrame or Series",
                    frame_describe(top));
        return NULL;
    }
    const pobj *st = top->u.call.state;
    const pobj *mgr = pobj_dict_get(st, "_mgr");
    if (!mgr)
        mgr = pobj_dict_get(st, "_data");             /* pandas < 1.1 */
    if (!pobj_is_call_of(mgr, G_BLOCKMANAGER) && !pobj_is_call_of(mgr, G_SINGLEBLOCKMANAGER)) {
        vqi_err_set(err, VQI_EXIT_USAGE,
                    "not a DataFrame pickle vqi understands: its data is %s, not a BlockManager",
                    frame_describe(mgr));
        return NULL;
    }
    const pobj *axes = NULL;
    block *blocks = NULL;
    size_t nb;
    vqi_table *t = NULL, *names = NULL;
    char *series_name = NULL;
    if (manager_parts(&x, mgr, &axes, &blocks, &nb) < 0)
        goto fail;
    /* every row of a frame with columns takes at least one byte of the
     * stream; a frame without columns gets a generous fixed bound */
    x.max_rows = nb ? data_len : (uint64_t)1 << 24;
    if (axes->u.seq.n != (series ? 1u : 2u)) {
        frame_bad(&x, "wrong number of axes");
        goto fail;
    }
    if (!(t = vqi_table_new())) {
        frame_oom(&x);
        goto fail;
    }
    if (frame_index_columns(&x, t, axes->u.seq.v[series ? 0 : 1]) < 0)
        goto fail;
    if (series) {
        /* to_frame() names the column after the Series, 0 when unnamed */
        const pobj *n = pobj_dict_get(st, "name");
        series_name = n && n->type != P_NONE ? name_text(&x, n) : strdup("0");
        if (!series_name)
            goto fail;
    } else if (column_names(&x, axes->u.seq.v[0], &names) < 0)
        goto fail;
    if (build_columns(&x, t, blocks, nb, names, series_name) < 0)
        goto fail;
    free(blocks);
    free(series_name);
    vqi_table_free(names);
    return t;
fail:
    free(blocks);
    free(series_name);
    vqi_table_free(names);
    vqi_table_free(t);
    return NULL;
}
