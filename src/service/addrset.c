/* addrset.c - the service's address set (hash of 16-byte addresses that
 * keeps first-seen order) and address prefixes.  classify() asks the set
 * about two addresses per packet, so lookups are a hash and a few compares
 * with no allocation. */
#include "service_int.h"

#include <stdlib.h>
#include <string.h>

#include "../decode/decode.h"

void addrset_free(addrset *s)
{
    free(s->addrs);
    free(s->slots);
    memset(s, 0, sizeof *s);
}

static size_t find_slot(const addrset *s, const uint8_t addr[16], int *found)
{
    size_t mask = s->n_slots - 1, i = (size_t)vqi_addr_hash(addr) & mask;
    for (;; i = (i + 1) & mask) {
        uint32_t v = s->slots[i];
        if (v == 0) {
            *found = 0;
            return i;
        }
        if (!memcmp(s->addrs[v - 1], addr, 16)) {
            *found = 1;
            return i;
        }
    }
}

static int same_addr(const uint8_t *a, const uint8_t *b)
{
    uint64_t a0, a1, b0, b1;
    memcpy(&a0, a, 8), memcpy(&a1, a + 8, 8), memcpy(&b0, b, 8), memcpy(&b1, b + 8, 8);
    return a0 == b0 && a1 == b1;
}

/* Why the recent answers: classify() asks about both addresses of every
 * packet, consecutive packets mostly belong to a few flows, and the probe
 * into the table missed the cache (the capture's bytes stream through it):
 * find_slot was 8% of `vqi windows`' profile. */
int addrset_contains(addrset *s, const uint8_t addr[16])
{
    int found;
    if (!s->n_slots)
        return 0;
    for (int i = 0; i < s->n_recent; i++)
        if (same_addr(s->recent[i], addr))
            return s->recent_found[i];
    find_slot(s, addr, &found);
    int k = s->next_recent;
    memcpy(s->recent[k], addr, 16);
    s->recent_found[k] = (uint8_t)found;
    s->next_recent = (uint8_t)((k + 1) % ADDRSET_RECENT);
    if (s->n_recent < ADDRSET_RECENT)
        s->n_recent++;
    return found;
}

static int rehash(addrset *s, size_t n_slots)
{
    uint32_t *slots = calloc(n_slots, sizeof *slots);
    if (!slots)
        return -1;
    free(s->slots);
    s->slots = slots;
    s->n_slots = n_slots;
    for (size_t k = 0; k < s->n; k++) {
        int found;
        size_t i = find_slot(s, s->addrs[k], &found);
        s->slots[i] = (uint32_t)(k + 1);
    }
    return 0;
}

int addrset_add(addrset *s, const uint8_t addr[16])
{
    int found;
    if (addrset_contains(s, addr))
        return 0;
    if (s->n >= ADDRSET_MAX)
        return 0;
    /* Keep the load under one half so probe sequences stay short. */
    if ((s->n + 1) * 2 > s->n_slots && rehash(s, s->n_slots ? s->n_slots * 2 : 64) < 0)
        return -1;
    if (s->n == s->cap_addrs) {
        size_t cap = s->cap_addrs ? s->cap_addrs * 2 : 32;
        void *grown = realloc(s->addrs, cap * sizeof *s->addrs);
        if (!grown)
            return -1;
        s->addrs = grown;
        s->cap_addrs = cap;
    }
    memcpy(s->addrs[s->n], addr, 16);
    s->n++;
    size_t i = find_slot(s, addr, &found);
    s->slots[i] = (uint32_t)s->n;
    s->n_recent = s->next_recent = 0;      /* a remembered "absent" may be wrong now */
    return 1;
}

int prefix_parse(const char *text, prefix *out)
{
    char buf[64];
    const char *slash = strchr(text, '/');
    if (!slash || (size_t)(slash - text) >= sizeof buf)
        return -1;
    memcpy(buf, text, (size_t)(slash - text));
    buf[slash - text] = '\0';
    char *end;
    long len = strtol(slash + 1, &end, 10);
    if (*end || end == slash + 1 || vqi_addr_parse(buf, out->addr) < 0)
        return -1;
    /* The text decides the length's scale: "::ffff:0:0/96" is an IPv6
     * prefix over the v4-mapped range, "10.0.0.0/8" an IPv4 one. */
    int v4 = strchr(buf, ':') == NULL;
    if (len < 0 || len > (v4 ? 32 : 128))
        return -1;
    out->len = (uint8_t)(v4 ? len + 96 : len);
    return 0;
}

int prefix_contains(const prefix *px, const uint8_t addr[16])
{
    size_t full = px->len / 8, bits = px->len % 8;
    if (memcmp(px->addr, addr, full))
        return 0;
    if (bits) {
        uint8_t mask = (uint8_t)(0xFF << (8 - bits));
        return (px->addr[full] & mask) == (addr[full] & mask);
    }
    return 1;
}

static int prefix_cmp(const void *a, const void *b)
{
    const prefix *x = a, *y = b;
    int c = memcmp(x->addr, y->addr, 16);
    return c ? c : (int)x->len - (int)y->len;
}

/* CIDR blocks are either nested or disjoint: after sorting by network
 * address (shorter first on ties) and dropping blocks inside an earlier
 * one, the list is disjoint and one binary search answers membership. */
size_t prefixes_normalise(prefix *px, size_t n)
{
    size_t kept = 0;
    qsort(px, n, sizeof *px, prefix_cmp);
    for (size_t i = 0; i < n; i++) {
        if (kept && prefix_contains(&px[kept - 1], px[i].addr) && px[kept - 1].len <= px[i].len)
            continue;
        px[kept++] = px[i];
    }
    return kept;
}

int prefixes_match(const prefix *px, size_t n, const uint8_t addr[16])
{
    /* The last block whose network address is <= addr is the only one
     * that can hold it. */
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (memcmp(px[mid].addr, addr, 16) <= 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo > 0 && prefix_contains(&px[lo - 1], addr);
}
