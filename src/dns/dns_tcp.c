/* dns_tcp.c - DNS over TCP: messages reassembled from segments.
 *
 * RFC 1035 section 4.2.2 / RFC 7766: each message is preceded by a 2-byte
 * length.  Real stacks send that prefix in its own segment (the course's
 * YouTube-over-IPv6 capture does) and long answers span segments, so every
 * direction of every connection buffers bytes until a whole message is
 * present.  Memory is bounded: at most STREAMS_MAX directions are tracked
 * (the least recently used one is evicted), a buffer never exceeds one
 * maximal message, and a gap in the sequence numbers (lost or cut segment)
 * discards the partial message instead of parsing bytes out of order. */
#include "dns.h"

#include <stdlib.h>
#include <string.h>

#define STREAMS_MAX 256                  /* DNS-over-TCP directions tracked at once */
#define MSG_MAX (2 + 65535)              /* length prefix + largest message */

typedef struct stream {
    int used;
    int synced;                          /* next_seq is known */
    uint8_t src[16], dst[16];
    uint16_t sport, dport;
    uint32_t next_seq;                   /* sequence number of the next expected byte */
    uint64_t last_use;                   /* for LRU eviction */
    uint8_t *buf;                        /* MSG_MAX bytes, allocated on first data */
    size_t len;                          /* bytes buffered */
} stream;

struct vqi_dns_streams {
    stream s[STREAMS_MAX];
    uint64_t clock;
};

vqi_dns_streams *vqi_dns_streams_new(void)
{
    return calloc(1, sizeof(vqi_dns_streams));
}

void vqi_dns_streams_free(vqi_dns_streams *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < STREAMS_MAX; i++)
        free(s->s[i].buf);
    free(s);
}

static void stream_forget(stream *st)
{
    st->used = 0;
    st->len = 0;             /* the buffer is kept for the next stream using the slot */
}

/* Only TCP to or from port 53 gets here, which is rare enough that a
 * linear scan of the table costs less than maintaining a hash. */
static stream *stream_find(vqi_dns_streams *s, const vqi_packet *p, int create)
{
    stream *victim = NULL;
    for (size_t i = 0; i < STREAMS_MAX; i++) {
        stream *st = &s->s[i];
        if (!st->used) {
            if (!victim || victim->used)
                victim = st;
            continue;
        }
        if (st->sport == p->sport && st->dport == p->dport &&
            !memcmp(st->src, p->src, 16) && !memcmp(st->dst, p->dst, 16))
            return st;
        if (!victim || (victim->used && st->last_use < victim->last_use))
            victim = st;
    }
    if (!create)
        return NULL;
    stream_forget(victim);
    victim->used = 1;
    victim->synced = 0;
    memcpy(victim->src, p->src, 16);
    memcpy(victim->dst, p->dst, 16);
    victim->sport = p->sport;
    victim->dport = p->dport;
    return victim;
}

/* Emit every complete message in the buffer, keep the rest. */
static int drain(stream *st, const vqi_packet *p,
                 void (*on_msg)(void *, const vqi_packet *, const uint8_t *, size_t),
                 void *ctx)
{
    int emitted = 0;
    size_t at = 0;
    while (st->len - at >= 2) {
        size_t mlen = (size_t)st->buf[at] << 8 | st->buf[at + 1];
        if (st->len - at - 2 < mlen)
            break;
        if (mlen > 0) {
            if (on_msg)
                on_msg(ctx, p, st->buf + at + 2, mlen);
            emitted++;
        }
        at += 2 + mlen;
    }
    memmove(st->buf, st->buf + at, st->len - at);
    st->len -= at;
    return emitted;
}

/* Append the segment's new bytes in pieces that fit, draining as we go: a
 * segment may finish one long message and start the next. */
static int append(stream *st, const vqi_packet *p, const uint8_t *bytes, size_t n,
                  void (*on_msg)(void *, const vqi_packet *, const uint8_t *, size_t),
                  void *ctx)
{
    int emitted = 0;
    while (n > 0) {
        size_t room = MSG_MAX - st->len, chunk = n < room ? n : room;
        memcpy(st->buf + st->len, bytes, chunk);
        st->len += chunk;
        bytes += chunk;
        n -= chunk;
        emitted += drain(st, p, on_msg, ctx);
    }
    return emitted;
}

int vqi_dns_streams_feed(vqi_dns_streams *s, const vqi_packet *p,
                         void (*on_msg)(void *ctx, const vqi_packet *p,
                                        const uint8_t *msg, size_t len),
                         void *ctx)
{
    if (!s || !p || p->proto != VQI_PROTO_TCP || !p->has_ports)
        return 0;
    int syn = (p->tcp_flags & VQI_TCP_SYN) != 0;
    int closing = (p->tcp_flags & (VQI_TCP_FIN | VQI_TCP_RST)) != 0;
    stream *st = stream_find(s, p, p->payload_len > 0 || syn);
    if (!st)
        return 0;
    st->last_use = ++s->clock;
    if (syn) {
        st->next_seq = p->seq + 1;
        st->synced = 1;
        st->len = 0;
    }
    int emitted = 0;
    if (p->payload_len > 0) {
        if (!st->buf && !(st->buf = malloc(MSG_MAX))) {
            stream_forget(st);
            return 0;
        }
        if (!st->synced) {               /* joined mid-connection: assume a boundary */
            st->next_seq = p->seq;
            st->synced = 1;
        }
        uint32_t skip = 0;
        int32_t delta = (int32_t)(p->seq - st->next_seq);
        if (delta > 0) {
            st->len = 0;                 /* a gap: the pending message is lost */
        } else if (delta < 0) {
            /* retransmission: only the new tail counts (unsigned: delta may
             * be INT32_MIN, whose negation overflows) */
            skip = st->next_seq - p->seq;
        }
        uint32_t have = !p->payload ? 0
                        : p->payload_caplen < p->payload_len ? p->payload_caplen
                                                             : p->payload_len;
        if (skip < p->payload_len) {
            if (have < p->payload_len)
                st->len = 0;             /* the capture cut this segment's bytes */
            else
                emitted = append(st, p, p->payload + skip, p->payload_len - skip, on_msg, ctx);
            st->next_seq = p->seq + p->payload_len;
        }
    }
    if (closing)
        stream_forget(st);
    return emitted;
}
