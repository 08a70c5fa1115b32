/* flow_order.c - puts finished flows' rows back in first-seen order (flow
 * ids 0, 1, 2 ...) with bounded memory: a row waits, as the caller's text,
 * in a ring indexed by flow id until every older flow has finished; past a
 * byte limit the rest follow in end order (vqi_flow_order in flow.h). */
#include "flow.h"

#include <stdlib.h>
#include <string.h>

#define HELD_OVERHEAD 16            /* malloc's bookkeeping per held row */

/* Ring mark of a finished flow without a row (e.g. filtered out by a service). */
static char no_row[1];

struct vqi_flow_order {
    size_t limit;                   /* bytes held (rows + ring) at most */
    vqi_flow_row_fn emit;
    void *ctx;
    char **ring;                    /* held rows by id & (ring_cap - 1); NULL = open */
    size_t ring_cap;                /* power of two; 0 = no ring yet */
    uint64_t base, top;             /* ids base .. top-1 may be held */
    size_t held_bytes;
    int switched;                   /* end order since the limit was passed */
    uint64_t switched_at;           /* oldest open flow at that moment */
    int failed;                     /* emit failed: nothing more is written */
};

vqi_flow_order *vqi_flow_order_new(size_t limit, vqi_flow_row_fn emit, void *ctx,
                                   vqi_err *err)
{
    vqi_flow_order *o = calloc(1, sizeof *o);
    if (!o) {
        vqi_err_set(err, VQI_EXIT_FAIL, "out of memory for flow rows");
        return NULL;
    }
    o->limit = limit;
    o->emit = emit;
    o->ctx = ctx;
    return o;
}

static int emit_row(vqi_flow_order *o, const char *row, size_t len, vqi_err *err)
{
    if (o->emit(o->ctx, row, len, err) != 0) {
        o->failed = 1;
        return -1;
    }
    return 0;
}

/* Ring capacity (a power of two) that holds flow `id` (base <= id < base +
 * limit / sizeof(char *), so the doubling cannot overflow): doubling keeps
 * every held id at id & (cap - 1). */
static size_t ring_cap_for(const vqi_flow_order *o, uint64_t id)
{
    size_t cap = o->ring_cap ? o->ring_cap : 16;
    while (id - o->base >= cap)
        cap *= 2;
    return cap;
}

static int ring_grow(vqi_flow_order *o, size_t cap)
{
    if (cap == o->ring_cap)
        return 0;
    char **ring = calloc(cap, sizeof *ring);
    if (!ring)
        return -1;
    for (uint64_t k = o->base; k < o->top; k++)
        ring[k & (cap - 1)] = o->ring[k & (o->ring_cap - 1)];
    free(o->ring);
    o->ring = ring;
    o->ring_cap = cap;
    return 0;
}

static void free_held(char *row)
{
    if (row != no_row)
        free(row);
}

/* Writes and frees held rows from `base` on while their flows are finished
 * (all of them, passing over open flows, when `all`). */
static int ring_release(vqi_flow_order *o, int all, vqi_err *err)
{
    if (!o->ring)
        return 0;
    size_t mask = o->ring_cap - 1;
    while (o->base < o->top) {
        char **e = &o->ring[o->base & mask];
        if (!*e && !all)
            break;
        int rc = 0;
        if (*e && *e != no_row) {
            size_t len = strlen(*e);
            rc = emit_row(o, *e, len, err);
            o->held_bytes -= len + 1 + HELD_OVERHEAD;
        }
        free_held(*e);
        *e = NULL;
        o->base++;
        if (rc)
            return -1;
    }
    return 0;
}

/* The held rows passed the limit: write them in id order and go on in end
 * order (later rows are written as they come). */
static int switch_to_end_order(vqi_flow_order *o, vqi_err *err)
{
    o->switched = 1;
    o->switched_at = o->base;
    int rc = ring_release(o, 1, err);
    free(o->ring);
    o->ring = NULL;
    o->ring_cap = 0;
    return rc;
}

/* The ring and its rows stay within the limit, checked before growing.  A
 * flow past `base` is held, so when the limit is passed, flow `base` is open. */
int vqi_flow_order_add(vqi_flow_order *o, uint64_t id, const char *row, size_t len,
                       vqi_err *err)
{
    if (o->failed)
        return vqi_err_set(err, VQI_EXIT_FAIL, "flow rows: an earlier row was not written");
    if (o->switched)
        return row ? emit_row(o, row, len, err) : 0;
    if (id < o->base || (id < o->top && o->ring[id & (o->ring_cap - 1)]))
        return vqi_err_set(err, VQI_EXIT_FAIL, "flow rows: flow %llu finished twice",
                           (unsigned long long)id);
    if (id == o->base) {            /* its turn already: nothing to hold */
        if (row && emit_row(o, row, len, err))
            return -1;
        o->base++;
        if (o->top < o->base)
            o->top = o->base;
        return ring_release(o, 0, err);
    }
    size_t cost = row ? len + 1 + HELD_OVERHEAD : 0;
    /* id - base >= limit / 8 needs a ring of more than `limit` bytes: tested
     * first, so that a huge id never reaches the doubling */
    if (id - o->base >= o->limit / sizeof *o->ring || cost > o->limit ||
        o->held_bytes + cost + ring_cap_for(o, id) * sizeof *o->ring > o->limit) {
        if (switch_to_end_order(o, err))
            return -1;
        return row ? emit_row(o, row, len, err) : 0;
    }
    if (ring_grow(o, ring_cap_for(o, id)) != 0)
        return vqi_err_set(err, VQI_EXIT_FAIL, "out of memory for flow rows");
    char *copy = no_row;
    if (row) {
        if (!(copy = malloc(len + 1)))
            return vqi_err_set(err, VQI_EXIT_FAIL, "out of memory for flow rows");
        memcpy(copy, row, len);
        copy[len] = 0;
        o->held_bytes += cost;
    }
    o->ring[id & (o->ring_cap - 1)] = copy;
    if (id >= o->top)
        o->top = id + 1;
    return ring_release(o, 0, err);
}

int vqi_flow_order_switched(const vqi_flow_order *o, uint64_t *open_flow)
{
    if (o->switched && open_flow)
        *open_flow = o->switched_at;
    return o->switched;
}

int vqi_flow_order_finish(vqi_flow_order *o, vqi_err *err)
{
    if (o->failed)
        return vqi_err_set(err, VQI_EXIT_FAIL, "flow rows: an earlier row was not written");
    return ring_release(o, 1, err);
}

void vqi_flow_order_free(vqi_flow_order *o)
{
    if (!o)
        return;
    for (size_t k = 0; k < o->ring_cap; k++)
        free_held(o->ring[k]);
    free(o->ring);
    free(o);
}
