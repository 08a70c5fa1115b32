/* decode_int.h - what the decoder's files share (not part of the interface):
 * big-endian loads and the cursor passed from the link layer to IP. */
#ifndef VQI_DECODE_INT_H
#define VQI_DECODE_INT_H

#include <stdint.h>
#include "decode.h"

static inline uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static inline uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* EtherType-like selector for what follows a link header; 0 = "raw IP, look
 * at the version nibble". */
enum {
    NEXT_RAW_IP = 0, ETH_IPV4 = 0x0800, ETH_IPV6 = 0x86DD, ETH_VLAN = 0x8100,
    ETH_QINQ = 0x88A8, ETH_QINQ_OLD = 0x9100, ETH_MPLS = 0x8847, ETH_MPLS_MC = 0x8848,
    ETH_PPPOE = 0x8864, ETH_TEB = 0x6558, ETH_PPP = 0x880B
};

/* Bytes of a layer: cap = captured bytes from d on, wire = bytes on the wire
 * from d on (wire >= cap unless the capture is inconsistent). */
typedef struct cursor {
    const uint8_t *d;
    uint32_t cap, wire;
} cursor;

static inline int cur_skip(cursor *c, uint32_t n)
{
    if (n > c->cap)
        return -1;
    c->d += n;
    c->cap -= n;
    c->wire = c->wire >= n ? c->wire - n : 0;
    return 0;
}

/* Link layer of the given LINKTYPE: moves *c past it and returns the
 * EtherType of what follows, or -1 when it is not (or cannot lead to) IP. */
int decode_link(uint32_t linktype, cursor *c);
/* From an EtherType on (VLAN / MPLS / PPPoE / SNAP chains included). */
int decode_ethertype(int type, cursor *c);
/* IP and everything inside it; depth bounds tunnels.  Returns 1 if an IP
 * header was decoded into p. */
int decode_ip(vqi_packet *p, cursor c, int depth);

#endif
