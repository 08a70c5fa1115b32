/* tcp.c - per-flow TCP state behind the L4 window columns: bytes in flight,
 * RTT (Karn), retransmissions, out-of-order data, scaled receive window. */
#include "window_int.h"

#include <string.h>

/* Wrap-safe 32-bit sequence comparisons (RFC 1982 style). */
static int seq_lt(uint32_t a, uint32_t b) { return (int32_t)(a - b) < 0; }
static int seq_le(uint32_t a, uint32_t b) { return (int32_t)(a - b) <= 0; }

void vqi_tcpflow_init(vqi_tcpflow *f)
{
    memset(f, 0, sizeof *f);
    f->d[0].wscale = f->d[1].wscale = -1;
}

/* Was this exact seq+len sent before?  Returns the ring index or -1. */
static int seen_find(const vqi_tcpdir *d, uint32_t end)
{
    for (int i = 0; i < d->ring_n; i++)
        if (d->seen_end[i] == end)
            return i;
    return -1;
}

static void seen_add(vqi_tcpdir *d, uint32_t end)
{
    d->seen_end[d->ring_pos] = end;
    d->seen_count[d->ring_pos] = 1;
    d->ring_pos = (uint8_t)((d->ring_pos + 1) % VQI_TCP_SEEN_RING);
    if (d->ring_n < VQI_TCP_SEEN_RING)
        d->ring_n++;
}

static void rtt_drop_from(vqi_tcpflow *f, uint32_t seq)
{
    /* Karn: data sent again gives no RTT sample. */
    int k = 0;
    for (int i = 0; i < f->rtt_n; i++)
        if (seq_le(f->rtt_end[i], seq)) {
            f->rtt_end[k] = f->rtt_end[i];
            f->rtt_ns[k++] = f->rtt_ns[i];
        }
    f->rtt_n = (uint8_t)k;
}

void vqi_tcpflow_packet(vqi_tcpflow *f, int up, const vqi_packet *p, vqi_tcp_sample *out)
{
    vqi_tcpdir *me = &f->d[up ? 0 : 1], *peer = &f->d[up ? 1 : 0];
    memset(out, 0, offsetof(vqi_tcp_sample, rtt_us));
    out->payload = p->payload_len;
    int syn = (p->tcp_flags & VQI_TCP_SYN) != 0;

    if (syn) {
        me->syn_seen = 1;
        me->wscale = p->wscale;
    }
    /* RFC 7323: the scale applies only when both SYNs carried the option,
     * and never to the window of a SYN itself. */
    double rwnd = p->window;
    if (!syn && me->syn_seen && peer->syn_seen && me->wscale >= 0 && peer->wscale >= 0)
        rwnd = (double)((uint64_t)p->window << (me->wscale > 14 ? 14 : me->wscale));
    out->rwnd = rwnd;

    if (me->has_last) {
        out->has_iat = 1;
        int64_t gap = p->ts_ns - me->last_ns;
        out->iat_ms = gap > 0 ? (double)gap / 1e6 : 0;
    }
    me->has_last = 1;
    me->last_ns = p->ts_ns;

    uint32_t len = p->payload_len + (syn ? 1 : 0) + ((p->tcp_flags & VQI_TCP_FIN) ? 1 : 0);
    uint32_t end = p->seq + len;
    if (p->payload_len > 0) {
        out->is_data = 1;
        int at = seen_find(me, end);
        if (at >= 0) {
            out->retx_prior = me->seen_count[at];
            if (me->seen_count[at] < 255)
                me->seen_count[at]++;
            if (up)
                rtt_drop_from(f, p->seq);
        } else {
            if (me->has_data && seq_lt(p->seq, me->max_end) && seq_le(end, me->max_end))
                out->is_ooo = 1;
            seen_add(me, end);
            if (up && (!me->has_data || seq_lt(me->max_end, end))) {
                if (f->rtt_n == VQI_TCP_RTT_QUEUE) {       /* forget the oldest */
                    memmove(f->rtt_end, f->rtt_end + 1, (VQI_TCP_RTT_QUEUE - 1) * sizeof *f->rtt_end);
                    memmove(f->rtt_ns, f->rtt_ns + 1, (VQI_TCP_RTT_QUEUE - 1) * sizeof *f->rtt_ns);
                    f->rtt_n--;
                }
                f->rtt_end[f->rtt_n] = end;
                f->rtt_ns[f->rtt_n++] = p->ts_ns;
            }
        }
    }
    if (len > 0 && (!me->has_data || seq_lt(me->max_end, end))) {
        me->max_end = end;
        me->has_data = 1;
    }

    if (p->tcp_flags & VQI_TCP_ACK) {
        if (!me->has_ack || seq_lt(me->max_ack, p->ack))
            me->max_ack = p->ack;
        me->has_ack = 1;
        if (!up) {          /* downstream ACKs time the client's data */
            int k = 0;
            for (int i = 0; i < f->rtt_n; i++) {
                if (seq_le(f->rtt_end[i], p->ack)) {
                    int64_t d = p->ts_ns - f->rtt_ns[i];
                    out->rtt_us[out->n_rtt++] = d > 0 ? (double)d / 1e3 : 0;
                } else {
                    f->rtt_end[k] = f->rtt_end[i];
                    f->rtt_ns[k++] = f->rtt_ns[i];
                }
            }
            f->rtt_n = (uint8_t)k;
        }
    }

    /* Bytes in flight of this direction: what it sent beyond what the peer
     * acknowledged; undefined until the peer has acknowledged something. */
    if (peer->has_ack && me->has_data) {
        int32_t bif = (int32_t)(me->max_end - peer->max_ack);
        out->bytes_in_flight = bif > 0 ? bif : 0;
        out->has_bif = 1;
    }
}
