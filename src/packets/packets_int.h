/* packets_int.h - what the packets table's files share (not part of the
 * interface): the table object and the info summaries of info.c. */
#ifndef VQI_PACKETS_INT_H
#define VQI_PACKETS_INT_H

#include "packets.h"

#include "../dns/dns.h"

#define PKT_INFO_MAX 1536        /* info text, NUL included (longer is cut) */

/* The formatted text of recently seen addresses: most rows repeat the
 * addresses of the rows before them, and formatting (RFC 5952 for IPv6)
 * plus strlen cost more than the rest of a TCP row. */
#define ADDR_CACHE 64
typedef struct addr_text {
    uint8_t addr[16];
    uint8_t len;                 /* 0 = empty slot */
    char text[VQI_ADDR_STRLEN];
} addr_text;

struct vqi_pkt_table {
    int jsonl;
    vqi_dns_msg msg;
    vqi_dns_streams *streams;
    addr_text addrs[ADDR_CACHE];
    char tcp_flags[256][9];      /* scapy's letters for every flags byte */
    /* the seconds of the last timestamp, as text: consecutive rows
     * mostly fall in the same second */
    int64_t sec;
    uint8_t sec_len;             /* 0 = none yet */
    char sec_text[24];
    /* "Ether / IP / " for the last (linktype, IP version) seen */
    uint32_t prefix_linktype;
    uint8_t prefix_ipver;
    uint8_t prefix_len;
    char prefix[48];
};

/* A row's fields that are not simply numbers of the packet. */
typedef struct pkt_fields {
    const char *protocol;        /* "DNS", "TCP", "UDP", "Other" */
    int has_txn;
    uint16_t txn;
    size_t info_len;
    char info[PKT_INFO_MAX];
} pkt_fields;

/* Link-layer part of the summary ("Ether / "), "" for raw IP, NULL when
 * the link type has no name here. */
const char *pkt_link_name(uint32_t linktype);

/* info (and protocol, txn_id) of a frame without IP. */
void pkt_info_non_ip(const vqi_frame *f, pkt_fields *r);

/* info of an IP packet that is not a plain TCP/UDP summary: DNS (UDP, or
 * TCP when a message completes; returns 0 for a TCP segment that completes
 * none) and other protocols and fragments.  src/dst: the address texts;
 * prefix: "Ether / IP / ". */
int pkt_info_dns(vqi_pkt_table *t, const vqi_packet *p, const char *prefix, pkt_fields *r);
void pkt_info_other_ip(const vqi_packet *p, const char *prefix, const char *src,
                       const char *dst, pkt_fields *r);

#endif
