/* session_index.c - finding sessions fast when a capture holds many
 * clients: a hash from client address to session slot (linear probing with
 * backward-shift deletion) and a min-heap of window ends, so that neither
 * the per-packet lookups nor the window closing scan every session. */
#include "session_index.h"

#include <stdlib.h>
#include <string.h>

void vqi_sidx_free(vqi_sidx *x)
{
    free(x->slot);
    free(x->heap);
    memset(x, 0, sizeof *x);
}

static int grow_hash(vqi_sidx *x, const vqi_session *sess)
{
    size_t cap = x->cap ? x->cap * 2 : 64;
    uint32_t *ns = calloc(cap, sizeof *ns);
    if (!ns)
        return -1;
    for (size_t i = 0; i < x->cap; i++) {
        if (!x->slot[i])
            continue;
        size_t j = vqi_addr_hash(sess[x->slot[i] - 1].client) & (cap - 1);
        while (ns[j])
            j = (j + 1) & (cap - 1);
        ns[j] = x->slot[i];
    }
    free(x->slot);
    x->slot = ns;
    x->cap = cap;
    return 0;
}

long vqi_sidx_find(const vqi_sidx *x, const vqi_session *sess, const uint8_t client[16])
{
    if (!x->count)
        return -1;
    for (size_t j = vqi_addr_hash(client) & (x->cap - 1); x->slot[j]; j = (j + 1) & (x->cap - 1))
        if (vqi_same_addr(sess[x->slot[j] - 1].client, client))
            return (long)x->slot[j] - 1;
    return -1;
}

int vqi_sidx_insert(vqi_sidx *x, const vqi_session *sess, uint32_t index)
{
    if ((x->count + 1) * 2 > x->cap && grow_hash(x, sess) < 0)
        return -1;
    size_t j = vqi_addr_hash(sess[index].client) & (x->cap - 1);
    while (x->slot[j])
        j = (j + 1) & (x->cap - 1);
    x->slot[j] = index + 1;
    x->count++;
    return 0;
}

void vqi_sidx_remove(vqi_sidx *x, const vqi_session *sess, uint32_t index)
{
    if (!x->cap)
        return;
    size_t mask = x->cap - 1, j = vqi_addr_hash(sess[index].client) & mask;
    while (x->slot[j] && x->slot[j] != index + 1)
        j = (j + 1) & mask;
    if (!x->slot[j])
        return;
    /* backward-shift deletion keeps every probe chain unbroken */
    size_t hole = j;
    for (size_t k = (j + 1) & mask; x->slot[k]; k = (k + 1) & mask) {
        size_t home = vqi_addr_hash(sess[x->slot[k] - 1].client) & mask;
        if (((k - home) & mask) >= ((k - hole) & mask)) {
            x->slot[hole] = x->slot[k];
            hole = k;
        }
    }
    x->slot[hole] = 0;
    x->count--;
}

/* ---- heap of (window end, slot, generation) ---- */

static int earlier(const vqi_sidx_due *a, const vqi_sidx_due *b) { return a->end_ns < b->end_ns; }

int vqi_sidx_push(vqi_sidx *x, int64_t end_ns, uint32_t index, uint32_t gen)
{
    if (x->n_heap == x->cap_heap) {
        size_t cap = x->cap_heap ? x->cap_heap * 2 : 64;
        vqi_sidx_due *nh = realloc(x->heap, cap * sizeof *nh);
        if (!nh)
            return -1;
        x->heap = nh;
        x->cap_heap = cap;
    }
    size_t i = x->n_heap++;
    vqi_sidx_due d = {end_ns, index, gen};
    while (i > 0 && earlier(&d, &x->heap[(i - 1) / 2])) {
        x->heap[i] = x->heap[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    x->heap[i] = d;
    return 0;
}

int64_t vqi_sidx_next(const vqi_sidx *x)
{
    return x->n_heap ? x->heap[0].end_ns : INT64_MAX;
}

vqi_sidx_due vqi_sidx_pop(vqi_sidx *x)
{
    vqi_sidx_due top = x->heap[0], last = x->heap[--x->n_heap];
    size_t i = 0, n = x->n_heap;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && earlier(&x->heap[c + 1], &x->heap[c]))
            c++;
        if (!earlier(&x->heap[c], &last))
            break;
        x->heap[i] = x->heap[c];
        i = c;
    }
    if (n)
        x->heap[i] = last;
    return top;
}
