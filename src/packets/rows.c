/* rows.c - the packets table's rows: the columns as CSV or JSON lines,
 * written straight into the caller's buffer.  Most rows are plain TCP or
 * UDP ("Ether / IP / TCP a:p > b:q PA"); their info is assembled here from
 * cached address texts and precomputed prefix and flag strings, without
 * printf: it is written for every frame, and printf's format parsing was
 * a third of the command's time.  The other summaries are in info.c. */
#include "packets_int.h"

#include <stdlib.h>

#include "../util/textout.h"

#define DNS_PORT 53
#define DNS_HEADER 12     /* shorter UDP payloads are not DNS for tshark either */

const char vqi_pkt_csv_header[] =
    "timestamp,length,src_ip,dst_ip,txn_id,protocol,src_port,dst_port,info\n";

/* TCP flags in scapy's order and letters (FSRPAUEC). */
static void tcp_flags_text(unsigned f, char *out)
{
    static const char letters[] = "FSRPAUEC";
    int k = 0;
    for (int i = 0; i < 8; i++)
        if (f & (1u << i))
            out[k++] = letters[i];
    out[k] = 0;
}

vqi_pkt_table *vqi_pkt_table_new(int jsonl, vqi_err *err)
{
    vqi_pkt_table *t = calloc(1, sizeof *t);
    if (t)
        t->streams = vqi_dns_streams_new();
    if (!t || !t->streams) {
        free(t);
        vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
        return NULL;
    }
    t->jsonl = jsonl;
    for (unsigned f = 0; f < 256; f++)
        tcp_flags_text(f, t->tcp_flags[f]);
    t->prefix_linktype = UINT32_MAX;
    return t;
}

void vqi_pkt_table_free(vqi_pkt_table *t)
{
    if (!t)
        return;
    vqi_dns_streams_free(t->streams);
    free(t);
}

/* The text of an address, from the cache when it was seen recently. */
static const addr_text *addr_lookup(vqi_pkt_table *t, const uint8_t a[16])
{
    uint64_t lo, hi;
    memcpy(&lo, a, 8);
    memcpy(&hi, a + 8, 8);
    addr_text *e = &t->addrs[((lo ^ hi) * 0x9E3779B97F4A7C15u) >> 58];
    if (e->len && memcmp(e->addr, a, 16) == 0)
        return e;
    memcpy(e->addr, a, 16);
    vqi_addr_format(a, e->text);
    e->len = (uint8_t)strlen(e->text);
    return e;
}

/* "Ether / IP / " for the frame's link type and IP version. */
static void update_prefix(vqi_pkt_table *t, uint32_t linktype, uint8_t ipver)
{
    if (linktype == t->prefix_linktype && ipver == t->prefix_ipver)
        return;
    const char *ln = pkt_link_name(linktype);
    int n = snprintf(t->prefix, sizeof t->prefix, "%s%s", ln ? ln : "",
                     ipver == 4 ? "IP / " : "IPv6 / ");
    t->prefix_len = (uint8_t)n;
    t->prefix_linktype = linktype;
    t->prefix_ipver = ipver;
}

/* A port as text: written twice in TCP/UDP rows (column and info). */
typedef struct port_text {
    uint8_t len;
    char text[7];
} port_text;

static void port_format(port_text *t, uint16_t port)
{
    t->len = (uint8_t)(vqi_put_u64(t->text, port) - t->text);
}

/* "TCP a:p > b:q" / "UDP a:p > b:q" after the prefix. */
static char *put_endpoints(char *o, const char *proto, const addr_text *src,
                           const addr_text *dst, const port_text *sport,
                           const port_text *dport)
{
    o = vqi_put_mem(o, proto, 4);
    o = vqi_put_mem(o, src->text, src->len);
    *o++ = ':';
    o = vqi_put_mem(o, sport->text, sport->len);
    o = vqi_put_mem(o, " > ", 3);
    o = vqi_put_mem(o, dst->text, dst->len);
    *o++ = ':';
    return vqi_put_mem(o, dport->text, dport->len);
}

/* The timestamp: seconds with nine decimals. */
static char *put_time(vqi_pkt_table *t, char *o, int64_t ns)
{
    if (ns < 0)
        return vqi_put_epoch_ns(o, ns);
    int64_t sec = ns / 1000000000;
    if (sec != t->sec || !t->sec_len) {
        t->sec = sec;
        t->sec_len = (uint8_t)(vqi_put_u64(t->sec_text, (uint64_t)sec) - t->sec_text);
    }
    o = vqi_put_mem(o, t->sec_text, t->sec_len);
    *o++ = '.';
    return vqi_put_9digits(o, (uint32_t)(ns % 1000000000));
}

/* Everything before info; addresses NULL for frames without IP, ports
 * NULL when the packet has none. */
static char *put_head(vqi_pkt_table *t, char *o, const vqi_packet *p,
                      const addr_text *src, const addr_text *dst, const port_text *sport,
                      const port_text *dport, const pkt_fields *r)
{
    if (t->jsonl) {
        o = vqi_put_mem(o, "{\"timestamp\":", 13);
        o = put_time(t, o, p->ts_ns);
        o = vqi_put_mem(o, ",\"length\":", 10);
        o = vqi_put_u64(o, p->wirelen);
        o = vqi_put_mem(o, ",\"src_ip\":", 10);
        o = src ? vqi_put_json(o, src->text, src->len) : vqi_put_mem(o, "null", 4);
        o = vqi_put_mem(o, ",\"dst_ip\":", 10);
        o = dst ? vqi_put_json(o, dst->text, dst->len) : vqi_put_mem(o, "null", 4);
        o = vqi_put_mem(o, ",\"txn_id\":", 10);
        o = r->has_txn ? vqi_put_u64(o, r->txn) : vqi_put_mem(o, "null", 4);
        o = vqi_put_mem(o, ",\"protocol\":", 12);
        o = vqi_put_json(o, r->protocol, strlen(r->protocol));
        o = vqi_put_mem(o, ",\"src_port\":", 12);
        o = sport ? vqi_put_mem(o, sport->text, sport->len) : vqi_put_mem(o, "null", 4);
        o = vqi_put_mem(o, ",\"dst_port\":", 12);
        o = dport ? vqi_put_mem(o, dport->text, dport->len) : vqi_put_mem(o, "null", 4);
        return vqi_put_mem(o, ",\"info\":", 8);
    }
    o = put_time(t, o, p->ts_ns);
    *o++ = ',';
    o = vqi_put_u64(o, p->wirelen);
    *o++ = ',';
    if (src)
        o = vqi_put_mem(o, src->text, src->len);
    *o++ = ',';
    if (dst)
        o = vqi_put_mem(o, dst->text, dst->len);
    *o++ = ',';
    if (r->has_txn)
        o = vqi_put_u64(o, r->txn);
    *o++ = ',';
    o = vqi_put_mem(o, r->protocol, strlen(r->protocol));
    *o++ = ',';
    if (sport)
        o = vqi_put_mem(o, sport->text, sport->len);
    *o++ = ',';
    if (dport)
        o = vqi_put_mem(o, dport->text, dport->len);
    *o++ = ',';
    return o;
}

/* A row whose info text is in r. */
static char *put_row(vqi_pkt_table *t, char *o, const vqi_packet *p,
                     const addr_text *src, const addr_text *dst, const pkt_fields *r)
{
    port_text sport, dport;
    if (p->has_ports) {
        port_format(&sport, p->sport);
        port_format(&dport, p->dport);
    }
    o = put_head(t, o, p, src, dst, p->has_ports ? &sport : NULL,
                 p->has_ports ? &dport : NULL, r);
    if (t->jsonl) {
        o = vqi_put_json(o, r->info, r->info_len);
        return vqi_put_mem(o, "}\n", 2);
    }
    o = vqi_put_csv(o, r->info, r->info_len);
    *o++ = '\n';
    return o;
}

char *vqi_pkt_row(vqi_pkt_table *t, const vqi_frame *f, const vqi_packet *p, char *o)
{
    pkt_fields r;
    r.has_txn = 0;
    if (p->ipver == 0) {
        pkt_info_non_ip(f, &r);
        return put_row(t, o, p, NULL, NULL, &r);
    }
    /* the cache has 64 slots: the second lookup cannot evict the first
     * unless both hash alike, so copy the source's text first */
    addr_text src = *addr_lookup(t, p->src);
    const addr_text *dst = addr_lookup(t, p->dst);
    update_prefix(t, f->linktype, p->ipver);
    int tcp = p->has_ports && p->proto == VQI_PROTO_TCP;
    int udp = p->has_ports && p->proto == VQI_PROTO_UDP;
    if (!tcp && !udp) {
        pkt_info_other_ip(p, t->prefix, src.text, dst->text, &r);
        return put_row(t, o, p, &src, dst, &r);
    }
    int dns_port = p->sport == DNS_PORT || p->dport == DNS_PORT;
    if (dns_port && (tcp || (p->payload_len >= DNS_HEADER && p->payload)) &&
        pkt_info_dns(t, p, t->prefix, &r))
        return put_row(t, o, p, &src, dst, &r);
    /* plain TCP / UDP: info needs no CSV quoting or JSON escaping (it is
     * made of fixed words, address characters, digits and flag letters) */
    r.protocol = tcp ? "TCP" : "UDP";
    port_text sport, dport;
    port_format(&sport, p->sport);
    port_format(&dport, p->dport);
    o = put_head(t, o, p, &src, dst, &sport, &dport, &r);
    if (t->jsonl)
        *o++ = '"';
    o = vqi_put_mem(o, t->prefix, t->prefix_len);
    o = put_endpoints(o, tcp ? "TCP " : "UDP ", &src, dst, &sport, &dport);
    if (tcp) {
        const char *fl = t->tcp_flags[p->tcp_flags];
        *o++ = ' ';
        o = vqi_put_mem(o, fl, strlen(fl));
    }
    if (t->jsonl)
        return vqi_put_mem(o, "\"}\n", 3);
    *o++ = '\n';
    return o;
}
