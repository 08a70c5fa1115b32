/* flow_table.c - the 5-tuple flow table: open addressing, LRU eviction.
 *
 * Layout: one array of fixed-stride slots (header + user payload) and a
 * separate power-of-two index of slot numbers probed linearly.  The index is
 * kept at most half full, deletions shift later entries back (no tombstones),
 * so probes stay short under churn.  Two intrusive doubly linked lists thread
 * the live slots: by recency (head = least recently seen, for idle and
 * table-full eviction in O(1)) and by creation (for flushing in first-seen
 * order).  Freed slots are chained through the recency links; slots past
 * used_slots were never handed out and are left untouched, because on the
 * project's VM every fresh page costs a 10-15 us fault: preparing all 256
 * initial slots (315 KB for `vqi flows`) was ~1 ms of a 9 ms run. */
#include "flow.h"

#include <stdlib.h>
#include <string.h>

#define NIL UINT32_MAX
#define DEFAULT_MAX_FLOWS ((size_t)1 << 20)
#define INITIAL_SLOTS 256

typedef struct slot_hdr {
    vqi_flow_info info;
    uint64_t hash;
    uint32_t lru_prev, lru_next;     /* recency list, or free chain (next) */
    uint32_t age_prev, age_next;     /* creation-order list */
    uint8_t live;
} slot_hdr;

struct vqi_flow_table {
    vqi_flow_config cfg;
    size_t stride;                   /* bytes per slot: header + user payload */
    size_t user_offset;
    uint8_t *slots;
    uint32_t n_slots;                /* allocated slots */
    uint32_t used_slots;             /* slots ever handed out; the rest are untouched */
    uint32_t max_slots;
    uint32_t *index;                 /* slot + 1, 0 = empty */
    uint32_t index_mask;             /* index size - 1 */
    uint32_t free_head;
    uint32_t lru_head, lru_tail, age_head, age_tail;
    size_t live;
    uint64_t next_id;
    uint32_t last_slot;              /* slot of the previous packet, or NIL */
};

static size_t align16(size_t n) { return (n + 15) & ~(size_t)15; }

static slot_hdr *hdr(const vqi_flow_table *t, uint32_t slot)
{
    return (slot_hdr *)(t->slots + (size_t)slot * t->stride);
}

/* ------------------------------------------------------------ hashing -- */

static uint64_t mix(uint64_t h, uint64_t w)
{
    h ^= w;
    h *= 0x9E3779B97F4A7C15ull;
    return h ^ (h >> 29);
}

static uint64_t load64(const uint8_t *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    return w;
}

static int addr_eq(const uint8_t *a, const uint8_t *b)
{
    return load64(a) == load64(b) && load64(a + 8) == load64(b + 8);
}

/* One endpoint (address, port) mixed into 64 bits.  IPv4-mapped addresses
 * differ only in their last four bytes, which the multiply spreads. */
static uint64_t endpoint_hash(const uint8_t *a, uint16_t port)
{
    uint64_t h = mix(0x243F6A8885A308D3ull, load64(a));
    return mix(h, load64(a + 8) ^ ((uint64_t)port << 48));
}

/* Both directions hash alike in bidirectional mode: the endpoints' hashes
 * are added, which does not depend on their order (and costs no compare of
 * the addresses, as putting them in a canonical order did). */
static uint64_t key_hash(const uint8_t *a, uint16_t pa, const uint8_t *b, uint16_t pb,
                         uint8_t proto, int unidirectional)
{
    uint64_t ha = endpoint_hash(a, pa), hb = endpoint_hash(b, pb);
    uint64_t h = (unidirectional ? ha * 0x9E3779B97F4A7C15ull : ha) + hb + proto;
    /* murmur3's finalizer: every input bit reaches the low bits the index uses */
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDull;
    h ^= h >> 33;
    h *= 0xC4CEB9FE1A85EC53ull;
    h ^= h >> 33;
    return h ? h : 1;
}

/* ------------------------------------------------------------- lists -- */

static void lru_unlink(vqi_flow_table *t, uint32_t s)
{
    slot_hdr *h = hdr(t, s);
    if (h->lru_prev != NIL) hdr(t, h->lru_prev)->lru_next = h->lru_next;
    else t->lru_head = h->lru_next;
    if (h->lru_next != NIL) hdr(t, h->lru_next)->lru_prev = h->lru_prev;
    else t->lru_tail = h->lru_prev;
}

static void lru_append(vqi_flow_table *t, uint32_t s)
{
    slot_hdr *h = hdr(t, s);
    h->lru_prev = t->lru_tail;
    h->lru_next = NIL;
    if (t->lru_tail != NIL) hdr(t, t->lru_tail)->lru_next = s;
    else t->lru_head = s;
    t->lru_tail = s;
}

static void age_unlink(vqi_flow_table *t, uint32_t s)
{
    slot_hdr *h = hdr(t, s);
    if (h->age_prev != NIL) hdr(t, h->age_prev)->age_next = h->age_next;
    else t->age_head = h->age_next;
    if (h->age_next != NIL) hdr(t, h->age_next)->age_prev = h->age_prev;
    else t->age_tail = h->age_prev;
}

static void age_append(vqi_flow_table *t, uint32_t s)
{
    slot_hdr *h = hdr(t, s);
    h->age_prev = t->age_tail;
    h->age_next = NIL;
    if (t->age_tail != NIL) hdr(t, t->age_tail)->age_next = s;
    else t->age_head = s;
    t->age_tail = s;
}

/* ------------------------------------------------------------- index -- */

static void index_insert(vqi_flow_table *t, uint32_t s)
{
    uint32_t i = (uint32_t)hdr(t, s)->hash & t->index_mask;
    while (t->index[i])
        i = (i + 1) & t->index_mask;
    t->index[i] = s + 1;
}

/* Removes slot s from the index, shifting later entries of the cluster back
 * so that every entry stays reachable from its home position. */
static void index_remove(vqi_flow_table *t, uint32_t s)
{
    uint32_t mask = t->index_mask;
    uint32_t i = (uint32_t)hdr(t, s)->hash & mask;
    while (t->index[i] != s + 1)
        i = (i + 1) & mask;
    uint32_t hole = i;
    for (uint32_t j = (hole + 1) & mask; t->index[j]; j = (j + 1) & mask) {
        uint32_t home = (uint32_t)hdr(t, t->index[j] - 1)->hash & mask;
        /* The entry at j may move into the hole unless its home lies
         * cyclically in (hole, j]. */
        int home_after_hole = hole <= j ? (home > hole && home <= j)
                                        : (home > hole || home <= j);
        if (!home_after_hole) {
            t->index[hole] = t->index[j];
            hole = j;
        }
    }
    t->index[hole] = 0;
}

/* ----------------------------------------------------------- storage -- */

static void evict(vqi_flow_table *t, uint32_t s, vqi_flow_end why)
{
    if (t->cfg.on_evict)
        t->cfg.on_evict(t->cfg.ctx, t, s, why);
    slot_hdr *h = hdr(t, s);
    index_remove(t, s);
    lru_unlink(t, s);
    age_unlink(t, s);
    h->live = 0;
    h->lru_next = t->free_head;
    t->free_head = s;
    t->live--;
}

/* Doubles the slot array (up to max_slots) and rebuilds the index.
 * Returns 0, or -1 when already at the limit or out of memory. */
static int grow(vqi_flow_table *t)
{
    if (t->n_slots >= t->max_slots)
        return -1;
    uint32_t n = t->n_slots ? t->n_slots * 2 : INITIAL_SLOTS;
    if (n > t->max_slots)
        n = t->max_slots;
    uint8_t *slots = realloc(t->slots, (size_t)n * t->stride);
    if (!slots)
        return -1;
    t->slots = slots;
    size_t isize = 1;
    while (isize < (size_t)n * 2)
        isize <<= 1;
    uint32_t *index = calloc(isize, sizeof *index);
    if (!index)
        return -1;      /* slots grew but stay unused: still consistent */
    free(t->index);
    t->index = index;
    t->index_mask = (uint32_t)(isize - 1);
    t->n_slots = n;
    for (uint32_t s = 0; s < t->used_slots; s++)
        if (hdr(t, s)->live)
            index_insert(t, s);
    return 0;
}

/* A freed slot first (the most recently freed), then a never-used one,
 * growing the table or evicting the least recently seen flow when full. */
static uint32_t take_free_slot(vqi_flow_table *t)
{
    if (t->free_head == NIL && t->used_slots == t->n_slots && grow(t) != 0)
        evict(t, t->lru_head, VQI_FLOW_END_FULL);
    if (t->free_head == NIL)
        return t->used_slots++;
    uint32_t s = t->free_head;
    t->free_head = hdr(t, s)->lru_next;
    return s;
}

/* ------------------------------------------------------------ public -- */

vqi_flow_table *vqi_flow_table_new(const vqi_flow_config *cfg, vqi_err *err)
{
    vqi_flow_table *t = calloc(1, sizeof *t);
    if (!t) {
        vqi_err_set(err, VQI_EXIT_FAIL, "out of memory for the flow table");
        return NULL;
    }
    t->cfg = *cfg;
    size_t max = cfg->max_flows ? cfg->max_flows : DEFAULT_MAX_FLOWS;
    if (max > ((size_t)1 << 30))
        max = (size_t)1 << 30;
    t->max_slots = (uint32_t)max;
    t->user_offset = align16(sizeof(slot_hdr));
    t->stride = t->user_offset + align16(cfg->user_size);
    t->free_head = t->lru_head = t->lru_tail = t->age_head = t->age_tail = NIL;
    t->last_slot = NIL;
    if (grow(t) != 0) {
        vqi_flow_table_free(t);
        vqi_err_set(err, VQI_EXIT_FAIL, "out of memory for the flow table");
        return NULL;
    }
    return t;
}

void vqi_flow_table_free(vqi_flow_table *t)
{
    if (!t)
        return;
    free(t->slots);
    free(t->index);
    free(t);
}

void vqi_flow_table_expire(vqi_flow_table *t, int64_t now_ns)
{
    if (t->cfg.idle_timeout_ns <= 0)
        return;
    while (t->lru_head != NIL &&
           now_ns - hdr(t, t->lru_head)->info.last_ns > t->cfg.idle_timeout_ns)
        evict(t, t->lru_head, VQI_FLOW_END_IDLE);
}

void vqi_flow_table_flush(vqi_flow_table *t)
{
    while (t->age_head != NIL)
        evict(t, t->age_head, VQI_FLOW_END_FLUSH);
}

size_t vqi_flow_table_count(const vqi_flow_table *t) { return t->live; }

const vqi_flow_info *vqi_flow_info_of(const vqi_flow_table *t, uint32_t slot)
{
    return &hdr(t, slot)->info;
}

void *vqi_flow_user(vqi_flow_table *t, uint32_t slot)
{
    return t->slots + (size_t)slot * t->stride + t->user_offset;
}

/* Is slot h the packet's flow?  Sets *dir when it is. */
static int same_flow(const vqi_flow_table *t, const slot_hdr *h, const vqi_packet *p,
                     uint16_t sport, uint16_t dport, uint8_t *dir)
{
    const vqi_flow_info *f = &h->info;
    if (f->proto != p->proto)
        return 0;
    if (f->client_port == sport && f->server_port == dport &&
        addr_eq(f->client, p->src) && addr_eq(f->server, p->dst)) {
        *dir = 0;
        return 1;
    }
    if (!t->cfg.unidirectional && f->client_port == dport && f->server_port == sport &&
        addr_eq(f->client, p->dst) && addr_eq(f->server, p->src)) {
        *dir = 1;
        return 1;
    }
    return 0;
}

/* Finds the live slot of the packet's 5-tuple; sets *dir. NIL if none. */
static uint32_t find(const vqi_flow_table *t, const vqi_packet *p, uint16_t sport,
                     uint16_t dport, uint64_t hash, uint8_t *dir)
{
    for (uint32_t i = (uint32_t)hash & t->index_mask; t->index[i];
         i = (i + 1) & t->index_mask) {
        uint32_t s = t->index[i] - 1;
        const slot_hdr *h = hdr(t, s);
        if (h->hash == hash && same_flow(t, h, p, sport, dport, dir))
            return s;
    }
    return NIL;
}

int vqi_flow_track(vqi_flow_table *t, const vqi_packet *p, vqi_flow_hit *hit)
{
    if (p->ipver == 0)
        return 0;
    vqi_flow_table_expire(t, p->ts_ns);
    uint16_t sport = p->has_ports ? p->sport : 0;
    uint16_t dport = p->has_ports ? p->dport : 0;
    int is_tcp = p->proto == VQI_PROTO_TCP && p->has_ports;
    uint8_t flags = is_tcp ? p->tcp_flags : 0;
    int pure_syn = (flags & (VQI_TCP_SYN | VQI_TCP_ACK)) == VQI_TCP_SYN;
    /* Consecutive packets mostly belong to one flow: the previous packet's
     * slot is checked before hashing (keys are unique among live slots, so
     * a live slot with this key is the one find() would return). */
    uint8_t dir = 0;
    uint32_t s = NIL;
    uint64_t hash = 0;
    if (t->last_slot != NIL && hdr(t, t->last_slot)->live &&
        same_flow(t, hdr(t, t->last_slot), p, sport, dport, &dir)) {
        s = t->last_slot;
        hash = hdr(t, s)->hash;
    } else {
        hash = key_hash(p->src, sport, p->dst, dport, p->proto, t->cfg.unidirectional);
        s = find(t, p, sport, dport, hash, &dir);
    }
    /* A new connection on a closed 5-tuple (port reuse) is a new flow. */
    if (s != NIL && pure_syn && !t->cfg.unidirectional &&
        (hdr(t, s)->info.tcp_flags_seen & (VQI_TCP_FIN | VQI_TCP_RST))) {
        evict(t, s, VQI_FLOW_END_REUSE);
        s = NIL;
    }
    int is_new = 0;
    if (s == NIL) {
        s = take_free_slot(t);
        slot_hdr *h = hdr(t, s);
        memset(h, 0, t->stride);
        int swap = !t->cfg.unidirectional &&
                   (flags & (VQI_TCP_SYN | VQI_TCP_ACK)) == (VQI_TCP_SYN | VQI_TCP_ACK);
        vqi_flow_info *f = &h->info;
        memcpy(f->client, swap ? p->dst : p->src, 16);
        memcpy(f->server, swap ? p->src : p->dst, 16);
        f->client_port = swap ? dport : sport;
        f->server_port = swap ? sport : dport;
        f->proto = p->proto;
        f->ipver = p->ipver;
        f->first_ns = p->ts_ns;
        f->last_ns = p->ts_ns;
        f->id = t->next_id++;
        h->hash = hash;
        h->live = 1;
        index_insert(t, s);
        lru_append(t, s);
        age_append(t, s);
        t->live++;
        dir = (uint8_t)swap;
        is_new = 1;
    } else if (t->lru_tail != s) {
        /* bursts of one flow skip the relinking (and its two cache misses) */
        lru_unlink(t, s);
        lru_append(t, s);
    }
    vqi_flow_info *f = &hdr(t, s)->info;
    if (p->ts_ns > f->last_ns)
        f->last_ns = p->ts_ns;
    if (p->ts_ns < f->first_ns)
        f->first_ns = p->ts_ns;
    f->tcp_flags_seen |= flags;
    f->packets[dir]++;
    t->last_slot = s;
    hit->slot = s;
    hit->dir = dir;
    hit->is_new = (uint8_t)is_new;
    return 1;
}
