/* test_service.c - service identification: catalogue and regex names, CNAME
 * chains, learning from DNS packets (UDP and TCP), address prefixes, TLS
 * server names (real ClientHellos, server names read by tshark) and the
 * address set. */
#include "check.h"

#include <stdlib.h>

#include "service/service.h"
#include "service/service_int.h"

static vqi_dns_msg msg;

static size_t unhex(const char *h, uint8_t *out, size_t cap)
{
    size_t n = 0;
    unsigned v;
    while (h[0] && h[1] && n < cap && sscanf(h, "%2x", &v) == 1) {
        out[n++] = (uint8_t)v;
        h += 2;
    }
    return n;
}

static void addr(const char *text, uint8_t out[16])
{
    if (vqi_addr_parse(text, out) != 0)
        CHECK(0, "parse address %s", text);
}

static void test_catalogue(void)
{
    vqi_err e = {0};
    vqi_service *s = vqi_service_by_name("NetFlix", &e);
    CHECK(s != NULL, "catalogue lookup is case-insensitive");
    CHECK_STR(vqi_service_name(s), "netflix", "canonical name");
    CHECK(vqi_service_name_matches(s, "www.netflix.com"), "subdomain matches");
    CHECK(vqi_service_name_matches(s, "NETFLIX.COM"), "the domain itself, any case");
    CHECK(vqi_service_name_matches(s, "ipv4-c001-lax001-ix.1.oca.nflxvideo.net"), "nflxvideo");
    CHECK(!vqi_service_name_matches(s, "notnetflix.com"), "no match inside a label");
    CHECK(!vqi_service_name_matches(s, "netflix.com.evil.org"), "no match as a prefix");
    CHECK(!vqi_service_name_matches(s, ""), "empty name");
    vqi_service_free(s);

    CHECK(vqi_service_by_name("hulu", &e) == NULL && e.code == VQI_EXIT_USAGE &&
              strstr(e.msg, "netflix, youtube, twitch, amazon"),
          "unknown service lists the catalogue: %s", e.msg);
    const char *const *names = vqi_service_catalogue();
    int n = 0;
    while (names[n])
        n++;
    CHECK_INT(n, 4, "catalogue size");
    s = vqi_service_by_name("youtube", &e);
    CHECK(vqi_service_name_matches(s, "r4---sn-ab5l6nzr.googlevideo.com") &&
              vqi_service_name_matches(s, "i.ytimg.com") && vqi_service_name_matches(s, "youtu.be"),
          "youtube names");
    vqi_service_free(s);

    s = vqi_service_by_regex("netflix|nflx", &e);
    CHECK(s && vqi_service_name_matches(s, "art-s.NFLXIMG.net") &&
              !vqi_service_name_matches(s, "example.org"),
          "regex mode, case-insensitive");
    CHECK_STR(vqi_service_name(s), "netflix|nflx", "regex service name");
    vqi_service_free(s);
    CHECK(vqi_service_by_regex("(unclosed", &e) == NULL && e.code == VQI_EXIT_USAGE,
          "bad regex is a usage error: %s", e.msg);
    CHECK_STR(vqi_ident_name(VQI_IDENT_PREFIX), "prefix", "ident name");
}

static void set_rr(vqi_dns_rr *rr, const char *name, uint16_t type, const char *data)
{
    memset(rr, 0, sizeof *rr);
    snprintf(rr->name, sizeof rr->name, "%s", name);
    rr->type = type;
    if (type == VQI_DNS_CNAME)
        snprintf(rr->target, sizeof rr->target, "%s", data);
    else
        addr(data, rr->addr);
}

static void test_chains(void)
{
    vqi_err e = {0};
    vqi_service *s = vqi_service_by_name("netflix", &e);
    /* The question does not match, a CNAME target does: the A record at
     * the end of that chain belongs to the service, the unrelated record
     * of the same message does not. */
    memset(&msg, 0, sizeof msg);
    msg.is_response = 1;
    snprintf(msg.qname, sizeof msg.qname, "cdn.example");
    set_rr(&msg.answers[0], "cdn.example", VQI_DNS_CNAME, "edge.nflxvideo.net");
    set_rr(&msg.answers[1], "edge.nflxvideo.net", VQI_DNS_CNAME, "host.akamai.example");
    set_rr(&msg.answers[2], "host.akamai.example", VQI_DNS_A, "198.51.100.7");
    set_rr(&msg.answers[3], "other.example", VQI_DNS_AAAA, "2001:db8::9");
    /* a CNAME cycle must not hang the backwards walk */
    set_rr(&msg.answers[4], "loop.example", VQI_DNS_CNAME, "loop2.example");
    set_rr(&msg.answers[5], "loop2.example", VQI_DNS_CNAME, "loop.example");
    set_rr(&msg.answers[6], "loop.example", VQI_DNS_A, "192.0.2.99");
    msg.n_answers = 7;
    CHECK(vqi_service_chain_matches(s, &msg, 2), "A at the end of a matching chain");
    CHECK(!vqi_service_chain_matches(s, &msg, 3), "record outside the chain");
    CHECK(!vqi_service_chain_matches(s, &msg, 6), "CNAME cycle terminates, no match");
    CHECK(vqi_service_msg_matches(s, &msg), "message matches by a CNAME target");
    vqi_service_learn_dns(s, &msg);
    CHECK_INT(vqi_service_n_addresses(s), 1, "one address learned");
    char buf[VQI_ADDR_STRLEN];
    CHECK_STR(vqi_addr_format(vqi_service_address(s, 0), buf), "198.51.100.7", "learned address");
    /* The question name alone decides for every answer. */
    snprintf(msg.qname, sizeof msg.qname, "www.netflix.com");
    vqi_service_learn_dns(s, &msg);
    CHECK_INT(vqi_service_n_addresses(s), 3, "question match learns every A/AAAA");
    CHECK_STR(vqi_addr_format(vqi_service_address(s, 1), buf), "2001:db8::9", "in first-seen order");
    CHECK(vqi_service_address(s, 3) == NULL, "past the end");
    /* Queries teach nothing. */
    msg.is_response = 0;
    set_rr(&msg.answers[0], "www.netflix.com", VQI_DNS_A, "203.0.113.1");
    vqi_service_learn_dns(s, &msg);
    CHECK_INT(vqi_service_n_addresses(s), 3, "queries are not learned from");
    vqi_service_free(s);
}

static void packet(vqi_packet *p, uint8_t proto, const char *src, uint16_t sport,
                   const char *dst, uint16_t dport, const uint8_t *payload, uint32_t len)
{
    memset(p, 0, sizeof *p);
    addr(src, p->src);
    addr(dst, p->dst);
    p->ipver = vqi_addr_is_v4(p->src) ? 4 : 6;
    p->proto = proto;
    p->has_ports = 1;
    p->sport = sport;
    p->dport = dport;
    p->payload = payload;
    p->payload_len = p->payload_caplen = len;
    p->tcp_flags = proto == VQI_PROTO_TCP ? VQI_TCP_ACK | VQI_TCP_PSH : 0;
}

/* ndpi_dns_ambiguous_names.pcap frame 4: teams.skype.com CNAME
 * s-0001.s-msedge.net A 13.107.3.128 (tshark). */
static const char teams_hex[] =
    "c31981800001000200000001057465616d7305736b79706503636f6d0000010001c00c"
    "0005000100000803001506732d3030303108732d6d7365646765036e657400c02d00"
    "010001000000a800040d6b03800000290200000000000000";

static void test_observe_classify(void)
{
    vqi_err e = {0};
    vqi_service *s = vqi_service_by_regex("msedge", &e);
    uint8_t m[512], framed[514];
    size_t n = unhex(teams_hex, m, sizeof m);
    vqi_packet p;
    int remote_is_src = -1;

    /* A query (port 53 as destination) teaches nothing... */
    packet(&p, VQI_PROTO_UDP, "10.200.2.11", 50000, "8.8.8.8", 53, m, 30);
    vqi_service_observe(s, &p);
    CHECK_INT(vqi_service_n_addresses(s), 0, "query observed: nothing learned");
    /* ...a response cut by the capture is parsed as far as it goes... */
    packet(&p, VQI_PROTO_UDP, "8.8.8.8", 53, "10.200.2.11", 50000, m, (uint32_t)n);
    p.payload_caplen = 60;
    vqi_service_observe(s, &p);
    CHECK_INT(vqi_service_n_addresses(s), 0, "cut response: the A record is not there");
    /* ...the whole response teaches its address. */
    p.payload_caplen = (uint32_t)n;
    vqi_service_observe(s, &p);
    CHECK_INT(vqi_service_n_addresses(s), 1, "response learned");

    packet(&p, VQI_PROTO_UDP, "10.200.2.11", 60000, "13.107.3.128", 443, NULL, 0);
    CHECK_INT(vqi_service_classify(s, &p, &remote_is_src), VQI_IDENT_DNS, "to the address: dns");
    CHECK_INT(remote_is_src, 0, "remote is the destination");
    packet(&p, VQI_PROTO_TCP, "13.107.3.128", 443, "10.200.2.11", 60000, NULL, 0);
    CHECK_INT(vqi_service_classify(s, &p, &remote_is_src), VQI_IDENT_DNS, "from the address: dns");
    CHECK_INT(remote_is_src, 1, "remote is the source");
    packet(&p, VQI_PROTO_TCP, "13.107.3.129", 443, "10.200.2.11", 60000, NULL, 0);
    CHECK_INT(vqi_service_classify(s, &p, &remote_is_src), VQI_IDENT_NONE, "neighbour: none");
    vqi_service_free(s);

    /* The same response over TCP: the length prefix in its own segment. */
    s = vqi_service_by_regex("msedge", &e);
    framed[0] = (uint8_t)(n >> 8);
    framed[1] = (uint8_t)n;
    memcpy(framed + 2, m, n);
    packet(&p, VQI_PROTO_TCP, "8.8.8.8", 53, "10.200.2.11", 50001, framed, 2);
    p.seq = 7;
    vqi_service_observe(s, &p);
    packet(&p, VQI_PROTO_TCP, "8.8.8.8", 53, "10.200.2.11", 50001, framed + 2, (uint32_t)n);
    p.seq = 9;
    vqi_service_observe(s, &p);
    CHECK_INT(vqi_service_n_addresses(s), 1, "learned over TCP");
    /* mDNS answers are not the client's resolutions. */
    packet(&p, VQI_PROTO_UDP, "10.0.0.9", 5353, "224.0.0.251", 5353, m, (uint32_t)n);
    vqi_service_free(s);
    s = vqi_service_by_regex("msedge", &e);
    vqi_service_observe(s, &p);
    CHECK_INT(vqi_service_n_addresses(s), 0, "mdns is not learned from");
    vqi_service_free(s);
}

static void test_prefixes(void)
{
    vqi_err e = {0};
    vqi_service *s = vqi_service_by_name("netflix", &e);
    vqi_packet p;
    int r = -1;
    struct { const char *a; vqi_ident want; } cases[] = {
        {"23.246.1.1", VQI_IDENT_PREFIX},   {"23.246.63.255", VQI_IDENT_PREFIX},
        {"23.246.64.0", VQI_IDENT_NONE},    {"45.57.127.9", VQI_IDENT_PREFIX},
        {"45.57.128.1", VQI_IDENT_NONE},    {"208.75.79.200", VQI_IDENT_PREFIX},
        {"2a00:86c0:ff::1", VQI_IDENT_PREFIX}, {"2a00:86c1::1", VQI_IDENT_NONE},
        {"2620:10c:700f::2", VQI_IDENT_PREFIX}, {"2620:10c:7010::2", VQI_IDENT_NONE},
        {"::ffff:0:0", VQI_IDENT_NONE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int v6 = strchr(cases[i].a, ':') != NULL;
        packet(&p, VQI_PROTO_TCP, cases[i].a, 443, v6 ? "2001:db8::1" : "192.168.0.2", 5000,
               NULL, 0);
        CHECK_INT(vqi_service_classify(s, &p, &r), cases[i].want, cases[i].a);
    }
    packet(&p, VQI_PROTO_TCP, "192.168.0.2", 5000, "198.38.96.1", 443, NULL, 0);
    CHECK(vqi_service_classify(s, &p, &r) == VQI_IDENT_PREFIX && r == 0, "prefix as destination");
    prefix px;
    CHECK(prefix_parse("10.0.0.0/33", &px) < 0 && prefix_parse("10.0.0.0", &px) < 0 &&
              prefix_parse("x/8", &px) < 0 && prefix_parse("::/129", &px) < 0,
          "bad prefixes rejected");
    vqi_service_free(s);

    /* Nested and disjoint blocks: after normalising, one search decides. */
    const char *texts[] = {"10.1.0.0/16", "10.0.0.0/8", "10.2.3.0/24", "192.168.0.0/24",
                           "2001:db8::/32", "2001:db8:1::/48", "::ffff:0:0/96"};
    prefix list[7];
    int parsed = 0;
    for (int i = 0; i < 7; i++)
        parsed += prefix_parse(texts[i], &list[i]) == 0;
    CHECK_INT(parsed, 7, "prefixes parsed");
    /* "::ffff:0:0/96" is every IPv4 address: it swallows the IPv4 blocks. */
    size_t n = prefixes_normalise(list, 6);
    CHECK_INT(n, 3, "nested blocks dropped (10/8 keeps 10.1/16 and 10.2.3/24)");
    struct { const char *a; int in; } probe[] = {
        {"10.200.0.1", 1}, {"10.1.2.3", 1}, {"9.255.255.255", 0}, {"11.0.0.0", 0},
        {"192.168.0.255", 1}, {"192.168.1.0", 0}, {"2001:db8:ffff::1", 1},
        {"2001:db9::", 0}, {"::", 0}, {"ffff::", 0}};
    for (size_t i = 0; i < sizeof probe / sizeof *probe; i++) {
        uint8_t a[16];
        addr(probe[i].a, a);
        CHECK_INT(prefixes_match(list, n, a), probe[i].in, probe[i].a);
    }
    uint8_t v4[16];
    addr("1.2.3.4", v4);
    CHECK(prefixes_match(list + 6, 1, v4) == 1, "::ffff:0:0/96 holds every IPv4 address");
    CHECK(prefixes_match(list, 0, v4) == 0, "empty list");
}

static void test_sni(void)
{
    char path[512], line[8192], name[256];
    static uint8_t bytes[4096];
    const char *fix = getenv("FIX");
    snprintf(path, sizeof path, "%s/dns/clienthellos.tsv", fix ? fix : "tests/fixtures");
    FILE *f = fopen(path, "r");
    CHECK(f != NULL, "open %s", path);
    int n = 0, ok = 0;
    while (f && fgets(line, sizeof line, f)) {
        if (line[0] == '#')
            continue;
        line[strcspn(line, "\r\n")] = '\0';
        char *sni = strchr(line, '\t'), *hex = sni ? strchr(sni + 1, '\t') : NULL;
        if (!hex)
            continue;
        *hex++ = '\0';
        sni++;
        size_t len = unhex(hex, bytes, sizeof bytes);
        n++;
        int rc = tls_client_hello_sni(bytes, len, name, sizeof name);
        if (rc == 1 && !strcmp(name, sni))
            ok++;
        else
            CHECK(0, "frame %s: got %d '%s', tshark '%s'", line, rc, rc == 1 ? name : "", sni);
        /* Every cut of the hello either still finds the name or says it is
         * beyond the bytes present; never reads past them (ASan). */
        int bad_cut = 0;
        for (size_t cut = 0; cut < len; cut++) {
            uint8_t *copy = malloc(cut ? cut : 1);
            memcpy(copy, bytes, cut);
            int r = tls_client_hello_sni(copy, cut, name, sizeof name);
            if (!(r == -1 || r == 0 || (r == 1 && !strcmp(name, sni))))
                bad_cut++;
            free(copy);
        }
        CHECK_INT(bad_cut, 0, "cut hellos never yield a wrong name");
    }
    if (f)
        fclose(f);
    CHECK(n == 7 && ok == 7, "%d of %d ClientHellos give tshark's server name", ok, n);

    /* A verdict per connection, both directions; other connections unaffected. */
    vqi_err e = {0};
    vqi_service *s = vqi_service_by_name("netflix", &e);
    vqi_packet p;
    int r = -1;
    f = fopen(path, "r");
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "289\t", 4))
            break;
    if (f)
        fclose(f);
    size_t len = unhex(strchr(strchr(line, '\t') + 1, '\t') + 1, bytes, sizeof bytes);
    packet(&p, VQI_PROTO_TCP, "192.168.1.7", 50123, "203.0.113.50", 443, bytes, (uint32_t)len);
    vqi_service_observe(s, &p);
    packet(&p, VQI_PROTO_TCP, "203.0.113.50", 443, "192.168.1.7", 50123, NULL, 0);
    CHECK(vqi_service_classify(s, &p, &r) == VQI_IDENT_SNI && r == 1, "server -> client: sni");
    packet(&p, VQI_PROTO_TCP, "192.168.1.7", 50123, "203.0.113.50", 443, NULL, 0);
    CHECK(vqi_service_classify(s, &p, &r) == VQI_IDENT_SNI && r == 0, "client -> server: sni");
    packet(&p, VQI_PROTO_TCP, "192.168.1.7", 50124, "203.0.113.50", 443, NULL, 0);
    CHECK_INT(vqi_service_classify(s, &p, &r), VQI_IDENT_NONE, "another connection: none");
    vqi_service_free(s);

    /* The verdict table starts small and grows: 1,500 connections' verdicts
     * are all kept; past its 4,096 slots old connections are forgotten, so
     * 20,000 leave some of the first ones unknown and the last one known. */
    for (int conns = 1500; conns <= 20000; conns += 18500) {
        s = vqi_service_by_name("netflix", &e);
        char client[32];
        for (int i = 0; i < conns; i++) {
            snprintf(client, sizeof client, "10.%d.%d.7", i / 250, i % 250);
            packet(&p, VQI_PROTO_TCP, client, 50000, "203.0.113.50", 443, bytes, (uint32_t)len);
            vqi_service_observe(s, &p);
        }
        int known = 0;
        for (int i = 0; i < conns; i++) {
            snprintf(client, sizeof client, "10.%d.%d.7", i / 250, i % 250);
            packet(&p, VQI_PROTO_TCP, "203.0.113.50", 443, client, 50000, NULL, 0);
            known += vqi_service_classify(s, &p, &r) == VQI_IDENT_SNI;
        }
        if (conns == 1500)
            CHECK_INT(known, 1500, "1,500 connections: every verdict kept");
        else
            CHECK(known > 0 && known <= 4096 && vqi_service_classify(s, &p, &r) == VQI_IDENT_SNI,
                  "20,000 connections: %d verdicts kept (at most 4,096), the last one among them",
                  known);
        vqi_service_free(s);
    }
    s = vqi_service_by_name("twitch", &e);
    packet(&p, VQI_PROTO_TCP, "192.168.1.7", 50123, "203.0.113.50", 443, bytes, (uint32_t)len);
    vqi_service_observe(s, &p);
    CHECK_INT(vqi_service_classify(s, &p, &r), VQI_IDENT_NONE, "netflix hello is not twitch");
    vqi_service_free(s);
}

/* A ClientHello over several segments (the server name in the last). */
static void test_sni_segments(void)
{
    char path[512], line[8192];
    static uint8_t hello[4096];
    const char *fix = getenv("FIX");
    snprintf(path, sizeof path, "%s/dns/clienthellos.tsv", fix ? fix : "tests/fixtures");
    FILE *f = fopen(path, "r");
    size_t len = 0;
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "15\t", 3)) {         /* ios.nccp.netflix.com, 517 bytes */
            line[strcspn(line, "\r\n")] = '\0';
            len = unhex(strrchr(line, '\t') + 1, hello, sizeof hello);
        }
    if (f)
        fclose(f);
    CHECK_INT(len, 517, "517-byte hello loaded");
    vqi_err e = {0};
    vqi_packet p;
    int r = -1;
    const uint32_t seq0 = 4000000000u;              /* wraps around 2^32 on the way */
    size_t cuts[][3] = {{60, 200, 517}, {5, 6, 517}, {300, 301, 517}, {3, 100, 517}};
    for (size_t c = 0; c < 4; c++) {
        vqi_service *s = vqi_service_by_name("netflix", &e);
        size_t at = 0;
        for (int k = 0; k < 3; k++) {
            size_t end = cuts[c][k];
            packet(&p, VQI_PROTO_TCP, "192.168.1.7", 50200, "198.51.100.9", 443, hello + at,
                   (uint32_t)(end - at));
            p.seq = seq0 + (uint32_t)at;
            vqi_service_observe(s, &p);
            if (k == 0) {                       /* a retransmission changes nothing */
                char name[256];
                vqi_service_observe(s, &p);
                int early = tls_client_hello_sni(hello, end, name, sizeof name) == 1;
                CHECK_INT(vqi_service_classify(s, &p, &r), early ? VQI_IDENT_SNI : VQI_IDENT_NONE,
                          early ? "name in the first segment: known at once" : "not yet known");
            }
            at = end;
        }
        packet(&p, VQI_PROTO_TCP, "198.51.100.9", 443, "192.168.1.7", 50200, NULL, 0);
        CHECK(vqi_service_classify(s, &p, &r) == VQI_IDENT_SNI && r == 1,
              "hello cut at %zu and %zu: sni once whole", cuts[c][0], cuts[c][1]);
        vqi_service_free(s);
    }
    /* A gap, or a segment the capture cut, abandons the hello. */
    for (int variant = 0; variant < 2; variant++) {
        vqi_service *s = vqi_service_by_name("netflix", &e);
        packet(&p, VQI_PROTO_TCP, "192.168.1.7", 50201, "198.51.100.9", 443, hello, 100);
        p.seq = 1;
        vqi_service_observe(s, &p);
        packet(&p, VQI_PROTO_TCP, "192.168.1.7", 50201, "198.51.100.9", 443, hello + 100, 417);
        p.seq = variant ? 101 : 111;
        if (variant)
            p.payload_caplen = 40;
        vqi_service_observe(s, &p);
        CHECK_INT(vqi_service_classify(s, &p, &r), VQI_IDENT_NONE,
                  variant ? "cut continuation: no verdict" : "gap: no verdict");
        vqi_service_free(s);
    }
    /* At most 32 hellos wait at once: the oldest is given up. */
    vqi_service *s = vqi_service_by_name("netflix", &e);
    for (uint16_t port = 0; port < 33; port++) {
        packet(&p, VQI_PROTO_TCP, "192.168.1.7", (uint16_t)(51000 + port), "198.51.100.9", 443,
               hello, 100);
        p.seq = 1;
        vqi_service_observe(s, &p);
    }
    int known = 0;
    for (uint16_t port = 0; port < 33; port++) {
        packet(&p, VQI_PROTO_TCP, "192.168.1.7", (uint16_t)(51000 + port), "198.51.100.9", 443,
               hello + 100, 417);
        p.seq = 101;
        vqi_service_observe(s, &p);
        known += vqi_service_classify(s, &p, &r) == VQI_IDENT_SNI;
    }
    CHECK_INT(known, 32, "33 interleaved hellos: the 32 newest complete");
    vqi_service_free(s);
}

static void test_addrset(void)
{
    addrset set = {0};
    uint8_t a[16] = {0};
    a[10] = a[11] = 0xff;
    int added = 0;
    for (uint32_t i = 0; i < 20000; i++) {
        memcpy(a + 12, &i, 4);
        added += addrset_add(&set, a) == 1;
    }
    for (uint32_t i = 0; i < 20000; i += 7) {
        memcpy(a + 12, &i, 4);
        addrset_add(&set, a);
    }
    CHECK_INT(added, 20000, "20000 distinct addresses added");
    CHECK_INT(set.n, 20000, "duplicates not added");
    int found = 0, order = 1;
    for (uint32_t i = 0; i < 20000; i++) {
        memcpy(a + 12, &i, 4);
        found += addrset_contains(&set, a);
        order &= !memcmp(set.addrs[i], a, 16);
    }
    CHECK_INT(found, 20000, "all found");
    CHECK(order, "first-seen order kept");
    uint32_t absent = 30000;
    memcpy(a + 12, &absent, 4);
    CHECK(!addrset_contains(&set, a), "absent address");
    addrset_free(&set);
    CHECK(!addrset_contains(&set, a), "empty set after free");

    /* Bounded: 2^20 addresses are learned, the next one is not. */
    added = 0;
    for (uint32_t i = 0; i <= (1u << 20); i++) {
        memcpy(a + 12, &i, 4);
        added += addrset_add(&set, a) == 1;
    }
    CHECK_INT(added, 1 << 20, "a full set learns 2^20 addresses");
    CHECK(addrset_contains(&set, a) == 0, "and not the next one");
    memcpy(a + 12, &(uint32_t){0}, 4);
    CHECK(addrset_contains(&set, a) == 1, "the first one is still known");
    addrset_free(&set);
}

int main(void)
{
    test_catalogue();
    test_chains();
    test_observe_classify();
    test_prefixes();
    test_sni();
    test_sni_segments();
    test_addrset();
    return check_done();
}
