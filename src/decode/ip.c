/* ip.c - IPv4, IPv6 (extension headers), GRE and IP-in-IP tunnels, TCP and
 * UDP, and vqi_decode() itself.
 *
 * Lengths come from the headers: the IP total length (IPv6: 40 + payload
 * length) is clamped to the bytes on the wire, and falls back to them when
 * the header says 0 (TSO on host captures, IPv6 jumbograms without a jumbo
 * option).  Captured bytes beyond the IP length (Ethernet padding) are
 * ignored.  A tunnel is followed when the inner header is valid; otherwise
 * the outer packet stands (with proto 4 / 41 / 47).
 *
 * Fragments (policy): every fragment gets fragment = 1.  The first one
 * (offset 0) has its transport header decoded (ports, flags); later ones
 * have has_ports = 0, and their l4_len / payload_len are the fragment's own
 * bytes.  Lengths are always the bytes of this packet, so summing them over
 * the fragments of a datagram gives the datagram's size; a first UDP
 * fragment's payload_len is its own bytes minus 8, not the UDP length.
 * Consumers that attribute later fragments to a flow can key them by
 * (src, dst, proto, ip_id). */
#include "decode_int.h"

#include <string.h>

#define MAX_TUNNEL_DEPTH 4
#define MAX_EXT_HEADERS 16

enum { IPPROTO_HOPOPTS_ = 0, IPPROTO_IPIP_ = 4, IPPROTO_IPV6_ = 41, IPPROTO_ROUTING_ = 43,
       IPPROTO_FRAGMENT_ = 44, IPPROTO_GRE_ = 47, IPPROTO_AH_ = 51, IPPROTO_DSTOPTS_ = 60,
       IPPROTO_MOBILITY_ = 135 };

/* TCP window scale option, only looked for on SYN segments. */
static int8_t tcp_wscale(const uint8_t *o, uint32_t n)
{
    uint32_t i = 0;
    while (i < n) {
        uint8_t kind = o[i];
        if (kind == 0)                      /* end of options */
            break;
        if (kind == 1) {                    /* no-op */
            i++;
            continue;
        }
        if (n - i < 2 || o[i + 1] < 2 || o[i + 1] > n - i)
            break;                          /* a 0/1 length would loop forever */
        if (kind == 3 && o[i + 1] == 3)
            return (int8_t)(o[i + 2] > 14 ? 14 : o[i + 2]);
        i += o[i + 1];
    }
    return -1;
}

/* Transport header at c (c.wire = l4_len, c.cap = its captured part). */
static void transport(vqi_packet *p, cursor c)
{
    if (p->proto == VQI_PROTO_TCP) {
        if (c.cap < 20)
            return;
        const uint8_t *d = c.d;
        p->has_ports = 1;
        p->sport = be16(d);
        p->dport = be16(d + 2);
        p->seq = be32(d + 4);
        p->ack = be32(d + 8);
        p->tcp_flags = d[13];
        p->window = be16(d + 14);
        uint32_t hl = (uint32_t)(d[12] >> 4) * 4;
        if (hl < 20 || hl > c.wire) {
            p->payload_len = 0;             /* bogus data offset: no payload */
            return;
        }
        p->payload_len = c.wire - hl;
        if (p->tcp_flags & VQI_TCP_SYN)
            p->wscale = tcp_wscale(d + 20, (hl < c.cap ? hl : c.cap) - 20);
        if (hl <= c.cap) {
            p->payload = d + hl;
            p->payload_caplen = c.cap - hl;
        }
    } else if (p->proto == VQI_PROTO_UDP) {
        if (c.cap < 8)
            return;
        const uint8_t *d = c.d;
        p->has_ports = 1;
        p->sport = be16(d);
        p->dport = be16(d + 2);
        uint32_t ulen = be16(d + 4);
        if (c.wire < 8)
            return;
        /* the UDP length when consistent (not for fragments, whose UDP length
         * covers the whole datagram), else the IP-derived size */
        p->payload_len = !p->fragment && ulen >= 8 && ulen <= c.wire ? ulen - 8 : c.wire - 8;
        p->payload = d + 8;
        p->payload_caplen = c.cap - 8;
    }
    if (p->payload && p->payload_caplen > p->payload_len)
        p->payload_caplen = p->payload_len;
}

/* GRE header (RFC 2784/2890, and the enhanced GRE of PPTP): the EtherType
 * of what it carries, or -1. */
static int gre(cursor *c)
{
    if (c->cap < 4)
        return -1;
    uint16_t flags = be16(c->d), proto = be16(c->d + 2);
    uint32_t ver = flags & 7, hl = 4;
    if (ver > 1 || (flags & 0x4000))       /* source routing is not followed */
        return -1;
    if (flags & 0x8000)                     /* checksum + reserved */
        hl += 4;
    if (flags & 0x2000)                     /* key */
        hl += 4;
    if (flags & 0x1000)                     /* sequence number */
        hl += 4;
    if (ver == 1 && (flags & 0x0080))       /* PPTP acknowledgment */
        hl += 4;
    if (cur_skip(c, hl) < 0)
        return -1;
    if (proto == ETH_TEB)
        return decode_link(VQI_LT_ETHERNET, c);
    if (proto == ETH_PPP)
        return decode_link(VQI_LT_PPP, c);
    return decode_ethertype(proto, c);
}

/* Inner packet of a tunnel: returns 1 when it replaced the outer one. */
static int tunnel(vqi_packet *p, cursor c, int depth)
{
    if (depth >= MAX_TUNNEL_DEPTH)
        return 0;
    if (p->proto == IPPROTO_GRE_) {
        int t = gre(&c);
        if (t != ETH_IPV4 && t != ETH_IPV6 && t != NEXT_RAW_IP)
            return 0;
    }
    /* decode_ip() checks the inner header before it writes anything */
    uint8_t frag = p->fragment;
    if (!decode_ip(p, c, depth + 1))
        return 0;
    p->tunneled = 1;
    p->fragment |= frag;
    return 1;
}

static void map_v4(uint8_t out[16], const uint8_t *a)
{
    memset(out, 0, 10);
    out[10] = out[11] = 0xFF;
    memcpy(out + 12, a, 4);
}

static int ipv4(vqi_packet *p, cursor c, int depth)
{
    const uint8_t *d = c.d;
    uint32_t hl = (uint32_t)(d[0] & 15) * 4;
    if (c.cap < 20 || hl < 20)
        return 0;
    uint32_t total = be16(d + 2);
    if (total == 0 || total > c.wire)
        total = c.wire;                     /* TSO, or a length beyond the frame: clamp */
    if (total < hl)
        total = hl;
    uint16_t frag = be16(d + 6);
    p->ipver = 4;
    p->proto = d[9];
    p->ttl = d[8];
    p->ip_id = be16(d + 4);
    map_v4(p->src, d + 12);
    map_v4(p->dst, d + 16);
    p->ip_len = total;
    p->l4_len = total - hl;
    p->fragment = (frag & 0x3FFF) != 0;     /* MF or an offset */
    p->has_ports = 0;
    p->payload_len = p->l4_len;
    if (hl > c.cap || (frag & 0x1FFF))
        return 1;                           /* later fragment, or options not captured */
    cursor l4 = {d + hl, (c.cap < total ? c.cap : total) - hl, total - hl};
    if ((p->proto == IPPROTO_IPIP_ || p->proto == IPPROTO_IPV6_ || p->proto == IPPROTO_GRE_) &&
        tunnel(p, l4, depth))
        return 1;
    transport(p, l4);
    return 1;
}

/* Jumbo payload option in a hop-by-hop header (RFC 2675). */
static uint32_t jumbo_length(const uint8_t *h, uint32_t len)
{
    uint32_t i = 2;
    while (i < len) {
        if (h[i] == 0) {                    /* Pad1 */
            i++;
            continue;
        }
        if (len - i < 2 || h[i + 1] > len - i - 2)
            break;
        if (h[i] == 0xC2 && h[i + 1] == 4)
            return be32(h + i + 2);
        i += 2u + h[i + 1];
    }
    return 0;
}

static int ipv6(vqi_packet *p, cursor c, int depth)
{
    const uint8_t *d = c.d;
    if (c.cap < 40)
        return 0;
    uint32_t total = 40u + be16(d + 4);
    if (total == 40 && c.cap >= 48 && d[6] == IPPROTO_HOPOPTS_) {
        uint32_t hbh = (d[41] + 1u) * 8;
        uint32_t j = hbh <= c.cap - 40 ? jumbo_length(d + 40, hbh) : 0;
        if (j)
            total = j > UINT32_MAX - 40 ? UINT32_MAX : 40 + j;
    }
    if (total == 40 || total > c.wire)
        total = c.wire;                     /* no length (TSO / jumbo) or beyond the frame */
    if (total < 40)
        total = 40;
    uint32_t cap = c.cap < total ? c.cap : total;
    p->ipver = 6;
    p->ttl = d[7];
    p->ip_id = 0;
    memcpy(p->src, d + 8, 16);
    memcpy(p->dst, d + 24, 16);
    p->ip_len = total;
    p->fragment = 0;
    p->has_ports = 0;
    uint8_t nh = d[6];
    uint32_t off = 40;
    int later_fragment = 0, complete = 0;
    for (int k = 0; k < MAX_EXT_HEADERS; k++) {
        uint32_t len;
        if (nh != IPPROTO_HOPOPTS_ && nh != IPPROTO_ROUTING_ && nh != IPPROTO_DSTOPTS_ &&
            nh != IPPROTO_FRAGMENT_ && nh != IPPROTO_AH_ && nh != IPPROTO_MOBILITY_) {
            complete = 1;
            break;
        }
        if (cap - off < 8)                  /* every extension header is >= 8 bytes */
            break;
        const uint8_t *h = d + off;
        if (nh == IPPROTO_FRAGMENT_) {
            len = 8;
            p->fragment = 1;
            p->ip_id = (uint16_t)be32(h + 4);
            later_fragment = (be16(h + 2) & 0xFFF8) != 0;
        } else if (nh == IPPROTO_AH_) {
            len = (h[1] + 2u) * 4;
        } else {
            len = (h[1] + 1u) * 8;
        }
        if (len > cap - off)
            break;
        nh = h[0];
        off += len;
        if (later_fragment) {
            complete = 0;
            break;
        }
    }
    p->proto = nh;
    p->l4_len = total - off;
    p->payload_len = p->l4_len;
    if (!complete)
        return 1;                           /* ext headers not captured, too many, or a later fragment */
    cursor l4 = {d + off, cap - off, total - off};
    if ((nh == IPPROTO_IPIP_ || nh == IPPROTO_IPV6_ || nh == IPPROTO_GRE_) && tunnel(p, l4, depth))
        return 1;
    transport(p, l4);
    return 1;
}

int decode_ip(vqi_packet *p, cursor c, int depth)
{
    if (c.cap < 1)
        return 0;
    int v = c.d[0] >> 4;
    if (v == 4)
        return ipv4(p, c, depth);
    if (v == 6)
        return ipv6(p, c, depth);
    return 0;
}

int vqi_decode(const vqi_frame *f, vqi_packet *p)
{
    memset(p, 0, sizeof *p);
    p->ts_ns = f->ts_ns;
    p->wirelen = f->wirelen;
    p->caplen = f->caplen;
    p->wscale = -1;
    cursor c = {f->data, f->caplen, f->wirelen > f->caplen ? f->wirelen : f->caplen};
    /* Ethernet + IPv4, most frames of most captures: straight to ipv4(),
     * which is where decode_link (EtherType 0x0800 after 14 bytes) and
     * decode_ip (version nibble 4) lead; the link-layer dispatch was a fifth
     * of the decoder's instructions. */
    if (f->linktype == VQI_LT_ETHERNET && c.cap >= 15 && c.d[12] == 0x08 && c.d[13] == 0x00 &&
        c.d[14] >> 4 == 4) {
        cur_skip(&c, 14);
        return ipv4(p, c, 0);
    }
    int t = decode_link(f->linktype, &c);
    if (c.cap < 1)
        return 0;
    int v = c.d[0] >> 4;
    /* the link layer's claim must agree with the version nibble */
    if ((t == ETH_IPV4 && v == 4) || (t == ETH_IPV6 && v == 6) || t == NEXT_RAW_IP)
        return decode_ip(p, c, 0);
    return 0;
}
