/* decode.h - one frame decoded into the fields every later stage uses.
 *
 * The whole interface of the decode stage: link layer (Ethernet + VLAN/QinQ,
 * MPLS, PPPoE, LLC/SNAP, SLL, SLL2, raw IP, NULL/LOOP, PPP), IPv4/IPv6 with
 * extension headers, GRE and IP-in-IP tunnels (the innermost packet wins),
 * TCP and UDP.  Sizes come from header length fields, never from the captured
 * length: a capture cut to 72 bytes still yields the true payload sizes.
 *
 * Policies:
 * - IP lengths: the header's total length (IPv6: 40 + payload length, or the
 *   jumbo option), clamped to the bytes on the wire; 0 (TSO) = the wire bytes.
 * - Fragments: fragment = 1 on every fragment.  The first (offset 0) has its
 *   transport header decoded (ports, TCP fields); later ones have
 *   has_ports = 0.  l4_len / payload_len count this packet's own bytes, so
 *   they add up over a datagram's fragments (a first UDP fragment's
 *   payload_len is its bytes - 8, not the UDP length).  Callers that want to
 *   attribute later fragments to a flow key them by (src, dst, proto, ip_id).
 * - Tunnels (GRE incl. key/seq/checksum and PPTP's enhanced GRE, 4in4, 6in4,
 *   4in6, 6in6, GRE over Ethernet bridging): followed up to 4 levels while
 *   the inner IP header is valid; tunneled = 1 then.
 * - An IPv4 header needs its 20 fixed bytes captured (else ipver = 0); has_ports
 *   needs the whole fixed TCP (20) / UDP (8) header captured.  IPv6 extension
 *   headers: at most 16 are walked; ESP, an unknown header, or one not
 *   captured ends the walk (proto = that header, no ports).
 * - PPP in HDLC framing (FF 03 address/control, protocol-field compression,
 *   Cisco HDLC) is read as captured: byte-stuffed (0x7D) octets are not
 *   de-escaped (that would need a copy of the frame). */
#ifndef VQI_DECODE_H
#define VQI_DECODE_H

#include <stdint.h>
#include "../capture/capture.h"

enum { VQI_PROTO_TCP = 6, VQI_PROTO_UDP = 17 };

/* TCP flag bits as in the header byte. */
enum {
    VQI_TCP_FIN = 0x01, VQI_TCP_SYN = 0x02, VQI_TCP_RST = 0x04, VQI_TCP_PSH = 0x08,
    VQI_TCP_ACK = 0x10, VQI_TCP_URG = 0x20, VQI_TCP_ECE = 0x40, VQI_TCP_CWR = 0x80
};

typedef struct vqi_packet {
    int64_t ts_ns;
    uint32_t wirelen;        /* frame's original length */
    uint32_t caplen;
    uint8_t ipver;           /* 0 = not IP, 4 or 6 (innermost IP header) */
    uint8_t proto;           /* transport protocol number, 0 when not IP */
    uint8_t has_ports;       /* TCP/UDP header present (not a later fragment) */
    uint8_t fragment;        /* 1 = part of a fragmented datagram */
    uint8_t tunneled;        /* decoded through GRE / IP-in-IP */
    uint8_t ttl;             /* TTL / hop limit */
    uint16_t ip_id;          /* IPv4 id (IPv6: low 16 bits of fragment id) */
    uint8_t src[16], dst[16]; /* IPv6, or IPv4 as ::ffff:a.b.c.d */
    uint16_t sport, dport;
    uint32_t ip_len;         /* IP total length (header + payload), from the header */
    uint32_t l4_len;         /* transport header + payload (ip_len - IP headers) */
    uint32_t payload_len;    /* transport payload bytes (TCP: l4_len - data offset;
                                UDP: udp length - 8), wire-based */
    /* TCP */
    uint8_t tcp_flags;
    int8_t wscale;           /* window scale option on SYN, -1 if absent */
    uint16_t window;         /* raw advertised window */
    uint32_t seq, ack;
    /* Captured bytes of the transport payload (may be fewer than payload_len). */
    const uint8_t *payload;
    uint32_t payload_caplen;
} vqi_packet;

/* Decode f into *p.  Returns 1 when an IP header was found, 0 otherwise
 * (p->ipver == 0; the time and lengths are still filled).  Never fails:
 * malformed headers simply stop the decoding at the last good layer. */
int vqi_decode(const vqi_frame *f, vqi_packet *p);

/* Address text: dotted quad for IPv4 (v4-mapped), RFC 5952 for IPv6.
 * buf needs VQI_ADDR_STRLEN bytes; returns buf. */
#define VQI_ADDR_STRLEN 46
char *vqi_addr_format(const uint8_t addr[16], char *buf);
int vqi_addr_is_v4(const uint8_t addr[16]);
/* Hash of a 16-byte address for hash tables: a splitmix64 finaliser over
 * both halves, so IPv4-mapped addresses (which differ only in their last
 * four bytes) still spread over every slot. */
uint64_t vqi_addr_hash(const uint8_t addr[16]);
/* Parse text into the 16-byte form; 0 on success, -1 if not an address. */
int vqi_addr_parse(const char *text, uint8_t addr[16]);

#endif
