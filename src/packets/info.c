/* info.c - the packets table's info summaries other than the plain TCP/UDP
 * one (rows.c): frames without IP (link layer, ARP spelled out as scapy
 * does), DNS messages (UDP, and DNS over TCP through vqi_dns_streams), and
 * other IP protocols and fragments.  These rows are rare, so printf is
 * fine here. */
#include "packets_int.h"

#include <stdio.h>
#include <string.h>

#define DNS_HEADER 12     /* shorter messages have no id (tshark shows none either) */

const char *pkt_link_name(uint32_t lt)
{
    switch (lt) {
    case VQI_LT_ETHERNET: return "Ether / ";
    case VQI_LT_LINUX_SLL: return "CookedLinux / ";
    case VQI_LT_LINUX_SLL2: return "CookedLinuxV2 / ";
    case VQI_LT_NULL: case VQI_LT_LOOP: return "Loopback / ";
    case VQI_LT_PPP: case VQI_LT_PPP_HDLC: case VQI_LT_PPP_ETHER: return "PPP / ";
    case VQI_LT_PPI: return "PPI / ";
    case VQI_LT_RAW: case VQI_LT_RAW_OLD1: case VQI_LT_RAW_OLD2: case VQI_LT_IPV4:
    case VQI_LT_IPV6: return "";
    default: return NULL;
    }
}

static const char *ip_proto_name(uint8_t proto)
{
    switch (proto) {
    case 1: return "ICMP";
    case 2: return "IGMP";
    case 4: return "IP";
    case 41: return "IPv6";
    case 47: return "GRE";
    case 50: return "ESP";
    case 51: return "AH";
    case 58: return "ICMPv6";
    case 59: return "NoNextHeader";
    case 89: return "OSPF";
    case 103: return "PIM";
    case 112: return "VRRP";
    case 132: return "SCTP";
    default: return NULL;
    }
}

static void set_info(pkt_fields *r, int n)
{
    r->info_len = n < 0 ? 0 : (size_t)n < sizeof r->info ? (size_t)n : sizeof r->info - 1;
}

void pkt_info_non_ip(const vqi_frame *f, pkt_fields *r)
{
    r->protocol = "Other";
    r->has_txn = 0;
    const char *ln = pkt_link_name(f->linktype);
    if (!ln) {
        set_info(r, snprintf(r->info, sizeof r->info, "linktype %u / Raw", f->linktype));
        return;
    }
    if (f->linktype != VQI_LT_ETHERNET || f->caplen < 14) {
        set_info(r, snprintf(r->info, sizeof r->info, "%sRaw", ln));
        return;
    }
    const uint8_t *d = f->data;
    unsigned type = (unsigned)d[12] << 8 | d[13];
    int n;
    if (type == 0x0806 && f->caplen >= 42 && d[14] == 0 && d[15] == 1 && d[16] == 8 &&
        d[17] == 0) {
        unsigned op = (unsigned)d[20] << 8 | d[21];
        const uint8_t *sha = d + 22, *spa = d + 28, *tpa = d + 38;
        if (op == 1)
            n = snprintf(r->info, sizeof r->info, "Ether / ARP who has %u.%u.%u.%u says %u.%u.%u.%u",
                         tpa[0], tpa[1], tpa[2], tpa[3], spa[0], spa[1], spa[2], spa[3]);
        else
            n = snprintf(r->info, sizeof r->info,
                         "Ether / ARP is at %02x:%02x:%02x:%02x:%02x:%02x says %u.%u.%u.%u",
                         sha[0], sha[1], sha[2], sha[3], sha[4], sha[5], spa[0], spa[1],
                         spa[2], spa[3]);
    } else if (type <= 1500) {
        n = snprintf(r->info, sizeof r->info, "802.3 / LLC");
    } else {
        n = snprintf(r->info, sizeof r->info, "Ether / type 0x%04x", type);
    }
    set_info(r, n);
}

/* DNS fields from one message: the id when the 12-byte header is present
 * (as tshark shows dns.id), the summary from the parser, or a short note
 * when the message is cut. */
static void dns_fields(pkt_fields *r, const char *prefix, const char *transport,
                       const uint8_t *m, size_t len, vqi_dns_msg *msg)
{
    char sum[1024];
    r->protocol = "DNS";
    if (len >= DNS_HEADER) {
        r->has_txn = 1;
        r->txn = (uint16_t)(m[0] << 8 | m[1]);
    }
    if (vqi_dns_parse(m, len, msg) == 0)
        vqi_dns_summary(msg, sum, sizeof sum);
    else if (len >= 3)
        snprintf(sum, sizeof sum, "DNS %s [cut or malformed]", m[2] & 0x80 ? "Ans" : "Qry");
    else
        snprintf(sum, sizeof sum, "DNS [cut or malformed]");
    set_info(r, snprintf(r->info, sizeof r->info, "%s%s%s", prefix, transport, sum));
}

typedef struct tcp_dns {
    int got;
    pkt_fields *r;
    const char *prefix;
    vqi_dns_msg *msg;
} tcp_dns;

static void on_tcp_dns(void *ctx, const vqi_packet *p, const uint8_t *m, size_t len)
{
    (void)p;
    tcp_dns *t = ctx;
    if (t->got++)
        return;                 /* a segment completing several messages shows the first */
    dns_fields(t->r, t->prefix, "TCP / ", m, len, t->msg);
}

int pkt_info_dns(vqi_pkt_table *t, const vqi_packet *p, const char *prefix, pkt_fields *r)
{
    if (p->proto == VQI_PROTO_UDP) {
        dns_fields(r, prefix, "UDP / ", p->payload, p->payload_caplen, &t->msg);
        return 1;
    }
    tcp_dns ctx = {0, r, prefix, &t->msg};
    vqi_dns_streams_feed(t->streams, p, on_tcp_dns, &ctx);
    return ctx.got != 0;
}

void pkt_info_other_ip(const vqi_packet *p, const char *prefix, const char *src,
                       const char *dst, pkt_fields *r)
{
    r->protocol = "Other";
    r->has_txn = 0;
    const char *pn = ip_proto_name(p->proto);
    char num[16];
    if (!pn) {
        snprintf(num, sizeof num, "proto %u", p->proto);
        pn = num;
    }
    int n;
    if (p->fragment && !p->has_ports && (p->proto == VQI_PROTO_TCP || p->proto == VQI_PROTO_UDP))
        n = snprintf(r->info, sizeof r->info, "%sRaw %s > %s %s fragment", prefix, src, dst, pn);
    else
        n = snprintf(r->info, sizeof r->info, "%s%s %s > %s", prefix, pn, src, dst);
    set_info(r, n);
}
