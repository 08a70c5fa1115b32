/* test_decode.c - the decoder against tshark: every frame of every capture
 * listed in tests/fixtures/capture/index.txt (real captures of each link
 * type plus hand-made ones, see make_fixtures.py) is decoded and compared
 * field by field with the tshark output committed beside it (NAME.tsv);
 * plus hand-computed cases (address text, hostile headers). */
#include "check.h"
#include "testutil.h"

#include <inttypes.h>
#include <stdlib.h>

#include "capture/capture.h"
#include "decode/decode.h"

static const char *fixdir(void)
{
    const char *f = getenv("FIX");
    return f ? f : "tests/fixtures";
}

enum { C_TIME, C_LEN, C_SRC, C_DST, C_SPORT, C_DPORT, C_IPLEN, C_TTL, C_SEQ, C_ACK, C_FLAGS,
       C_WIN, C_WSCALE, C_TCPLEN, C_UDPLEN, C_DNSID, C_IFINDEX, C_N };

/* Deliberate differences (differences.txt: "capture frame field" lines). */
static char diffs[64][256];
static int n_diffs;

static void load_differences(void)
{
    char path[512], ln[256];
    snprintf(path, sizeof path, "%s/capture/differences.txt", fixdir());
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    while (n_diffs < 64 && fgets(ln, sizeof ln, f)) {
        ln[strcspn(ln, "\r\n")] = 0;
        if (ln[0] && ln[0] != '#')
            snprintf(diffs[n_diffs++], sizeof diffs[0], "%s", ln);
    }
    fclose(f);
}

static int deliberate(const char *cap, int frame, const char *what)
{
    char key[160];
    snprintf(key, sizeof key, "%s %d %s", cap, frame, what);
    for (int i = 0; i < n_diffs; i++)
        if (strcmp(diffs[i], key) == 0)
            return 1;
    return 0;
}

/* Compare one field; count and print only mismatches (the captures have
 * hundreds of fields), so a summary CHECK per capture reports the total. */
static int field(const char *cap, int frame, const char *what, const char *got, const char *want)
{
    if (strcmp(got, want) == 0 || deliberate(cap, frame, what))
        return 0;
    printf("# %s frame %d %s: got '%s', want '%s'\n", cap, frame, what, got, want);
    return 1;
}

static void u2s(char *b, long long v, int present)
{
    if (present)
        snprintf(b, 32, "%lld", v);
    else
        b[0] = 0;
}

static void compare_capture(const char *name)
{
    char path[512], tsv[600];
    snprintf(path, sizeof path, "%s/capture/%s", fixdir(), name);
    snprintf(tsv, sizeof tsv, "%s.tsv", path);
    FILE *t = fopen(tsv, "r");
    vqi_err e = {0};
    vqi_capture *c = vqi_capture_open(path, &e);
    CHECK(c && t, "%s: open capture and oracle (%s)", name, c ? "tsv missing" : e.msg);
    if (!c || !t) {
        if (t)
            fclose(t);
        vqi_capture_close(c);
        return;
    }
    char line[4096], *col[C_N + 2];
    vqi_frame f;
    vqi_packet p;
    int frames = 0, bad = 0, rows = 0;
    int64_t last_ts = 0;
    while (vqi_capture_next(c, &f, &e) == 1) {
        frames++;
        if (!fgets(line, sizeof line, t))
            continue;
        rows++;
        if (split_tabs(line, col, C_N + 1) < C_N) {
            bad++;
            continue;
        }
        int ip = vqi_decode(&f, &p);
        char got[64], a[VQI_ADDR_STRLEN];
        const char *ts = col[C_TIME];
        char want_ts[40];
        if (!*ts) {      /* SPB: no time in the file; the reader repeats the last one */
            snprintf(want_ts, sizeof want_ts, "%" PRId64 ".%09" PRId64, last_ts / 1000000000,
                     last_ts % 1000000000);
            ts = want_ts;
        }
        snprintf(got, sizeof got, "%" PRId64 ".%09" PRId64, p.ts_ns / 1000000000,
                 p.ts_ns % 1000000000);
        last_ts = p.ts_ns;
        bad += field(name, frames, "time", got, ts);
        u2s(got, p.wirelen, 1);
        bad += field(name, frames, "length", got, col[C_LEN]);
        bad += field(name, frames, "src", ip ? vqi_addr_format(p.src, a) : "", col[C_SRC]);
        bad += field(name, frames, "dst", ip ? vqi_addr_format(p.dst, a) : "", col[C_DST]);
        u2s(got, p.sport, p.has_ports);
        bad += field(name, frames, "sport", got, col[C_SPORT]);
        u2s(got, p.dport, p.has_ports);
        bad += field(name, frames, "dport", got, col[C_DPORT]);
        if (*col[C_IPLEN]) {
            u2s(got, p.ip_len, ip);
            bad += field(name, frames, "ip_len", got, col[C_IPLEN]);
        }
        u2s(got, p.ttl, ip);
        bad += field(name, frames, "ttl", got, col[C_TTL]);
        int tcp = p.has_ports && p.proto == VQI_PROTO_TCP;
        u2s(got, p.seq, tcp);
        bad += field(name, frames, "seq", got, col[C_SEQ]);
        u2s(got, p.ack, tcp && *col[C_ACK]);
        bad += field(name, frames, "ack", got, col[C_ACK]);
        if (tcp) {
            snprintf(got, sizeof got, "0x%04x", p.tcp_flags);   /* NS (0x100) is not kept */
            bad += field(name, frames, "flags", got, col[C_FLAGS]);
        }
        u2s(got, p.window, tcp);
        bad += field(name, frames, "window", got, col[C_WIN]);
        u2s(got, p.wscale, tcp && p.wscale >= 0);
        bad += field(name, frames, "wscale", got, col[C_WSCALE]);
        u2s(got, p.payload_len, tcp);
        bad += field(name, frames, "tcp payload", got, col[C_TCPLEN]);
        if (p.has_ports && p.proto == VQI_PROTO_UDP && !p.fragment) {
            u2s(got, p.payload_len + 8, 1);
            bad += field(name, frames, "udp length", got, col[C_UDPLEN]);
        }
        u2s(got, f.ifindex, 1);
        bad += field(name, frames, "ifindex", got, col[C_IFINDEX]);
    }
    int extra = fgets(line, sizeof line, t) != NULL;
    CHECK(!extra && rows == frames, "%s: %d frames as tshark", name, frames);
    CHECK(bad == 0, "%s: every field as tshark (%d differ)", name, bad);
    fclose(t);
    vqi_capture_close(c);
}

static void test_oracle(void)
{
    char path[512], name[256];
    snprintf(path, sizeof path, "%s/capture/index.txt", fixdir());
    FILE *idx = fopen(path, "r");
    CHECK(idx != NULL, "fixture index %s", path);
    if (!idx)
        return;
    while (fgets(name, sizeof name, idx)) {
        name[strcspn(name, "\r\n")] = 0;
        if (*name)
            compare_capture(name);
    }
    fclose(idx);
}

static void test_addr(void)
{
    /* RFC 5952 section 4 by hand: longest zero run, first on ties, never a
     * single group, lower case; IPv4 as a dotted quad. */
    static const char *cases[][2] = {
        {"2001:DB8:0:0:0:0:0:1", "2001:db8::1"}, {"::", "::"}, {"::1", "::1"},
        {"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"}, {"2001:0:0:1:0:0:0:1", "2001:0:0:1::1"},
        {"1:0:2:3:4:5:6:7", "1:0:2:3:4:5:6:7"}, {"fe80::", "fe80::"},
        {"2001:db8:0000:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"}, {"192.0.2.1", "192.0.2.1"},
        {"::ffff:10.1.2.3", "10.1.2.3"}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        uint8_t a[16];
        char b[VQI_ADDR_STRLEN];
        CHECK(vqi_addr_parse(cases[i][0], a) == 0, "parse %s", cases[i][0]);
        CHECK_STR(vqi_addr_format(a, b), cases[i][1], cases[i][0]);
    }
    uint8_t a[16];
    CHECK(vqi_addr_parse("10.0.0.256", a) == -1, "rejects 10.0.0.256");
    CHECK(vqi_addr_parse("1::2::3", a) == -1, "rejects 1::2::3");
    CHECK(vqi_addr_parse("", a) == -1, "rejects empty text");
    vqi_addr_parse("10.0.0.1", a);
    CHECK(vqi_addr_is_v4(a), "10.0.0.1 is v4-mapped");
}

static vqi_frame raw_frame(const uint8_t *d, uint32_t caplen, uint32_t wirelen)
{
    vqi_frame f = {0, caplen, wirelen, VQI_LT_RAW, 0, d};
    return f;
}

/* IPv4 + TCP header, 20 bytes each; total length and data offset given. */
static size_t ip4_tcp(uint8_t *b, uint16_t total, uint8_t doff)
{
    memset(b, 0, 40);
    b[0] = 0x45;
    b[2] = (uint8_t)(total >> 8);
    b[3] = (uint8_t)total;
    b[8] = 64;
    b[9] = 6;
    b[12] = 10, b[15] = 1, b[16] = 10, b[19] = 2;
    b[20] = 0x01, b[21] = 0xBB, b[22] = 0xC0, b[23] = 0x00;     /* 443 > 49152 */
    b[32] = (uint8_t)(doff << 4);
    b[33] = VQI_TCP_ACK;
    return 40;
}

static void test_hostile(void)
{
    uint8_t b[2048];
    vqi_packet p;
    vqi_frame f;

    /* A Requet-style record: 72 bytes captured of 1392 (Ethernet 14 + 58 here). */
    ip4_tcp(b, 1378, 8);
    f = raw_frame(b, 58, 1378);
    CHECK(vqi_decode(&f, &p) == 1 && p.ip_len == 1378 && p.payload_len == 1378 - 20 - 32,
          "cut record: sizes from the headers (ip_len %u, payload %u)", p.ip_len, p.payload_len);
    CHECK(p.payload_caplen == 6, "cut record: captured payload bytes %u", p.payload_caplen);

    /* total length beyond the frame: clamped to the wire length */
    ip4_tcp(b, 60000, 5);
    f = raw_frame(b, 40, 100);
    vqi_decode(&f, &p);
    CHECK_INT(p.ip_len, 100, "ip length clamped to the wire");

    /* data offset past the segment: ports kept, no payload */
    ip4_tcp(b, 40, 15);
    f = raw_frame(b, 40, 40);
    CHECK(vqi_decode(&f, &p) == 1 && p.has_ports && p.sport == 443 && p.payload_len == 0 &&
              !p.payload, "bogus data offset: ports, no payload");

    /* SYN whose option list ends in a zero-length option (would loop forever) */
    ip4_tcp(b, 48, 7);
    b[33] = VQI_TCP_SYN;
    b[40] = 1, b[41] = 3, b[42] = 0, b[43] = 0;     /* NOP, wscale with length 0 */
    f = raw_frame(b, 48, 48);
    vqi_decode(&f, &p);
    CHECK_INT(p.wscale, -1, "zero-length option stops the walk");
    b[41] = 3, b[42] = 3, b[43] = 20;              /* wscale 20 is clamped to 14 (RFC 7323) */
    vqi_decode(&f, &p);
    CHECK_INT(p.wscale, 14, "window scale clamped to 14");

    /* IPv6 with 20 destination-options headers: the walk is bounded */
    memset(b, 0, sizeof b);
    b[0] = 0x60;
    b[4] = 0, b[5] = 20 * 8;
    b[6] = 60;
    for (int i = 0; i < 20; i++)
        b[40 + 8 * i] = i < 19 ? 60 : 6;
    f = raw_frame(b, 40 + 160, 40 + 160);
    CHECK(vqi_decode(&f, &p) == 1 && p.ipver == 6 && !p.has_ports && p.proto == 60,
          "20 extension headers: stops after the bound (proto %u)", p.proto);

    /* Six nested IP-in-IP headers: followed down to the depth bound only */
    memset(b, 0, sizeof b);
    for (int i = 0; i < 6; i++) {
        uint8_t *h = b + 20 * i;
        h[0] = 0x45;
        h[2] = 0, h[3] = (uint8_t)(20 * (6 - i) + 8);
        h[9] = i < 5 ? 4 : 17;
        h[12] = 10, h[15] = (uint8_t)i;
    }
    f = raw_frame(b, 128, 128);
    CHECK(vqi_decode(&f, &p) == 1 && p.tunneled && p.src[15] == 4 && p.proto == 4,
          "nested tunnels stop at depth 4 (src .%u)", p.src[15]);

    /* Every prefix of every fixture-like frame, and random bytes under every
     * link type: no read outside the captured bytes (ASan builds check). */
    uint32_t lts[] = {VQI_LT_ETHERNET, VQI_LT_RAW, VQI_LT_NULL, VQI_LT_LOOP, VQI_LT_PPP,
                      VQI_LT_PPP_HDLC, VQI_LT_PPP_ETHER, VQI_LT_LINUX_SLL, VQI_LT_LINUX_SLL2,
                      VQI_LT_IPV4, VQI_LT_IPV6, VQI_LT_PPI, 999};
    uint32_t seed = 12345;
    int decoded = 0;
    for (int round = 0; round < 20000; round++) {
        uint32_t n = 0;
        for (int i = 0; i < 200; i++) {
            seed = seed * 1103515245u + 12345u;
            b[i] = (uint8_t)(seed >> 16);
        }
        seed = seed * 1103515245u + 12345u;
        n = (seed >> 16) % 200;
        /* bias the first bytes towards plausible headers */
        if (round % 2) {
            b[0] = (round % 4) == 1 ? 0x45 : 0x60;
            b[12] = 0x08, b[13] = 0x00;
        }
        uint8_t *copy = malloc(n ? n : 1);
        memcpy(copy, b, n);
        vqi_frame rf = {0, n, (seed >> 8) % 3000, lts[round % 13], 0, copy};
        decoded += vqi_decode(&rf, &p);
        free(copy);
    }
    CHECK(decoded > 0, "20000 random frames decoded without a fault (%d with IP)", decoded);
}

int main(void)
{
    test_addr();
    test_hostile();
    load_differences();
    test_oracle();
    return check_done();
}
