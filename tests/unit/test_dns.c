/* test_dns.c - the DNS parser, its text forms and the DNS-over-TCP
 * reassembler.  Real messages and their expected decoding come from
 * tshark (tests/fixtures/dns/gen_fixtures.py); the malformed cases tshark
 * decodes differently on purpose are hand-built here, each with the reason. */
#include "check.h"
#include "testutil.h"

#include <stdlib.h>

#include "dns/dns.h"

static vqi_dns_msg msg;          /* large: keep it off the stack */

static size_t unhex(const char *h, uint8_t *out, size_t cap)
{
    size_t n = 0;
    while (h[0] && h[1] && n < cap) {
        unsigned v;
        if (sscanf(h, "%2x", &v) != 1)
            break;
        out[n++] = (uint8_t)v;
        h += 2;
    }
    return n;
}

static FILE *open_fixture(const char *name)
{
    char path[512];
    const char *fix = getenv("FIX");
    snprintf(path, sizeof path, "%s/dns/%s", fix ? fix : "tests/fixtures", name);
    FILE *f = fopen(path, "r");
    CHECK(f != NULL, "open fixture %s", path);
    return f;
}

/* Every UDP message of the edge captures decodes as tshark decodes it. */
static void test_messages_against_tshark(void)
{
    FILE *f = open_fixture("messages.tsv");
    if (!f)
        return;
    static char line[1 << 16];
    static uint8_t bytes[1 << 15];
    int n = 0, bad = 0;
    while (fgets(line, sizeof line, f)) {
        char *fld[8];
        if (line[0] == '#' || split_tabs(line, fld, 8) != 8)
            continue;
        size_t len = unhex(fld[1], bytes, sizeof bytes);
        char answers[4096];
        int rc = vqi_dns_parse(bytes, len, &msg);
        vqi_dns_answers_text(&msg, answers, sizeof answers);
        n++;
        if (rc != 0 || msg.id != atoi(fld[2]) || msg.is_response != atoi(fld[3]) ||
            strcmp(msg.qname, fld[4]) || msg.qtype != atoi(fld[5]) ||
            msg.rcode != atoi(fld[6]) || strcmp(answers, fld[7]) || msg.error) {
            bad++;
            CHECK(0, "%s: got id %u qr %u '%s' type %u rcode %u '%s' (%s); tshark: %s %s '%s' %s %s '%s'",
                  fld[0], msg.id, msg.is_response, msg.qname, msg.qtype, msg.rcode, answers,
                  msg.error ? msg.error : "no error", fld[2], fld[3], fld[4], fld[5], fld[6],
                  fld[7]);
        }
    }
    fclose(f);
    CHECK(n == 33 && bad == 0, "%d tshark-decoded messages, %d differ", n, bad);
}

/* Build a message: 12-byte header then body bytes. */
static size_t build(uint8_t *m, uint16_t flags, uint16_t qd, uint16_t an,
                    const uint8_t *body, size_t blen)
{
    uint8_t h[12] = {0x12, 0x34, (uint8_t)(flags >> 8), (uint8_t)flags, 0, (uint8_t)qd,
                     (uint8_t)(an >> 8), (uint8_t)an, 0, 0, 0, 0};
    memcpy(m, h, 12);
    memcpy(m + 12, body, blen);
    return 12 + blen;
}

/* Question of labels 63, 63, 63 and `last` octets: 4 length bytes + root
 * make the wire name 192 + last + 2 octets (255 for last = 61). */
static size_t long_name(uint8_t *body, int last)
{
    size_t at = 0;
    int lens[] = {63, 63, 63, last};
    for (int i = 0; i < 4; i++) {
        body[at++] = (uint8_t)lens[i];
        memset(body + at, 'a' + i, (size_t)lens[i]);
        at += (size_t)lens[i];
    }
    body[at++] = 0;
    memcpy(body + at, "\0\1\0\1", 4);
    return at + 4;
}

static void test_names(void)
{
    uint8_t m[2048];
    /* tcpdump_dns-zlip-1 (the 35 bytes after its UDP header): the question
     * name is a pointer to itself.  tshark never decodes it (the UDP length
     * field says 0 bytes); vqi rejects it by the backwards rule. */
    size_t n = unhex("ed6900000001000000000000c00cc007c010c017c020c027c030c0ffcf000000010001",
                     m, sizeof m);
    CHECK_INT(vqi_dns_parse(m, n, &msg), 0, "zlip-1: header read");
    CHECK_INT(msg.id, 0xed69, "zlip-1: id");
    CHECK_STR(msg.qname, "", "zlip-1: no question name");
    CHECK_STR(msg.error, "compression pointer does not point backwards", "zlip-1: loop rejected");

    /* A forward pointer to a well-formed name: tshark follows it, vqi
     * rejects it (compressors only point at names already written; forward
     * pointers are how loops are built). */
    static const uint8_t fwd[] = {0xc0, 0x12, 0, 1, 0, 1, 1, 'x', 0};
    n = build(m, 0x0100, 1, 0, fwd, sizeof fwd);
    vqi_dns_parse(m, n, &msg);
    CHECK_STR(msg.error, "compression pointer does not point backwards", "forward pointer rejected");

    /* A backwards pointer whose target then points forward again (a
     * two-hop loop): the second target must lie before the first. */
    static const uint8_t hop2[] = {1, 'a', 0xc0, 0x10, 0, 1, 0, 1,     /* 12: a + ptr->16 */
                                   0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0};
    n = build(m, 0x8100, 1, 1, hop2, sizeof hop2);
    vqi_dns_parse(m, n, &msg);
    CHECK_STR(msg.error, "compression pointer does not point backwards", "two-hop loop rejected");

    /* A valid chain of three backwards pointers: www -> example -> com. */
    static const uint8_t chain[] = {
        3, 'c', 'o', 'm', 0, 0, 1, 0, 1,                                   /* 12 */
        7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0xc0, 12, 0, 1, 0, 1,        /* 21 */
        3, 'w', 'w', 'w', 0xc0, 21, 0, 1, 0, 1,                            /* 35 */
    };
    n = build(m, 0x0100, 3, 0, chain, sizeof chain);
    CHECK_INT(vqi_dns_parse(m, n, &msg), 0, "chained pointers parse");
    CHECK(msg.error == NULL, "chained pointers: no error (%s)", msg.error ? msg.error : "");
    CHECK_STR(msg.qname, "com", "first question");

    static const uint8_t rr_chain[] = {
        3, 'c', 'o', 'm', 0, 0, 1, 0, 1,
        7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 6,
        3, 'w', 'w', 'w', 0xc0, 21,                                   /* target www.example.com */
        0xc0, 41, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 1,         /* owner -> target name */
    };
    n = build(m, 0x8180, 1, 2, rr_chain, sizeof rr_chain);
    vqi_dns_parse(m, n, &msg);
    char text[512];
    vqi_dns_answers_text(&msg, text, sizeof text);
    CHECK_STR(text, "example.com CNAME www.example.com A 10.0.0.1", "CNAME chain text");

    /* 0x40 and 0x80 label types are reserved (RFC 6891 retired 0x40). */
    static const uint8_t l40[] = {0x41, 'x', 0, 0, 1, 0, 1}, l80[] = {0x81, 'x', 0, 0, 1, 0, 1};
    n = build(m, 0x0100, 1, 0, l40, sizeof l40);
    vqi_dns_parse(m, n, &msg);
    CHECK_STR(msg.error, "reserved label type (0x40/0x80)", "0x40 label rejected");
    n = build(m, 0x0100, 1, 0, l80, sizeof l80);
    vqi_dns_parse(m, n, &msg);
    CHECK_STR(msg.error, "reserved label type (0x40/0x80)", "0x80 label rejected");

    /* 255 octets is the longest name: labels 63+63+63+61 (+4 length
     * bytes + root = 255) pass; one more octet fails. */
    uint8_t body[600];
    size_t at = long_name(body, 61);
    n = build(m, 0x0100, 1, 0, body, at);
    vqi_dns_parse(m, n, &msg);
    CHECK(msg.error == NULL && strlen(msg.qname) == 253, "255-octet name accepted (%zu chars)",
          strlen(msg.qname));
    at = long_name(body, 62);
    n = build(m, 0x0100, 1, 0, body, at);
    vqi_dns_parse(m, n, &msg);
    CHECK_STR(msg.error, "name longer than 255 octets", "256-octet name rejected");

    /* Escapes: a dot inside a label, a space, a backslash and a non-ASCII byte. */
    static const uint8_t esc[] = {6, 'a', '.', 'b', ' ', '\\', 0xe9, 0, 0, 1, 0, 1};
    n = build(m, 0x0100, 1, 0, esc, sizeof esc);
    vqi_dns_parse(m, n, &msg);
    CHECK_STR(msg.qname, "a\\.b\\032\\\\\\233", "RFC 1035 escapes");

    /* The root name prints as tshark prints it. */
    static const uint8_t root[] = {0, 0, 2, 0, 1};
    n = build(m, 0x0100, 1, 0, root, sizeof root);
    vqi_dns_parse(m, n, &msg);
    CHECK_STR(msg.qname, "<Root>", "root name");
    CHECK_INT(msg.qtype, VQI_DNS_NS, "root NS query");
}

static void test_counts_and_records(void)
{
    uint8_t m[4096];
    /* A Requet query cut at 72 captured bytes keeps 30 DNS bytes: header
     * and part of the name.  The header is still read (txn id), the name not. */
    size_t n = unhex("abcd01000001000000000000057231302d2d2d736e2d6e3437", m, sizeof m);
    CHECK_INT(vqi_dns_parse(m, n, &msg), 0, "cut query: header read");
    CHECK_INT(msg.id, 0xabcd, "cut query: id");
    CHECK_STR(msg.qname, "", "cut query: no name");
    CHECK_STR(msg.error, "label runs past the end of the message", "cut query: why");
    CHECK_INT(vqi_dns_parse(m, 11, &msg), -1, "11 bytes are not DNS");
    CHECK_INT(vqi_dns_parse(NULL, 0, &msg), -1, "NULL is not DNS");

    /* ancount claims 100 records, one is present. */
    static const uint8_t one[] = {1, 'x', 0, 0, 1, 0, 1,
                                  0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 9, 0, 4, 192, 0, 2, 1};
    n = build(m, 0x8180, 1, 100, one, sizeof one);
    CHECK_INT(vqi_dns_parse(m, n, &msg), 0, "overclaimed counts parse");
    CHECK_INT(msg.n_answers, 1, "the one present answer is kept");
    CHECK_INT(msg.ancount, 100, "ancount as claimed");
    CHECK_STR(msg.error, "name runs past the end of the message", "then parsing stops");

    /* A record with a wrong A length. */
    static const uint8_t bad_a[] = {1, 'x', 0, 0, 1, 0, 1,
                                    0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 9, 0, 5, 192, 0, 2, 1, 7};
    n = build(m, 0x8180, 1, 1, bad_a, sizeof bad_a);
    vqi_dns_parse(m, n, &msg);
    CHECK_STR(msg.error, "A record with a length other than 4", "bad A length");
    CHECK_INT(msg.n_answers, 0, "bad A not kept");

    /* RDLENGTH past the end (RFC 9267's anti-pattern). */
    static const uint8_t long_rd[] = {1, 'x', 0, 0, 1, 0, 1,
                                      0xc0, 12, 0, 16, 0, 1, 0, 0, 0, 9, 0xff, 0xff, 1, 2};
    n = build(m, 0x8180, 1, 1, long_rd, sizeof long_rd);
    vqi_dns_parse(m, n, &msg);
    CHECK_STR(msg.error, "record data runs past the end of the message", "rdlength past end");

    /* 70 answers: 64 kept, all parsed; AAAA decoded. */
    uint8_t body[4000];
    size_t at = 0;
    memcpy(body, (const uint8_t[]){1, 'x', 0, 0, 28, 0, 1}, 7);
    at = 7;
    for (int i = 0; i < 70; i++) {
        const uint8_t rr[] = {0xc0, 12, 0, 28, 0, 1, 0, 0, 0, 9, 0, 16,
                              0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (uint8_t)i};
        memcpy(body + at, rr, sizeof rr);
        at += sizeof rr;
    }
    n = build(m, 0x8180, 1, 70, body, at);
    vqi_dns_parse(m, n, &msg);
    CHECK(msg.error == NULL && msg.n_answers == VQI_DNS_MAX_RR, "70 answers: %zu kept, error %s",
          msg.n_answers, msg.error ? msg.error : "none");
    char text[8192];
    vqi_dns_answers_text(&msg, text, sizeof text);
    CHECK(strncmp(text, "x AAAA 2001:db8::", 17) == 0, "AAAA text: %.40s", text);
    /* A short buffer cuts the text, never overflows. */
    char small[10];
    vqi_dns_answers_text(&msg, small, sizeof small);
    CHECK_STR(small, "x AAAA 20", "text cut at the buffer");
}

static void test_summary(void)
{
    uint8_t m[600];
    char s[1024], tb[16];
    /* ndpi_dns_ambiguous_names.pcap frame 4 (tshark: teams.skype.com CNAME
     * s-0001.s-msedge.net A 13.107.3.128). */
    size_t n = unhex("c31981800001000200000001057465616d7305736b79706503636f6d0000010001c00c"
                     "0005000100000803001506732d3030303108732d6d7365646765036e657400c02d00"
                     "010001000000a800040d6b03800000290200000000000000", m, sizeof m);
    CHECK_INT(vqi_dns_parse(m, n, &msg), 0, "teams.skype.com response parses");
    vqi_dns_summary(&msg, s, sizeof s);
    CHECK_STR(s, "DNS Ans \"teams.skype.com\" -> CNAME \"s-0001.s-msedge.net\" A \"13.107.3.128\"",
              "answer summary");
    msg.is_response = 0;
    vqi_dns_summary(&msg, s, sizeof s);
    CHECK_STR(s, "DNS Qry \"teams.skype.com\" A", "query summary");
    msg.is_response = 1;
    msg.n_answers = 0;
    msg.rcode = 3;
    vqi_dns_summary(&msg, s, sizeof s);
    CHECK_STR(s, "DNS Ans \"teams.skype.com\" NXDOMAIN", "NXDOMAIN summary");
    msg.qname[0] = '\0';
    msg.is_response = 0;
    msg.error = "question cut";
    vqi_dns_summary(&msg, s, sizeof s);
    CHECK_STR(s, "DNS Qry [question cut]", "cut query summary");
    CHECK_STR(vqi_dns_type_name(99, tb, sizeof tb), "TYPE99", "RFC 3597 type name");
    CHECK_STR(vqi_dns_type_name(65, tb, sizeof tb), "HTTPS", "HTTPS type name");
    CHECK_STR(vqi_dns_rcode_name(2), "SERVFAIL", "rcode name");
}

static void test_port_kind(void)
{
    vqi_packet p;
    memset(&p, 0, sizeof p);
    vqi_ns_kind k = VQI_NS_NBNS;
    p.ipver = 4;
    p.proto = VQI_PROTO_UDP;
    p.has_ports = 1;
    p.sport = 40000;
    p.dport = 53;
    CHECK(vqi_dns_port_kind(&p, &k) == 1 && k == VQI_NS_DNS, "udp/53 is dns");
    p.sport = 5353;
    CHECK(vqi_dns_port_kind(&p, &k) == 1 && k == VQI_NS_DNS, "5353 -> 53 is still dns");
    p.dport = 5353;
    CHECK(vqi_dns_port_kind(&p, &k) == 1 && k == VQI_NS_MDNS, "mdns");
    p.sport = p.dport = 5355;
    CHECK(vqi_dns_port_kind(&p, &k) == 1 && k == VQI_NS_LLMNR, "llmnr");
    p.sport = p.dport = 137;
    CHECK(vqi_dns_port_kind(&p, &k) == 1 && k == VQI_NS_NBNS, "nbns");
    CHECK_STR(vqi_ns_kind_name(k), "nbns", "kind name");
    p.sport = 443;
    p.dport = 50000;
    CHECK_INT(vqi_dns_port_kind(&p, &k), 0, "443 is not dns");
    p.dport = 53;
    p.has_ports = 0;
    CHECK_INT(vqi_dns_port_kind(&p, &k), 0, "no ports (later fragment) is not dns");
}


/* ---- DNS over TCP ---- */

typedef struct got { int n; unsigned ids[64]; } got;

static void on_msg(void *ctx, const vqi_packet *p, const uint8_t *m, size_t len)
{
    got *g = ctx;
    static vqi_dns_msg one;
    (void)p;
    if (vqi_dns_parse(m, len, &one) == 0 && g->n < 64)
        g->ids[g->n++] = one.id;
}

static int feed(vqi_dns_streams *s, uint16_t sport, uint16_t dport, uint32_t seq, uint8_t flags,
                const uint8_t *bytes, uint32_t len, uint32_t caplen, got *g)
{
    vqi_packet p;
    memset(&p, 0, sizeof p);
    p.ipver = 4;
    p.proto = VQI_PROTO_TCP;
    p.has_ports = 1;
    p.sport = sport;
    p.dport = dport;
    /* client 10.0.0.1, server 10.0.0.2, both v4-mapped */
    p.src[10] = p.src[11] = p.dst[10] = p.dst[11] = 0xff;
    p.src[12] = p.dst[12] = 10;
    p.src[15] = sport == 53 ? 2 : 1;
    p.dst[15] = sport == 53 ? 1 : 2;
    p.seq = seq;
    p.tcp_flags = flags;
    p.payload = len ? bytes : NULL;
    p.payload_len = len;
    p.payload_caplen = caplen;
    return vqi_dns_streams_feed(s, &p, on_msg, g);
}

/* The real DNS-over-TCP captures yield the messages tshark reassembles. */
static void test_tcp_captures(void)
{
    FILE *segs = open_fixture("tcp_segments.tsv"), *want = open_fixture("tcp_messages.tsv");
    if (!segs || !want) {
        if (segs)
            fclose(segs);
        if (want)
            fclose(want);
        return;
    }
    static char line[1 << 16];
    static uint8_t bytes[1 << 15];
    char label[128] = "";
    vqi_dns_streams *s = NULL;
    got g = {0};
    for (;;) {
        char *f[7];
        int more = fgets(line, sizeof line, segs) != NULL;
        if (more && (line[0] == '#' || split_tabs(line, f, 7) != 7))
            continue;
        if (!more || strcmp(f[0], label)) {
            if (s) {
                /* Compare with tshark's list for the finished capture. */
                char have[1024] = "", wline[4096] = "";
                for (int i = 0; i < g.n; i++)
                    snprintf(have + strlen(have), sizeof have - strlen(have), "%s%u",
                             i ? "," : "", g.ids[i]);
                rewind(want);
                while (fgets(wline, sizeof wline, want)) {
                    char *w[2];
                    if (wline[0] != '#' && split_tabs(wline, w, 2) == 2 && !strcmp(w[0], label))
                        CHECK_STR(have, w[1], label);
                }
                vqi_dns_streams_free(s);
            }
            if (!more)
                break;
            snprintf(label, sizeof label, "%s", f[0]);
            s = vqi_dns_streams_new();
            memset(&g, 0, sizeof g);
        }
        uint32_t len = (uint32_t)unhex(f[6], bytes, sizeof bytes);
        feed(s, (uint16_t)atoi(f[2]), (uint16_t)atoi(f[3]), (uint32_t)strtoul(f[4], NULL, 10),
             (uint8_t)atoi(f[5]), bytes, len, len, &g);
    }
    fclose(segs);
    fclose(want);
}

/* A query for x (id 0x0102), with its 2-byte length prefix. */
static const uint8_t framed[] = {0, 19, 0x01, 0x02, 0x01, 0, 0, 1, 0, 0, 0, 0, 0, 0,
                                 1, 'x', 0, 0, 1, 0, 1};

static void test_tcp_synthetic(void)
{
    vqi_dns_streams *s = vqi_dns_streams_new();
    got g = {0};
    uint32_t seq = 1000;
    feed(s, 40000, 53, seq - 1, VQI_TCP_SYN, NULL, 0, 0, &g);
    CHECK_INT(feed(s, 40000, 53, seq, VQI_TCP_ACK, framed, 2, 2, &g), 0, "length prefix alone");
    CHECK_INT(feed(s, 40000, 53, seq + 2, VQI_TCP_ACK, framed + 2, 19, 19, &g), 1,
              "message after a lone prefix");
    seq += 21;
    /* One message over three segments. */
    feed(s, 40000, 53, seq, VQI_TCP_ACK, framed, 5, 5, &g);
    feed(s, 40000, 53, seq + 5, VQI_TCP_ACK, framed + 5, 10, 10, &g);
    CHECK_INT(feed(s, 40000, 53, seq + 15, VQI_TCP_ACK, framed + 15, 6, 6, &g), 1,
              "message over three segments");
    seq += 21;
    /* Two messages and a prefix in one segment, the rest later. */
    uint8_t three[63];
    memcpy(three, framed, 21);
    memcpy(three + 21, framed, 21);
    memcpy(three + 42, framed, 21);
    CHECK_INT(feed(s, 40000, 53, seq, VQI_TCP_ACK, three, 44, 44, &g), 2,
              "two messages in one segment");
    /* The same segment again (a retransmission) adds nothing. */
    CHECK_INT(feed(s, 40000, 53, seq, VQI_TCP_ACK, three, 44, 44, &g), 0, "retransmission ignored");
    /* Overlapping retransmission carrying the rest. */
    CHECK_INT(feed(s, 40000, 53, seq + 40, VQI_TCP_ACK, three + 40, 23, 23, &g), 1,
              "overlapping segment completes the third");
    seq += 63;
    /* A gap loses the pending message; the next one is still found. */
    feed(s, 40000, 53, seq, VQI_TCP_ACK, framed, 10, 10, &g);
    CHECK_INT(feed(s, 40000, 53, seq + 30, VQI_TCP_ACK, framed, 21, 21, &g), 1,
              "message after a gap");
    seq += 51;
    /* A segment the capture cut cannot be used. */
    CHECK_INT(feed(s, 40000, 53, seq, VQI_TCP_ACK, framed, 21, 8, &g), 0, "cut segment skipped");
    seq += 21;
    CHECK_INT(feed(s, 40000, 53, seq, VQI_TCP_ACK, framed, 21, 21, &g), 1, "next message after a cut one");
    CHECK_INT(g.n, 7, "messages in all");
    CHECK_INT(g.ids[0], 0x0102, "message id");

    /* Eviction: a partial message in stream A, then 256 other streams;
     * A's remainder arrives in a fresh stream and is not mistaken for a
     * message (its first bytes read as length 0x0001 + ...). */
    feed(s, 41000, 53, 5000, VQI_TCP_ACK, framed, 4, 4, &g);
    for (uint16_t port = 42000; port < 42000 + 256; port++)
        feed(s, port, 53, 1, VQI_TCP_ACK, framed, 3, 3, &g);
    CHECK_INT(feed(s, 41000, 53, 5004, VQI_TCP_ACK, framed + 4, 17, 17, &g), 0,
              "evicted stream's tail emits nothing");
    /* FIN forgets the stream: a later segment on the same ports starts anew. */
    feed(s, 43000, 53, 1, VQI_TCP_ACK, framed, 4, 4, &g);
    feed(s, 43000, 53, 5, VQI_TCP_FIN | VQI_TCP_ACK, NULL, 0, 0, &g);
    CHECK_INT(feed(s, 43000, 53, 100, VQI_TCP_ACK, framed, 21, 21, &g), 1, "new stream after FIN");
    vqi_dns_streams_free(s);
}

static void test_tcp(void)
{
    test_tcp_captures();
    test_tcp_synthetic();
}

/* Deterministic mutations of real messages (bytes flipped, cut, counts
 * raised): the parser must stay inside the buffer (ASan in SAN=1 builds)
 * and always leave terminated names of bounded length. */
static void test_mutations(void)
{
    FILE *f = open_fixture("messages.tsv");
    if (!f)
        return;
    static char line[1 << 16];
    static uint8_t orig[1 << 15];
    uint32_t rng = 12345;
    long runs = 0, bad = 0;
    while (fgets(line, sizeof line, f)) {
        char *fld[8];
        if (line[0] == '#' || split_tabs(line, fld, 8) != 8)
            continue;
        size_t len = unhex(fld[1], orig, sizeof orig);
        for (int k = 0; k < 300; k++) {
            uint8_t *m = malloc(len ? len : 1);
            memcpy(m, orig, len);
            size_t n = len;
            for (int j = 0; j < 1 + k % 4; j++) {
                rng = rng * 1103515245u + 12345u;
                size_t at = (rng >> 8) % (len ? len : 1);
                if (len)
                    m[at] = (uint8_t)(k % 3 == 0 ? 0xc0 | (rng >> 24) : rng >> 16);
            }
            if (k % 5 == 0)
                n = (rng >> 4) % (len + 1);       /* cut anywhere */
            char text[2048];
            vqi_dns_parse(m, n, &msg);
            vqi_dns_answers_text(&msg, text, sizeof text);
            vqi_dns_summary(&msg, text, sizeof text);
            if (strnlen(msg.qname, VQI_DNS_NAME_MAX) >= VQI_DNS_NAME_MAX ||
                msg.n_answers > VQI_DNS_MAX_RR || strlen(text) >= sizeof text)
                bad++;
            for (size_t i = 0; i < msg.n_answers; i++)
                if (strnlen(msg.answers[i].name, VQI_DNS_NAME_MAX) >= VQI_DNS_NAME_MAX)
                    bad++;
            free(m);
            runs++;
        }
    }
    fclose(f);
    CHECK(runs == 9900 && bad == 0, "%ld mutated messages, %ld with unbounded fields", runs, bad);
}

int main(void)
{
    test_messages_against_tshark();
    test_names();
    test_counts_and_records();
    test_summary();
    test_port_kind();
    test_tcp();
    test_mutations();
    return check_done();
}
