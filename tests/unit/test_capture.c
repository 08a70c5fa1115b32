/* test_capture.c - the capture reader: pcap variants (ns magic, big-endian,
 * FCS bits, zero-length and oversized records), pcapng sections / interfaces
 * / block kinds, truncation at every byte, bad block lengths, garbage,
 * compressed input.  Expected values are computed by hand from the fixture
 * generator (tests/fixtures/capture/make_fixtures.py) and the formats' specs. */
#include "check.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "capture/capture.h"
#include "capture/capture_int.h"     /* vqi_capture_prefer_map: test both byte sources */

static char tmpdir[] = "/tmp/vqi-capture-XXXXXX";

static const char *fixdir(void)
{
    const char *f = getenv("FIX");
    return f ? f : "tests/fixtures";
}

static uint8_t *load(const char *name, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/capture/%s", fixdir(), name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    uint8_t *b = malloc(1 << 20);
    *len = fread(b, 1, 1 << 20, f);
    fclose(f);
    return b;
}

static const char *write_tmp(const char *name, const uint8_t *d, size_t n)
{
    static char path[600];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(d, 1, n, f);
        fclose(f);
    }
    return path;
}

typedef struct result {
    int opened, frames, rc;
    int64_t ts[16];
    uint32_t caplen[16], wirelen[16], linktype[16], ifindex[16];
    char warning[300], error[512];
    uint64_t sum;           /* checksum of all frame bytes */
} result;

static result read_all(const char *path)
{
    result r;
    memset(&r, 0, sizeof r);
    vqi_err e = {0};
    vqi_capture *c = vqi_capture_open(path, &e);
    if (!c) {
        snprintf(r.error, sizeof r.error, "%s", e.msg);
        r.rc = e.code;
        return r;
    }
    r.opened = 1;
    vqi_frame f;
    while ((r.rc = vqi_capture_next(c, &f, &e)) == 1) {
        if (r.frames < 16) {
            r.ts[r.frames] = f.ts_ns;
            r.caplen[r.frames] = f.caplen;
            r.wirelen[r.frames] = f.wirelen;
            r.linktype[r.frames] = f.linktype;
            r.ifindex[r.frames] = f.ifindex;
        }
        for (uint32_t i = 0; i < f.caplen; i++)
            r.sum = r.sum * 31 + f.data[i];
        r.frames++;
    }
    if (vqi_capture_warning(c))
        snprintf(r.warning, sizeof r.warning, "%s", vqi_capture_warning(c));
    vqi_capture_stats st;
    vqi_capture_get_stats(c, &st);
    if (st.frames != (uint64_t)r.frames)
        r.frames = -1;
    vqi_capture_close(c);
    return r;
}

static result read_fixture(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/capture/%s", fixdir(), name);
    return read_all(path);
}

static void test_pcap_variants(void)
{
    result r = read_fixture("synth_ns_le.pcap");
    CHECK(r.frames == 2 && r.ts[0] == 1521756789123456789LL && r.ts[1] == 1521756790000000005LL,
          "nanosecond pcap: times kept to the ns");
    r = read_fixture("synth_us_be.pcap");
    CHECK(r.frames == 3 && r.ts[0] == 1521756789123456000LL && r.ts[1] == 1521756789999999000LL &&
              r.ts[2] == 1521756791000000000LL && r.linktype[0] == VQI_LT_ETHERNET,
          "big-endian microsecond pcap");
    CHECK(r.caplen[0] == 82 && r.wirelen[0] == 82, "big-endian record lengths");
    r = read_fixture("synth_fcs_bits.pcap");
    CHECK(r.frames == 1 && r.linktype[0] == VQI_LT_ETHERNET, "FCS bits of the linktype masked");
    r = read_fixture("synth_zero_huge.pcap");
    CHECK(r.frames == 2 && r.caplen[0] == 0 && r.wirelen[0] == 60 && r.caplen[1] == 82,
          "zero-length record is a frame (%d frames)", r.frames);
    /* offset 24 (header) + 16 (empty record) + 16 + 82 = 138 */
    CHECK(r.rc == 0 && strstr(r.warning, "record 3") && strstr(r.warning, "byte 138") &&
              strstr(r.warning, "300000"),
          "oversized record ends the input with a warning: %s", r.warning);
    r = read_fixture("real_ppi_nsec.pcap");
    CHECK(r.frames == 6 && r.linktype[0] == VQI_LT_PPI, "real nanosecond pcap (PPI)");
}

static void test_pcapng_sections(void)
{
    result r = read_fixture("synth_sections.pcapng");
    CHECK_INT(r.frames, 5, "pcapng: EPB, EPB, SPB, PB, EPB; custom/NRB/unknown skipped");
    CHECK(r.ts[0] == 1600000000250000000LL, "EPB time in µs (default if_tsresol)");
    CHECK(r.ts[1] == 1600000100500000000LL, "if_tsresol 2^-10 and if_tsoffset 100 s");
    CHECK(r.ts[2] == r.ts[1], "SPB takes the last time seen");
    CHECK(r.ts[3] == 1600000002000000000LL, "obsolete packet block time");
    CHECK(r.ts[4] == 1600000003000007000LL, "big-endian second section");
    CHECK(r.linktype[0] == VQI_LT_ETHERNET && r.linktype[1] == VQI_LT_RAW &&
              r.linktype[2] == VQI_LT_ETHERNET && r.linktype[4] == VQI_LT_RAW,
          "link type per interface");
    CHECK(r.ifindex[0] == 0 && r.ifindex[1] == 1 && r.ifindex[2] == 0 && r.ifindex[4] == 0,
          "interface numbers restart with each section");
    CHECK(r.caplen[2] == 60 && r.wirelen[2] == 60, "SPB data trimmed to its wire length");
    CHECK(r.warning[0] == 0 && r.rc == 0, "clean end: no warning");
    r = read_fixture("synth_links.pcapng");
    CHECK(r.frames == 30 && r.ts[0] == 1600000000000000000LL, "8 interfaces, 30 frames");
    r = read_fixture("real_eth_dns.pcapng");
    CHECK(r.frames == 1 && r.warning[0] == 0, "real pcapng");
}

/* Where records (pcap) or blocks (pcapng) end, and which are packets, by
 * walking the length fields (pcapng: byte order of each section). */
static int record_ends(const uint8_t *d, size_t n, int pcapng, size_t *ends, int *packet,
                       int max)
{
    size_t off = pcapng ? 0 : 24;
    int k = 0, be = 0;
    while (off + 8 <= n && k < max) {
        const uint8_t *h = d + off;
        if (pcapng && h[0] == 0x0A && h[1] == 0x0D && h[2] == 0x0D && h[3] == 0x0A)
            be = h[8] == 0x1A;                  /* byte-order magic 1A2B3C4D as stored */
        uint32_t type = be ? (uint32_t)h[0] << 24 | h[1] << 16 | h[2] << 8 | h[3]
                           : (uint32_t)h[3] << 24 | h[2] << 16 | h[1] << 8 | h[0];
        const uint8_t *l = h + (pcapng ? 4 : 8);
        uint32_t len = be ? (uint32_t)l[0] << 24 | l[1] << 16 | l[2] << 8 | l[3]
                          : (uint32_t)l[3] << 24 | l[2] << 16 | l[1] << 8 | l[0];
        off += pcapng ? len : 16 + len;
        packet[k] = !pcapng || type == 2 || type == 3 || type == 6;
        ends[k++] = off;
    }
    return k;
}

static void test_truncation(const char *name, int pcapng)
{
    size_t n;
    uint8_t *d = load(name, &n);
    CHECK(d != NULL, "load %s", name);
    if (!d)
        return;
    size_t ends[256];
    int packet[256];
    int k = record_ends(d, n, pcapng, ends, packet, 256);
    size_t header = pcapng ? ends[0] : 24;     /* shorter: not a capture, an error */
    int wrong = 0;
    for (size_t cut = 0; cut <= n; cut++) {
        result r = read_all(write_tmp("cut", d, cut));
        if (cut < header) {
            wrong += r.opened || r.rc != VQI_EXIT_USAGE;
            continue;
        }
        int complete = 0, boundary = cut == header;
        for (int i = 0; i < k; i++) {
            if (ends[i] <= cut)
                complete += packet[i];
            boundary |= ends[i] == cut;
        }
        if (!r.opened || r.frames != complete || (r.warning[0] != 0) == boundary) {
            if (wrong < 3)
                printf("# %s cut at %zu: %d frames (want %d), warning '%s'\n", name, cut,
                       r.frames, complete, r.warning);
            wrong++;
        }
    }
    CHECK(wrong == 0, "%s cut at each of %zu lengths: complete records kept, warning iff damaged",
          name, n + 1);
    free(d);
}

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }

static void test_bad_blocks(void)
{
    size_t n;
    uint8_t *d = load("synth_sections.pcapng", &n);
    if (!d) {
        CHECK(0, "load synth_sections.pcapng");
        return;
    }
    size_t ends[64];
    int packet[64];
    record_ends(d, n, 1, ends, packet, 64);
    /* block 4 (after SHB, IDB, IDB) is the first EPB; block 5 the custom block */
    size_t epb1 = ends[2], custom = ends[3];
    uint8_t *m = malloc(n);
    struct { const char *what; size_t at; uint32_t value; int frames; const char *warn; } cases[] = {
        {"length not a multiple of 4", custom + 4, 30, 1, "bad length 30"},
        {"length below 12", custom + 4, 8, 1, "bad length 8"},
        {"length beyond the bound", custom + 4, 0x7FFFFFF0u, 1, "bad length"},
        {"length beyond the file", custom + 4, 0x00100000u, 1, "truncated block 5"},
        {"trailing length differs", custom + 20, 28, 1, "trailing length 28"},
        {"EPB caplen beyond its block", epb1 + 20, 200, 0, "captured length exceeds the block"},
        {"EPB of an undeclared interface", epb1 + 8, 7, 0, "undeclared interface"},
        {"EPB caplen over 256 KiB", epb1 + 20, 300000, 0, "captured length exceeds"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        memcpy(m, d, n);
        put32(m + cases[i].at, cases[i].value);
        result r = read_all(write_tmp("bad.pcapng", m, n));
        CHECK(r.opened && r.rc == 0 && r.frames == cases[i].frames &&
                  strstr(r.warning, cases[i].warn) && strstr(r.warning, "byte"),
              "pcapng %s: %d frames kept, warning '%s'", cases[i].what, r.frames, r.warning);
    }
    /* a section header without its byte-order magic, first or later */
    memcpy(m, d, n);
    put32(m + 8, 0x11223344);
    result r = read_all(write_tmp("bad.pcapng", m, n));
    CHECK(!r.opened && r.rc == VQI_EXIT_USAGE && strstr(r.error, "not a pcap or pcapng"),
          "first section header without byte-order magic: %s", r.error);
    free(m);
    free(d);
}

/* Random mutations (bytes set to 0x00 / 0xFF / random, length words made
 * huge) of two fixtures: every run must end cleanly (frames, then 0 or an
 * error), never fault - the sanitizer build checks the reads. */
static void test_mutations(const char *name)
{
    size_t n;
    uint8_t *d = load(name, &n);
    if (!d) {
        CHECK(0, "load %s", name);
        return;
    }
    uint8_t *m = malloc(n);
    uint32_t seed = 2024;
    int ended = 0;
    for (int round = 0; round < 1500; round++) {
        memcpy(m, d, n);
        for (int k = 0; k < 1 + round % 4; k++) {
            seed = seed * 1103515245u + 12345u;
            size_t at = (seed >> 8) % n;
            seed = seed * 1103515245u + 12345u;
            uint8_t v = (uint8_t)(seed >> 16);
            m[at] = round % 3 == 0 ? 0xFF : round % 3 == 1 ? 0x00 : v;
        }
        vqi_capture_prefer_map = round % 2;
        result r = read_all(write_tmp("mut", m, n));
        ended += r.rc == 0 || r.rc == VQI_EXIT_USAGE || r.rc == -1;
    }
    vqi_capture_prefer_map = 0;
    CHECK(ended == 1500, "%s: 1500 mutated copies read to a clean end", name);
    free(m);
    free(d);
}

static void test_not_captures(void)
{
    const char *text = "timestamp,length\n1,2\n";
    result r = read_all(write_tmp("text.csv", (const uint8_t *)text, strlen(text)));
    CHECK(!r.opened && r.rc == VQI_EXIT_USAGE && strstr(r.error, "not a pcap or pcapng capture"),
          "CSV text: %s", r.error);
    r = read_all(write_tmp("empty", (const uint8_t *)"", 0));
    CHECK(!r.opened && r.rc == VQI_EXIT_USAGE && strstr(r.error, "not a pcap or pcapng"),
          "empty file: %s", r.error);
    r = read_all("/nonexistent/x.pcap");
    CHECK(!r.opened && r.rc == VQI_EXIT_USAGE && strstr(r.error, "cannot open"),
          "missing file: %s", r.error);
}

static void test_compressed(void)
{
    struct { const char *packed, *plain; } pairs[] = {
        {"compressed.pcap.gz", "real_eth_dns_tcp.pcap"},
        {"compressed.pcapng.xz", "synth_sections.pcapng"},
        {"compressed.pcap.bz2", "real_eth_dns_udp.pcap"}};
    for (size_t i = 0; i < 3; i++) {
        result a = read_fixture(pairs[i].packed), b = read_fixture(pairs[i].plain);
        CHECK(a.frames > 0 && a.frames == b.frames && a.sum == b.sum && a.ts[0] == b.ts[0] &&
                  !a.warning[0],
              "%s: same %d frames as the plain file", pairs[i].packed, a.frames);
    }
}

static vqi_capture *live_cap;
static void on_alarm(int sig)
{
    (void)sig;
    vqi_capture_break(live_cap);        /* never hang if the datagram is not seen */
}

/* Live capture: a bad interface and a bad filter are errors; on the
 * loopback interface (needs CAP_NET_RAW, else skipped) a datagram sent to
 * 127.0.0.1 is captured, and vqi_capture_break() ends the capture. */
static void test_live(void)
{
    vqi_err e = {0};
    vqi_capture *c = vqi_capture_open_live("vqi-no-such-if0", NULL, 0, 0, &e);
    CHECK(!c && e.msg[0], "unknown interface: %s", e.msg);
    vqi_capture_close(c);
    e.msg[0] = 0;
    c = vqi_capture_open_live("lo", "udp port 9 and", 0, 0, &e);
    if (!c && !strstr(e.msg, "filter")) {
        printf("ok - live capture on lo skipped: %s\n", e.msg);
        return;
    }
    CHECK(!c && strstr(e.msg, "bad filter"), "bad BPF filter: %s", e.msg);
    vqi_capture_close(c);
    c = vqi_capture_open_live("lo", "udp and dst port 39999", 0, 0, &e);
    CHECK(c != NULL, "open lo with a filter: %s", c ? "" : e.msg);
    if (!c)
        return;
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in to = {0};
    to.sin_family = AF_INET;
    to.sin_port = htons(39999);
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sendto(s, "vqi-live", 8, 0, (struct sockaddr *)&to, sizeof to);
    close(s);
    vqi_frame f;
    live_cap = c;
    signal(SIGALRM, on_alarm);
    alarm(10);
    int r = vqi_capture_next(c, &f, &e);
    alarm(0);
    CHECK(r == 1 && f.caplen >= 8 && memcmp(f.data + f.caplen - 8, "vqi-live", 8) == 0,
          "datagram captured on lo (linktype %u)", r == 1 ? f.linktype : 0);
    vqi_capture_stats st;
    vqi_capture_get_stats(c, &st);
    CHECK(st.frames == 1, "live stats count the frame");
    vqi_capture_break(c);
    CHECK(vqi_capture_next(c, &f, &e) == 0, "break ends the live capture");
    vqi_capture_close(c);
}

int main(void)
{
    if (!mkdtemp(tmpdir)) {
        CHECK(0, "mkdtemp");
        return check_done();
    }
    test_pcapng_sections();
    for (int map = 0; map <= 1; map++) {
        vqi_capture_prefer_map = map;
        printf("# byte source: %s\n", map ? "mapping" : "read(2)");
        test_pcap_variants();
        test_truncation("real_eth_dns_tcp.pcap", 0);
        test_truncation("synth_sections.pcapng", 1);
        test_bad_blocks();
    }
    vqi_capture_prefer_map = 0;
    test_live();
    test_mutations("synth_sections.pcapng");
    test_mutations("real_eth_dns_tcp.pcap");
    test_not_captures();
    test_compressed();
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    if (system(cmd) != 0)
        printf("# could not remove %s\n", tmpdir);
    return check_done();
}
