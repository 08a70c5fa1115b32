/* sni_conn.c - TLS server names per TCP connection: the bounded table of
 * verdicts (does this connection's ClientHello name the service?) and the
 * few ClientHellos still being reassembled.
 *
 * A ClientHello usually fits in the first segment, but browsers that send
 * large key shares (post-quantum hybrids) or shuffle their extensions
 * (Chrome) can push server_name into the second or third segment, so a
 * hello cut at a segment boundary is kept until it is whole - bounded to
 * PENDING_MAX connections and HELLO_MAX bytes each. */
#include "service_int.h"

#include <stdlib.h>
#include <string.h>

#define CONN_SLOTS 4096         /* verdicts kept at most (power of two) */
#define CONN_SLOTS_MIN 256      /* at first: the table doubles past half full */
#define CONN_PROBES 8           /* probe window; a full window evicts its first slot */
#define PENDING_MAX 32          /* ClientHellos being reassembled at once */
#define HELLO_MAX (5 + 16384)   /* one TLS record of the largest size */

typedef struct conn_key {
    uint8_t client[16], server[16];
    uint16_t cport, sport;
} conn_key;

typedef struct verdict { uint8_t used, match; conn_key k; } verdict;

typedef struct pending {
    int used;
    conn_key k;
    uint32_t next_seq;
    uint64_t last_use;
    uint8_t *buf;               /* HELLO_MAX bytes, allocated on first use */
    size_t len;
} pending;

/* The verdicts start small and double up to CONN_SLOTS: a full-size table
 * (160 KB) probed at random touched ~30 fresh pages in a short run, and on
 * the project's VM each costs a 10-15 us fault. */
struct sni_conns {
    verdict *v;
    size_t v_slots, v_used;
    pending p[PENDING_MAX];
    size_t n_pending;
    uint64_t clock;
};

sni_conns *sni_conns_new(void)
{
    sni_conns *t = calloc(1, sizeof *t);
    if (t && !(t->v = calloc(CONN_SLOTS_MIN, sizeof *t->v))) {
        free(t);
        return NULL;
    }
    if (t)
        t->v_slots = CONN_SLOTS_MIN;
    return t;
}

void sni_conns_free(sni_conns *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < PENDING_MAX; i++)
        free(t->p[i].buf);
    free(t->v);
    free(t);
}

static void key_of(conn_key *k, const uint8_t client[16], const uint8_t server[16],
                   uint16_t cport, uint16_t sport)
{
    memcpy(k->client, client, 16);
    memcpy(k->server, server, 16);
    k->cport = cport;
    k->sport = sport;
}

static int key_eq(const conn_key *a, const conn_key *b)
{
    return a->cport == b->cport && a->sport == b->sport && !memcmp(a->client, b->client, 16) &&
           !memcmp(a->server, b->server, 16);
}

static size_t key_hash(const conn_key *k)
{
    uint64_t h = 1469598103934665603ULL;     /* FNV-1a */
    for (int i = 0; i < 16; i++)
        h = (h ^ k->client[i]) * 1099511628211ULL;
    for (int i = 0; i < 16; i++)
        h = (h ^ k->server[i]) * 1099511628211ULL;
    h = (h ^ k->cport) * 1099511628211ULL;
    h = (h ^ k->sport) * 1099511628211ULL;
    return (size_t)(h ^ (h >> 29));
}

/* The slot for k: its own, else the first free one in its probe window;
 * NULL when the window is full. */
static verdict *verdict_slot(verdict *tab, size_t slots, const conn_key *k)
{
    size_t base = key_hash(k);
    verdict *slot = NULL;
    for (size_t i = 0; i < CONN_PROBES; i++) {
        verdict *v = &tab[(base + i) & (slots - 1)];
        if (v->used && key_eq(&v->k, k))
            return v;
        if (!v->used && !slot)
            slot = v;
    }
    return slot;
}

static const verdict *verdict_find(const sni_conns *t, const conn_key *k)
{
    const verdict *v = verdict_slot(t->v, t->v_slots, k);
    return v && v->used ? v : NULL;
}

/* Doubles the verdict table.  Returns 0, or -1 when it cannot (the old
 * table stays). */
static int verdicts_grow(sni_conns *t)
{
    if (t->v_slots >= CONN_SLOTS)
        return -1;
    size_t slots = t->v_slots * 2;
    verdict *tab = calloc(slots, sizeof *tab);
    if (!tab)
        return -1;
    size_t used = 0;
    for (size_t i = 0; i < t->v_slots; i++) {
        if (!t->v[i].used)
            continue;
        verdict *slot = verdict_slot(tab, slots, &t->v[i].k);
        if (!slot)      /* its window is full even here: forget it */
            continue;
        used++;
        *slot = t->v[i];
    }
    free(t->v);
    t->v = tab;
    t->v_slots = slots;
    t->v_used = used;
    return 0;
}

/* Records k's verdict.  The table grows past half full, or when k's probe
 * window is full; at its largest a full window forgets its first slot's
 * connection. */
static void verdict_set(sni_conns *t, const conn_key *k, int match)
{
    verdict *slot;
    while (!(slot = verdict_slot(t->v, t->v_slots, k)) ||
           (!slot->used && (t->v_used + 1) * 2 > t->v_slots))
        if (verdicts_grow(t) < 0)
            break;
    if (!slot)
        slot = &t->v[key_hash(k) & (t->v_slots - 1)];
    t->v_used += !slot->used;
    slot->used = 1;
    slot->k = *k;
    slot->match = (uint8_t)(match != 0);
}

int sni_conns_match(const sni_conns *t, const vqi_packet *p, int *remote_is_src)
{
    conn_key k;
    key_of(&k, p->src, p->dst, p->sport, p->dport);    /* client -> server */
    const verdict *v = verdict_find(t, &k);
    if (v && v->match) {
        *remote_is_src = 0;
        return 1;
    }
    key_of(&k, p->dst, p->src, p->dport, p->sport);    /* server -> client */
    v = verdict_find(t, &k);
    if (v && v->match) {
        *remote_is_src = 1;
        return 1;
    }
    return 0;
}

static pending *pending_find(sni_conns *t, const conn_key *k)
{
    if (!t->n_pending)
        return NULL;
    for (size_t i = 0; i < PENDING_MAX; i++)
        if (t->p[i].used && key_eq(&t->p[i].k, k))
            return &t->p[i];
    return NULL;
}

static void pending_drop(sni_conns *t, pending *pd)
{
    pd->used = 0;
    pd->len = 0;
    t->n_pending--;
}

static pending *pending_start(sni_conns *t, const conn_key *k)
{
    pending *victim = NULL;
    for (size_t i = 0; i < PENDING_MAX; i++) {
        pending *pd = &t->p[i];
        if (!pd->used) {
            victim = pd;
            break;
        }
        if (!victim || pd->last_use < victim->last_use)
            victim = pd;
    }
    if (victim->used)
        pending_drop(t, victim);                   /* the oldest hello is given up */
    if (!victim->buf && !(victim->buf = malloc(HELLO_MAX)))
        return NULL;
    victim->used = 1;
    victim->k = *k;
    victim->len = 0;
    t->n_pending++;
    return victim;
}

int sni_conns_feed(sni_conns *t, const vqi_packet *p, char *name, size_t size,
                   int (*matches)(void *ctx, const char *name), void *ctx)
{
    conn_key k;
    key_of(&k, p->src, p->dst, p->sport, p->dport);
    pending *pd = pending_find(t, &k);
    const uint8_t *bytes = p->payload;
    size_t wire_len = p->payload_len;
    size_t len = !bytes ? 0 : p->payload_caplen < wire_len ? p->payload_caplen : wire_len;
    uint32_t seq = p->seq;
    int whole = bytes && len == wire_len;
    if (wire_len == 0)
        return 0;
    int rc;
    if (pd) {
        pd->last_use = ++t->clock;
        if ((int32_t)(seq - pd->next_seq) < 0 && seq + wire_len <= pd->next_seq)
            return 0;                              /* retransmission of what we have */
        if (seq != pd->next_seq || !whole || pd->len + len > HELLO_MAX) {
            pending_drop(t, pd);                   /* a gap, a cut or too long: give up */
            return 0;
        }
        memcpy(pd->buf + pd->len, bytes, len);
        pd->len += len;
        pd->next_seq = seq + (uint32_t)len;
        rc = tls_client_hello_sni(pd->buf, pd->len, name, size);
        if (rc != -1)
            pending_drop(t, pd);
    } else {
        if (!bytes || len == 0 || bytes[0] != 0x16)
            return 0;
        rc = tls_client_hello_sni(bytes, len, name, size);
        if (rc == -1 && whole && len <= HELLO_MAX && (pd = pending_start(t, &k))) {
            memcpy(pd->buf, bytes, len);
            pd->len = len;
            pd->next_seq = seq + (uint32_t)len;
            pd->last_use = ++t->clock;
        }
    }
    if (rc != 1)
        return 0;
    verdict_set(t, &k, matches(ctx, name));
    return 1;
}
