/* link.c - link layers down to the EtherType of the network layer:
 * Ethernet (802.3 LLC/SNAP too), stacked 802.1Q / 802.1ad tags, MPLS label
 * stacks, PPPoE sessions, Linux cooked SLL / SLL2, NULL / LOOP, PPP (with
 * or without HDLC address/control bytes, Cisco HDLC), raw IP and PPI. */
#include "decode_int.h"

#define MAX_TAGS 8          /* VLAN tags or MPLS labels followed */

/* PPP protocol number to EtherType. */
static int ppp_proto(cursor *c)
{
    if (c->cap < 1)
        return -1;
    uint16_t proto;
    if (c->d[0] & 1) {               /* protocol-field compression: one byte */
        proto = c->d[0];
        cur_skip(c, 1);
    } else {
        if (c->cap < 2)
            return -1;
        proto = be16(c->d);
        cur_skip(c, 2);
    }
    return proto == 0x0021 ? ETH_IPV4 : proto == 0x0057 ? ETH_IPV6 : -1;
}

/* PPP frame, possibly with the HDLC address/control bytes FF 03 in front,
 * or Cisco HDLC (address 0x0F / 0x8F, control 0, then an EtherType). */
static int ppp_frame(cursor *c)
{
    if (c->cap >= 4 && (c->d[0] == 0x0F || c->d[0] == 0x8F) && c->d[1] == 0) {
        int type = be16(c->d + 2);
        cur_skip(c, 4);
        return type;
    }
    if (c->cap >= 2 && c->d[0] == 0xFF && c->d[1] == 0x03)
        cur_skip(c, 2);
    return ppp_proto(c);
}

int decode_ethertype(int type, cursor *c)
{
    for (int hops = 0; hops < MAX_TAGS; hops++) {
        switch (type) {
        case ETH_VLAN: case ETH_QINQ: case ETH_QINQ_OLD:
            if (c->cap < 4)
                return -1;
            type = be16(c->d + 2);
            cur_skip(c, 4);
            break;
        case ETH_MPLS: case ETH_MPLS_MC:
            for (int k = 0;; k++) {
                if (c->cap < 4 || k >= MAX_TAGS)
                    return -1;
                int bottom = c->d[2] & 1;
                cur_skip(c, 4);
                if (bottom)
                    break;
            }
            return NEXT_RAW_IP;       /* MPLS does not say: the version nibble does */
        case ETH_PPPOE:
            if (c->cap < 6 || c->d[1] != 0)    /* code 0 = session data */
                return -1;
            cur_skip(c, 6);
            return ppp_proto(c);
        default:
            if (type <= 1500) {       /* 802.3 length: LLC, maybe SNAP */
                if (c->cap >= 8 && c->d[0] == 0xAA && c->d[1] == 0xAA && c->d[2] == 0x03) {
                    type = be16(c->d + 6);
                    cur_skip(c, 8);
                    if (type <= 1500)
                        return -1;
                    break;
                }
                return -1;
            }
            return type;
        }
    }
    return -1;
}

static int ethernet(cursor *c)
{
    if (c->cap < 14)
        return -1;
    int type = be16(c->d + 12);
    cur_skip(c, 14);
    return decode_ethertype(type, c);
}

/* BSD loopback: a 4-byte address family in the writer's byte order (NULL)
 * or network order (LOOP); accept either.  AF_INET6 is 24, 28 or 30. */
static int null_family(cursor *c)
{
    if (c->cap < 4)
        return -1;
    uint32_t le = (uint32_t)c->d[0] | (uint32_t)c->d[1] << 8 | (uint32_t)c->d[2] << 16 |
                  (uint32_t)c->d[3] << 24;
    uint32_t be = be32(c->d);
    uint32_t af = le <= 0xFFFF ? le : be;
    cur_skip(c, 4);
    if (af == 2)
        return ETH_IPV4;
    if (af == 24 || af == 28 || af == 30)
        return ETH_IPV6;
    return -1;
}

int decode_link(uint32_t linktype, cursor *c)
{
    switch (linktype) {
    case VQI_LT_ETHERNET:
        return ethernet(c);
    case VQI_LT_RAW: case VQI_LT_RAW_OLD1: case VQI_LT_RAW_OLD2:
        return NEXT_RAW_IP;
    case VQI_LT_IPV4:
        return ETH_IPV4;
    case VQI_LT_IPV6:
        return ETH_IPV6;
    case VQI_LT_NULL: case VQI_LT_LOOP:
        return null_family(c);
    case VQI_LT_LINUX_SLL:
        if (c->cap < 16)
            return -1;
        {
            int type = be16(c->d + 14);
            cur_skip(c, 16);
            return decode_ethertype(type, c);
        }
    case VQI_LT_LINUX_SLL2:
        if (c->cap < 20)
            return -1;
        {
            int type = be16(c->d);
            cur_skip(c, 20);
            return decode_ethertype(type, c);
        }
    case VQI_LT_PPP: case VQI_LT_PPP_HDLC:
        return ppp_frame(c);
    case VQI_LT_PPP_ETHER:           /* PPPoE header, then PPP */
        if (c->cap < 6)
            return -1;
        cur_skip(c, 6);
        return ppp_proto(c);
    case VQI_LT_PPI: {               /* header length and inner DLT, little-endian */
        if (c->cap < 8)
            return -1;
        uint32_t len = (uint32_t)c->d[2] | (uint32_t)c->d[3] << 8;
        uint32_t dlt = (uint32_t)c->d[4] | (uint32_t)c->d[5] << 8 |
                       (uint32_t)c->d[6] << 16 | (uint32_t)c->d[7] << 24;
        if (len < 8 || cur_skip(c, len) < 0 || dlt == VQI_LT_PPI)
            return -1;
        return decode_link(dlt, c);
    }
    default:
        return -1;
    }
}
