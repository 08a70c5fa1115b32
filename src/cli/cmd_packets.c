/* cmd_packets.c - 'vqi packets': one row per frame of a capture, in file
 * order, in the columns of the course notebook's scapy table (timestamp,
 * length, src_ip, dst_ip, txn_id, protocol, src_port, dst_port, info), as
 * CSV (RFC 4180) or JSON lines.
 *
 * protocol is DNS for UDP and TCP port 53, which is what tshark's "-Y dns"
 * counts (mDNS 5353 and LLMNR 5355 are separate protocols there, NBNS too):
 * UDP datagrams with at least a DNS header (12 bytes), and TCP segments in
 * which a DNS-over-TCP message completes (vqi_dns_streams).  A fragmented
 * DNS datagram is DNS on its first fragment (tshark: on the last, after
 * reassembly).  Otherwise TCP / UDP / Other.
 * info is a one-line, scapy-like summary ("Ether / IP / TCP a:p > b:q PA",
 * "Ether / IP / UDP / DNS Qry "name" A"). */
#include "cli.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../capture/capture.h"
#include "../decode/decode.h"
#include "../dns/dns.h"
#include "../util/output.h"

#define PROGRESS_EVERY 65536u
#define DNS_PORT 53
#define DNS_HEADER 12     /* shorter UDP payloads are not DNS for tshark either */

static void help(void)
{
    printf("usage: vqi packets CAPTURE [-o OUT] [--format csv|jsonl]\n\n"
           "One row per frame of CAPTURE (pcap or pcapng; gzip, xz, bzip2 or plain;\n"
           "'-' = stdin), in file order, with the columns\n"
           "  timestamp,length,src_ip,dst_ip,txn_id,protocol,src_port,dst_port,info\n"
           "timestamp: epoch seconds with 9 decimals (nanoseconds); length: bytes on\n"
           "the wire; src_ip/dst_ip: innermost IPv4 or IPv6 header (empty if none);\n"
           "txn_id: DNS transaction id (empty unless DNS); protocol: DNS (UDP/TCP port\n"
           "53), TCP, UDP or Other; ports empty when there is no transport header;\n"
           "info: scapy-like summary, DNS as 'Qry \"name\" TYPE' / 'Ans \"name\" -> ...'.\n\n"
           "Options:\n"
           "  -o, --output FILE    write to FILE (atomically) instead of stdout\n"
           "  -f, --format FORMAT  csv (default, RFC 4180 quoting) or jsonl (one JSON\n"
           "                       object per line, null for empty fields)\n"
           "  -h, --help           this text\n\n"
           "A capture damaged after its header (e.g. a truncated last record) keeps\n"
           "every complete frame and prints a warning.\n"
           "Exit codes: 0 ok, 1 failure while processing, 2 bad usage or unreadable input.\n");
}

/* --- one output line, built in a buffer ------------------------------- */

typedef struct line {
    char b[16384];          /* info (1.5 KB) even fully \u-escaped fits */
    size_t n;
} line;

static void put_raw(line *l, const char *s, size_t k)
{
    if (k > sizeof l->b - 1 - l->n)
        k = sizeof l->b - 1 - l->n;
    memcpy(l->b + l->n, s, k);
    l->n += k;
}

static void put_str(line *l, const char *s) { put_raw(l, s, strlen(s)); }

static void put_ch(line *l, char c)
{
    if (l->n < sizeof l->b - 1)
        l->b[l->n++] = c;
}

/* Two digits per division: lengths, ports and seconds are written for every
 * frame. */
static const char digit_pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

static void put_u64(line *l, uint64_t v)
{
    char t[24];
    int i = sizeof t;
    while (v >= 100) {
        unsigned d = (unsigned)(v % 100);
        v /= 100;
        t[--i] = digit_pairs[2 * d + 1];
        t[--i] = digit_pairs[2 * d];
    }
    if (v >= 10) {
        t[--i] = digit_pairs[2 * v + 1];
        t[--i] = digit_pairs[2 * v];
    } else {
        t[--i] = (char)('0' + v);
    }
    put_raw(l, t + i, sizeof t - (size_t)i);
}

/* Epoch nanoseconds as seconds with nine decimals (negative times too). */
static void put_time(line *l, int64_t ns)
{
    uint64_t a = ns < 0 ? (uint64_t)0 - (uint64_t)ns : (uint64_t)ns;
    if (ns < 0)
        put_ch(l, '-');
    put_u64(l, a / 1000000000u);
    char frac[10];
    uint32_t f = (uint32_t)(a % 1000000000u);
    frac[0] = (char)('0' + f / 100000000u);
    f %= 100000000u;
    for (int i = 7; i >= 1; i -= 2) {
        unsigned d = f % 100;
        f /= 100;
        frac[i] = digit_pairs[2 * d];
        frac[i + 1] = digit_pairs[2 * d + 1];
    }
    put_ch(l, '.');
    put_raw(l, frac, 9);
}

static void put_csv_text(line *l, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        put_str(l, s);
        return;
    }
    put_ch(l, '"');
    for (; *s; s++) {
        if (*s == '"')
            put_ch(l, '"');
        put_ch(l, *s);
    }
    put_ch(l, '"');
}

static void put_json_text(line *l, const char *s)
{
    put_ch(l, '"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            put_ch(l, '\\');
            put_ch(l, (char)c);
        } else if (c < 0x20 || c >= 0x7F) {
            char t[8];
            snprintf(t, sizeof t, "\\u%04x", c);
            put_str(l, t);
        } else {
            put_ch(l, (char)c);
        }
    }
    put_ch(l, '"');
}

/* --- the row's fields ------------------------------------------------- */

typedef struct row {
    int has_ip, has_ports, has_txn;
    char src[VQI_ADDR_STRLEN], dst[VQI_ADDR_STRLEN];
    uint16_t sport, dport, txn;
    const char *protocol;
    char info[1536];
} row;

static const char *link_name(uint32_t lt)
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

/* TCP flags in scapy's order and letters (FSRPAUEC). */
static void tcp_flags_text(uint8_t f, char *out)
{
    static const char letters[] = "FSRPAUEC";
    int k = 0;
    for (int i = 0; i < 8; i++)
        if (f & (1u << i))
            out[k++] = letters[i];
    out[k] = 0;
}

/* Summary of a frame that carries no IP: the link layer, and ARP spelled
 * out as scapy does. */
static void non_ip_info(const vqi_frame *f, row *r)
{
    const char *ln = link_name(f->linktype);
    if (!ln) {
        snprintf(r->info, sizeof r->info, "linktype %u / Raw", f->linktype);
        return;
    }
    if (f->linktype != VQI_LT_ETHERNET || f->caplen < 14) {
        snprintf(r->info, sizeof r->info, "%sRaw", ln);
        return;
    }
    const uint8_t *d = f->data;
    unsigned type = (unsigned)d[12] << 8 | d[13];
    if (type == 0x0806 && f->caplen >= 42 && d[14] == 0 && d[15] == 1 && d[16] == 8 &&
        d[17] == 0) {
        unsigned op = (unsigned)d[20] << 8 | d[21];
        const uint8_t *sha = d + 22, *spa = d + 28, *tpa = d + 38;
        if (op == 1)
            snprintf(r->info, sizeof r->info, "Ether / ARP who has %u.%u.%u.%u says %u.%u.%u.%u",
                     tpa[0], tpa[1], tpa[2], tpa[3], spa[0], spa[1], spa[2], spa[3]);
        else
            snprintf(r->info, sizeof r->info,
                     "Ether / ARP is at %02x:%02x:%02x:%02x:%02x:%02x says %u.%u.%u.%u",
                     sha[0], sha[1], sha[2], sha[3], sha[4], sha[5], spa[0], spa[1], spa[2],
                     spa[3]);
    } else if (type <= 1500) {
        snprintf(r->info, sizeof r->info, "802.3 / LLC");
    } else {
        snprintf(r->info, sizeof r->info, "Ether / type 0x%04x", type);
    }
}

/* DNS fields from one message: the id when the 12-byte header is present
 * (as tshark shows dns.id), the summary from the parser, or a short note
 * when the message is cut. */
static void dns_info(row *r, const char *prefix, const uint8_t *m, size_t len,
                     vqi_dns_msg *msg)
{
    r->protocol = "DNS";
    char sum[1024];
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
    snprintf(r->info, sizeof r->info, "%s%s", prefix, sum);
}

typedef struct tcp_dns {
    int got;
    row *r;
    const char *prefix;
    vqi_dns_msg *msg;
} tcp_dns;

static void on_tcp_dns(void *ctx, const vqi_packet *p, const uint8_t *m, size_t len)
{
    (void)p;
    tcp_dns *t = ctx;
    if (t->got++)
        return;                 /* a segment completing several messages shows the first */
    dns_info(t->r, t->prefix, m, len, t->msg);
}

/* The info text of TCP/UDP frames is assembled with memcpy rather than
 * snprintf: it is built for every frame and printf's format parsing was a
 * third of the command's time. */
typedef struct text {
    char *b;
    size_t n, cap;          /* cap includes the terminating NUL */
} text;

static void text_put(text *t, const char *s, size_t k)
{
    if (k > t->cap - 1 - t->n)
        k = t->cap - 1 - t->n;
    memcpy(t->b + t->n, s, k);
    t->n += k;
    t->b[t->n] = 0;
}

static void text_str(text *t, const char *s) { text_put(t, s, strlen(s)); }

static void text_uint(text *t, unsigned v)
{
    char d[12];
    int i = sizeof d;
    do {
        d[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    text_put(t, d + i, sizeof d - (size_t)i);
}

/* "a:p > b:q" */
static void text_endpoints(text *t, const row *r, const vqi_packet *p)
{
    text_str(t, r->src);
    text_put(t, ":", 1);
    text_uint(t, p->sport);
    text_put(t, " > ", 3);
    text_str(t, r->dst);
    text_put(t, ":", 1);
    text_uint(t, p->dport);
}

static void make_row(const vqi_frame *f, const vqi_packet *p, row *r, vqi_dns_msg *msg,
                     vqi_dns_streams *streams)
{
    r->has_ip = p->ipver != 0;
    r->has_ports = p->has_ports;
    r->has_txn = 0;
    r->protocol = "Other";
    if (!r->has_ip) {
        non_ip_info(f, r);
        return;
    }
    vqi_addr_format(p->src, r->src);
    vqi_addr_format(p->dst, r->dst);
    r->sport = p->sport;
    r->dport = p->dport;
    const char *ln = link_name(f->linktype);
    char prefix[64];
    text pt = {prefix, 0, sizeof prefix};
    prefix[0] = 0;
    text_str(&pt, ln ? ln : "");
    text_str(&pt, p->ipver == 4 ? "IP / " : "IPv6 / ");
    text info = {r->info, 0, sizeof r->info};
    int dns_port = p->has_ports && (p->sport == DNS_PORT || p->dport == DNS_PORT);
    if (p->has_ports && p->proto == VQI_PROTO_UDP) {
        r->protocol = "UDP";
        if (dns_port && p->payload_len >= DNS_HEADER && p->payload) {
            char pre[80];
            snprintf(pre, sizeof pre, "%sUDP / ", prefix);
            dns_info(r, pre, p->payload, p->payload_caplen, msg);
            return;
        }
        text_put(&info, prefix, pt.n);
        text_put(&info, "UDP ", 4);
        text_endpoints(&info, r, p);
        return;
    }
    if (p->has_ports && p->proto == VQI_PROTO_TCP) {
        r->protocol = "TCP";
        if (dns_port && streams) {
            char pre[80];
            snprintf(pre, sizeof pre, "%sTCP / ", prefix);
            tcp_dns t = {0, r, pre, msg};
            vqi_dns_streams_feed(streams, p, on_tcp_dns, &t);
            if (t.got)
                return;
        }
        char fl[10];
        tcp_flags_text(p->tcp_flags, fl);
        text_put(&info, prefix, pt.n);
        text_put(&info, "TCP ", 4);
        text_endpoints(&info, r, p);
        text_put(&info, " ", 1);
        text_str(&info, fl);
        return;
    }
    const char *pn = ip_proto_name(p->proto);
    char num[16];
    if (!pn) {
        snprintf(num, sizeof num, "proto %u", p->proto);
        pn = num;
    }
    if (p->fragment && !p->has_ports && (p->proto == VQI_PROTO_TCP || p->proto == VQI_PROTO_UDP))
        snprintf(r->info, sizeof r->info, "%sRaw %s > %s %s fragment", prefix, r->src, r->dst,
                 pn);
    else
        snprintf(r->info, sizeof r->info, "%s%s %s > %s", prefix, pn, r->src, r->dst);
}

static void write_csv(line *l, const vqi_packet *p, const row *r)
{
    put_time(l, p->ts_ns);
    put_ch(l, ',');
    put_u64(l, p->wirelen);
    put_ch(l, ',');
    if (r->has_ip)
        put_str(l, r->src);
    put_ch(l, ',');
    if (r->has_ip)
        put_str(l, r->dst);
    put_ch(l, ',');
    if (r->has_txn)
        put_u64(l, r->txn);
    put_ch(l, ',');
    put_str(l, r->protocol);
    put_ch(l, ',');
    if (r->has_ports)
        put_u64(l, r->sport);
    put_ch(l, ',');
    if (r->has_ports)
        put_u64(l, r->dport);
    put_ch(l, ',');
    put_csv_text(l, r->info);
    put_ch(l, '\n');
}

static void json_key(line *l, const char *key, int first)
{
    if (!first)
        put_ch(l, ',');
    put_ch(l, '"');
    put_str(l, key);
    put_str(l, "\":");
}

static void write_jsonl(line *l, const vqi_packet *p, const row *r)
{
    put_ch(l, '{');
    json_key(l, "timestamp", 1);
    put_time(l, p->ts_ns);
    json_key(l, "length", 0);
    put_u64(l, p->wirelen);
    json_key(l, "src_ip", 0);
    r->has_ip ? put_json_text(l, r->src) : put_str(l, "null");
    json_key(l, "dst_ip", 0);
    r->has_ip ? put_json_text(l, r->dst) : put_str(l, "null");
    json_key(l, "txn_id", 0);
    r->has_txn ? put_u64(l, r->txn) : put_str(l, "null");
    json_key(l, "protocol", 0);
    put_json_text(l, r->protocol);
    json_key(l, "src_port", 0);
    r->has_ports ? put_u64(l, r->sport) : put_str(l, "null");
    json_key(l, "dst_port", 0);
    r->has_ports ? put_u64(l, r->dport) : put_str(l, "null");
    json_key(l, "info", 0);
    put_json_text(l, r->info);
    put_str(l, "}\n");
}

int cmd_packets(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, 0, 'o'},
        {"format", required_argument, 0, 'f'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    const char *out_path = "-";
    int jsonl = 0;
    int c;
    optind = 1;
    opterr = 0;                 /* our own "vqi: packets: ..." messages, not getopt's */
    while ((c = getopt_long(argc, argv, ":o:f:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o': out_path = optarg; break;
        case 'f':
            if (cli_parse_format("packets", optarg, &jsonl))
                return VQI_EXIT_USAGE;
            break;
        case 'h': help(); return VQI_EXIT_OK;
        case ':': return cli_usage_error("packets", "option '%s' needs a value", argv[optind - 1]);
        default: return cli_usage_error("packets", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (argc - optind != 1)
        return cli_usage_error("packets", "expected one CAPTURE argument");
    const char *path = argv[optind];

    vqi_err err = {0};
    vqi_capture *cap = vqi_capture_open(path, &err);
    if (!cap)
        return cli_error(path, &err);
    vqi_out *out = vqi_out_open(out_path, &err);
    vqi_dns_msg *msg = malloc(sizeof *msg);
    vqi_dns_streams *streams = vqi_dns_streams_new();
    row *r = malloc(sizeof *r);
    line *l = malloc(sizeof *l);
    if (!out || !msg || !streams || !r || !l) {
        if (out)
            vqi_err_set(&err, VQI_EXIT_FAIL, "out of memory");
        int code = cli_error(out ? path : out_path, &err);
        vqi_out_abort(out);
        free(msg);
        free(r);
        free(l);
        vqi_dns_streams_free(streams);
        vqi_capture_close(cap);
        return code;
    }
    FILE *fo = vqi_out_file(out);
    if (!jsonl)
        fputs("timestamp,length,src_ip,dst_ip,txn_id,protocol,src_port,dst_port,info\n", fo);
    vqi_frame f;
    vqi_packet p;
    int rc;
    uint64_t n = 0;
    while ((rc = vqi_capture_next(cap, &f, &err)) == 1) {
        vqi_decode(&f, &p);
        make_row(&f, &p, r, msg, streams);
        l->n = 0;
        if (jsonl)
            write_jsonl(l, &p, r);
        else
            write_csv(l, &p, r);
        fwrite(l->b, 1, l->n, fo);
        if (++n % PROGRESS_EVERY == 0) {
            vqi_capture_stats st;
            vqi_capture_get_stats(cap, &st);
            vqi_progress("packets", (double)st.bytes_done, (double)st.bytes_total);
        }
    }
    vqi_progress_end();
    int code = VQI_EXIT_OK;
    if (rc < 0) {
        code = cli_error(path, &err);
        vqi_out_abort(out);
    } else {
        if (vqi_capture_warning(cap))
            vqi_warn(path, "%s", vqi_capture_warning(cap));
        if (vqi_out_commit(out, &err) < 0)
            code = cli_error(out_path, &err);
    }
    free(msg);
    free(r);
    free(l);
    vqi_dns_streams_free(streams);
    vqi_capture_close(cap);
    return code;
}
