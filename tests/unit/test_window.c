/* test_window.c - the window stage on hand-made packet sequences whose
 * requests, segments, inter-arrival times and TCP facts are known by
 * construction (expected values computed by hand in the comments). */
#include "check.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "window/window.h"
#include "window/window_int.h"

#define S(x) ((int64_t)((x) * 1e9 + 0.5))      /* seconds -> ns */
#define T0 1000.0                              /* epoch seconds of the first packet */

static const char *CLIENT = "10.0.0.1", *SERVER = "1.2.3.4";

static vqi_packet pkt(double t, int up, uint8_t proto, uint32_t payload)
{
    vqi_packet p;
    memset(&p, 0, sizeof p);
    p.ts_ns = S(T0 + t);
    p.ipver = 4;
    p.proto = proto;
    p.has_ports = 1;
    vqi_addr_parse(up ? CLIENT : SERVER, p.src);
    vqi_addr_parse(up ? SERVER : CLIENT, p.dst);
    p.sport = up ? 5000 : 443;
    p.dport = up ? 443 : 5000;
    p.payload_len = payload;
    p.l4_len = payload + (proto == VQI_PROTO_TCP ? 20 : 8);
    p.ip_len = p.l4_len + 20;
    p.wirelen = p.ip_len + 14;
    p.caplen = 54;
    p.tcp_flags = proto == VQI_PROTO_TCP ? VQI_TCP_ACK : 0;
    p.wscale = -1;
    return p;
}

/* ------------------------------------------------------------ segments -- */

static void test_segdet(void)
{
    vqi_segdet d = {0};
    vqi_segment seg;
    int m;
    /* downstream data before any request belongs to no segment */
    CHECK_INT(vqi_segdet_packet(&d, 0, VQI_PROTO_TCP, 900, S(0.0), 0, 100, &seg), 0,
              "data before a request: nothing");
    CHECK_INT(vqi_segdet_packet(&d, 1, VQI_PROTO_TCP, 0, S(0.01), 0, 100, &seg), 0,
              "upstream TCP without payload is no request");
    m = vqi_segdet_packet(&d, 1, VQI_PROTO_TCP, 120, S(0.1), 0, 100, &seg);
    CHECK_INT(m, VQI_SEG_REQUEST, "first request opens a segment, closes nothing");
    vqi_segdet_packet(&d, 0, VQI_PROTO_TCP, 1000, S(0.2), 0, 100, &seg);
    vqi_segdet_packet(&d, 0, VQI_PROTO_TCP, 0, S(0.25), 0, 100, &seg);   /* pure ACK */
    m = vqi_segdet_packet(&d, 0, VQI_PROTO_TCP, 500, S(0.3), 0, 100, &seg);
    CHECK_INT(m, VQI_SEG_DATA, "downstream payload adds to the open segment");
    m = vqi_segdet_packet(&d, 1, VQI_PROTO_TCP, 80, S(0.5), 0, 100, &seg);
    CHECK_INT(m, VQI_SEG_REQUEST | VQI_SEG_CLOSED, "next request closes the segment");
    CHECK_INT(seg.bytes, 1500, "segment = downstream payload between requests");
    CHECK_INT(seg.start_ns, S(0.1), "segment start = request time");
    CHECK_INT(seg.end_ns, S(0.3), "segment end = last downstream data packet");
    /* a request without data is replaced by the next one */
    m = vqi_segdet_packet(&d, 1, VQI_PROTO_TCP, 80, S(0.6), 0, 100, &seg);
    CHECK_INT(m, VQI_SEG_REQUEST, "request after a request without data: no zero-byte segment");
    vqi_segdet_packet(&d, 0, VQI_PROTO_TCP, 700, S(0.7), 0, 100, &seg);
    m = vqi_segdet_packet(&d, 1, VQI_PROTO_TCP, 80, S(0.8), 0, 100, &seg);
    CHECK(m & VQI_SEG_CLOSED, "replaced request: segment closes at the next request");
    CHECK_INT(seg.bytes, 700, "replaced request: size");
    CHECK_INT(seg.start_ns, S(0.6), "replaced request: start is the replacing request");

    /* UDP: payload > 100 (default) is a request; thresholds are options */
    vqi_segdet u = {0};
    CHECK_INT(vqi_segdet_packet(&u, 1, VQI_PROTO_UDP, 100, S(0), 0, 100, &seg), 0,
              "UDP payload 100 is not a request");
    CHECK_INT(vqi_segdet_packet(&u, 1, VQI_PROTO_UDP, 101, S(0), 0, 100, &seg), VQI_SEG_REQUEST,
              "UDP payload 101 is a request");
    CHECK_INT(vqi_segdet_packet(&u, 1, VQI_PROTO_UDP, 140, S(0), 0, 150, &seg), 0,
              "UDP threshold 150 (Iris): 140 is not a request");
    CHECK_INT(vqi_segdet_packet(&u, 1, VQI_PROTO_TCP, 40, S(0), 50, 100, &seg), 0,
              "TCP threshold 50: payload 40 is not a request");
}

/* ---------------------------------------------------------------- TCP -- */

static vqi_packet tcp(double t, int up, uint32_t seq, uint32_t ack, uint32_t len,
                      uint8_t flags, uint16_t window)
{
    vqi_packet p = pkt(t, up, VQI_PROTO_TCP, len);
    p.seq = seq;
    p.ack = ack;
    p.tcp_flags = flags;
    p.window = window;
    return p;
}

static void test_tcp(void)
{
    vqi_tcpflow f;
    vqi_tcp_sample s;
    vqi_tcpflow_init(&f);
    vqi_packet p = tcp(0.000, 1, 1000, 0, 0, VQI_TCP_SYN, 64240);
    p.wscale = 7;
    vqi_tcpflow_packet(&f, 1, &p, &s);
    CHECK_NEAR(s.rwnd, 64240, 0, "SYN window is never scaled");
    CHECK(!s.has_bif && !s.has_iat, "SYN: no bytes in flight, no IAT yet");
    p = tcp(0.010, 0, 5000, 1001, 0, VQI_TCP_SYN | VQI_TCP_ACK, 65535);
    p.wscale = 8;
    vqi_tcpflow_packet(&f, 0, &p, &s);
    p = tcp(0.020, 1, 1001, 5001, 0, VQI_TCP_ACK, 502);
    vqi_tcpflow_packet(&f, 1, &p, &s);
    CHECK_NEAR(s.rwnd, 502 << 7, 0, "rwnd scaled by the client's window scale (502 << 7)");
    CHECK_NEAR(s.iat_ms, 20.0, 1e-9, "IAT of the direction in ms (0 -> 20 ms)");
    /* client data 1001..1101: in flight 100 (server acked 1001) */
    p = tcp(0.030, 1, 1001, 5001, 100, VQI_TCP_ACK | VQI_TCP_PSH, 502);
    vqi_tcpflow_packet(&f, 1, &p, &s);
    CHECK(s.has_bif, "bytes in flight known once the peer acknowledged");
    CHECK_NEAR(s.bytes_in_flight, 100, 0, "bytes in flight = 1101 - 1001");
    CHECK_INT(s.retx_prior, 0, "new data: retransmit count 0");
    p = tcp(0.080, 0, 5001, 1101, 0, VQI_TCP_ACK, 100);
    vqi_tcpflow_packet(&f, 0, &p, &s);
    CHECK_INT(s.n_rtt, 1, "ACK covering the data gives one RTT sample");
    CHECK_NEAR(s.rtt_us[0], 50000, 1e-6, "RTT = 80 ms - 30 ms = 50000 us");
    CHECK_NEAR(s.rwnd, 100 << 8, 0, "server rwnd scaled by 2^8");
    /* Karn: data sent twice gives no sample */
    p = tcp(0.100, 1, 1101, 5001, 50, VQI_TCP_ACK, 502);
    vqi_tcpflow_packet(&f, 1, &p, &s);
    p = tcp(0.150, 1, 1101, 5001, 50, VQI_TCP_ACK, 502);
    vqi_tcpflow_packet(&f, 1, &p, &s);
    CHECK_INT(s.retx_prior, 1, "same seq+len again: a retransmission (seen once before)");
    p = tcp(0.200, 0, 5001, 1151, 0, VQI_TCP_ACK, 100);
    vqi_tcpflow_packet(&f, 0, &p, &s);
    CHECK_INT(s.n_rtt, 0, "Karn: retransmitted data gives no RTT sample");
    /* server data 5001..6001, 7001..8001, then the hole 6001..7001 */
    p = tcp(0.210, 0, 5001, 1151, 1000, VQI_TCP_ACK, 100);
    vqi_tcpflow_packet(&f, 0, &p, &s);
    CHECK_NEAR(s.bytes_in_flight, 1000, 0, "server in flight: 6001 - 5001");
    p = tcp(0.220, 0, 7001, 1151, 1000, VQI_TCP_ACK, 100);
    vqi_tcpflow_packet(&f, 0, &p, &s);
    CHECK(!s.is_ooo && s.retx_prior == 0, "data beyond a hole is new");
    p = tcp(0.230, 0, 6001, 1151, 1000, VQI_TCP_ACK, 100);
    vqi_tcpflow_packet(&f, 0, &p, &s);
    CHECK(s.is_ooo && s.retx_prior == 0, "hole filled later: out of order, not a retransmission");
    CHECK_NEAR(s.iat_ms, 10.0, 1e-9, "server IAT 220 -> 230 ms");
    CHECK_NEAR(s.bytes_in_flight, 3000, 0, "server in flight: 8001 - 5001");
    /* sequence numbers wrap */
    vqi_tcpflow_init(&f);
    p = tcp(0, 0, 0, 0xFFFFFF00u, 0, VQI_TCP_ACK, 10);
    vqi_tcpflow_packet(&f, 0, &p, &s);
    p = tcp(0.01, 1, 0xFFFFFF00u, 0, 0x200, VQI_TCP_ACK, 10);
    vqi_tcpflow_packet(&f, 1, &p, &s);
    CHECK_NEAR(s.bytes_in_flight, 0x200, 0, "bytes in flight across the 2^32 wrap");
}

/* ------------------------------------------------------------- stream -- */

#define MAXROWS 16
typedef struct rows {
    size_t n;
    double v[MAXROWS][VQI_WINDOW_COURSE_COLUMNS + 2];
    char session[MAXROWS][33];
    char ewma[MAXROWS][512];
} rows;

static int keep_row(void *ctx, const vqi_window_row *r)
{
    rows *rs = ctx;
    if (rs->n >= MAXROWS)
        return 1;
    for (size_t i = 0; i < VQI_WINDOW_COURSE_COLUMNS + 2; i++)
        rs->v[rs->n][i] = vqi_window_row_value(r, i);
    snprintf(rs->session[rs->n], 33, "%s", vqi_window_row_session(r));
    vqi_window_row_text(r, 0, rs->ewma[rs->n], sizeof rs->ewma[rs->n]);
    rs->n++;
    return 0;
}

static long col(const char *name)
{
    for (size_t i = 0; i < VQI_WINDOW_COURSE_COLUMNS + 2; i++)
        if (!strcmp(vqi_window_col_name(i), name))
            return (long)i;
    printf("not ok - no column %s\n", name);
    return 0;
}

#define V(row, name) (rs->v[row][col(name)])

static int feed(vqi_windows *w, vqi_packet p)
{
    vqi_err err;
    return vqi_windows_feed(w, &p, VQI_IDENT_DNS, p.src[15] == 4, &err);
}

/* A request (200 B) and one downstream data packet per segment. */
static void request(vqi_windows *w, double t, uint32_t seq)
{
    vqi_packet p = pkt(t, 1, VQI_PROTO_TCP, 200);
    p.seq = seq;
    p.tcp_flags |= VQI_TCP_PSH;
    feed(w, p);
}

static void data(vqi_windows *w, double t, uint32_t bytes)
{
    feed(w, pkt(t, 0, VQI_PROTO_TCP, bytes));
}

static void test_stream(void)
{
    static rows rsbuf;
    rows *rs = &rsbuf;
    vqi_window_config cfg;
    vqi_window_config_default(&cfg);
    cfg.service = "netflix";
    cfg.extra_columns = 1;
    cfg.resolution = 480;
    vqi_err err;
    vqi_windows *w = vqi_windows_new(&cfg, keep_row, rs, &err);
    CHECK(w != NULL, "stream created");
    /* window 0: requests at 0, 0.5, ..., 6.0 s (13); segment i = (i+1)*1000 B
     * ends 0.1 s after its request, for i = 0..12 */
    for (int i = 0; i <= 12; i++) {
        request(w, 0.5 * i, 1000u + 200u * (uint32_t)i);
        data(w, 0.5 * i + 0.1, i < 12 ? (uint32_t)(i + 1) * 1000 : 5000);
    }
    /* a non-service packet of someone else: only capture_* counts it */
    vqi_packet other = pkt(7.0, 1, VQI_PROTO_UDP, 58);
    vqi_addr_parse("10.9.9.9", other.src);
    CHECK_INT(vqi_windows_feed(w, &other, VQI_IDENT_NONE, 0, &err), 0, "non-service packet fed");
    CHECK_INT(rs->n, 0, "no row before the window closes");
    /* window 1: one request at 12.0 closes the 5000-B segment (ended 6.1 s) */
    request(w, 12.0, 9000);
    CHECK_INT(rs->n, 1, "window 0 emitted as soon as a packet passes its end");
    /* window 2: nothing; window 3: requests at 35.0 and 36.0, data 2000 at 35.1 */
    request(w, 35.0, 9200);
    data(w, 35.1, 2000);
    request(w, 36.0, 9400);
    CHECK_INT(rs->n, 3, "window 1 and the empty window 2 emitted once traffic resumed");
    vqi_windows_flush(w, &err);
    CHECK_INT(rs->n, 4, "flush emits the last window");

    /* -- window 0 -- */
    CHECK_NEAR(V(0, "relative_timestamp"), 10, 0, "w0 relative_timestamp");
    CHECK_NEAR(V(0, "absolute_timestamp"), T0 + 10, 1e-6, "w0 absolute_timestamp");
    CHECK_INT(V(0, "n_chunks_up"), 13, "w0 requests");
    CHECK_INT(V(0, "n_chunks_down"), 12, "w0 completed segments (the 13th is open)");
    CHECK_INT(V(0, "n_prev_up_chunk"), 12, "w0 n_prev_up = 13 - 1");
    CHECK_INT(V(0, "n_prev_down_chunk"), 11, "w0 n_prev_down = 12 - 1");
    CHECK_INT(V(0, "up_down_ratio"), 1, "w0 pending requests");
    CHECK_INT(V(0, "cumsum_chunksizes"), 78000, "w0 cumsum = 1000+...+12000");
    CHECK_INT(V(0, "cumsum_diff"), 0, "w0 cumsum_diff is 0 in the first window");
    /* last 10 = 3000..12000 */
    CHECK_NEAR(V(0, "10_avg_chunksize"), 7500, 1e-9, "w0 10_avg");
    CHECK_INT(V(0, "10_min_chunksize"), 3000, "w0 10_min (the first two left the last ten)");
    CHECK_INT(V(0, "10_max_chunksize"), 12000, "w0 10_max");
    CHECK_NEAR(V(0, "10_chunksizes_50"), 7500, 1e-9, "w0 10_p50");
    CHECK_NEAR(V(0, "10_chunksizes_75"), 9750, 1e-9, "w0 10_p75 = 3000 + 6.75*1000");
    CHECK_NEAR(V(0, "10_chunksizes_85"), 10650, 1e-9, "w0 10_p85 = 3000 + 7.65*1000");
    CHECK_NEAR(V(0, "10_chunksizes_90"), 11100, 1e-9, "w0 10_p90 = 3000 + 8.1*1000");
    CHECK_NEAR(V(0, "10_std_chunksize"), 1000 * sqrt(99.0 / 12), 1e-6, "w0 10_std (population)");
    CHECK_NEAR(V(0, "allprev_avg_chunksize"), 6500, 1e-9, "w0 allprev_avg");
    CHECK_NEAR(V(0, "allprev_chunksizes_75"), 9250, 1e-9, "w0 allprev_p75 = 1000 + 8.25*1000");
    CHECK_NEAR(V(0, "allprev_chunksizes_90"), 10900, 1e-9, "w0 allprev_p90");
    CHECK_NEAR(V(0, "allprev_std_chunksize"), 1000 * sqrt(143.0 / 12), 1e-6, "w0 allprev_std");
    CHECK_INT(V(0, "allprev_min_chunksize"), 1000, "w0 allprev_min");
    CHECK_NEAR(V(0, "up_chunk_iat_avg"), 500, 1e-9, "w0 request IATs are 500 ms");
    CHECK_INT(V(0, "up_chunk_iat_max"), 500, "w0 request IAT max (ms)");
    CHECK_NEAR(V(0, "down_chunk_iat_avg"), 500, 1e-9, "w0 segment-end IATs are 500 ms");
    CHECK_NEAR(V(0, "10_chunksizes_50R"), V(0, "10_chunksizes_50"), 0, "R twin equals its column");
    CHECK_NEAR(V(0, "up_chunk_iat_90R"), V(0, "up_chunk_iat_90"), 0, "R twin (IAT) equals its column");
    CHECK_INT(V(0, "userPacketCount"), 13, "w0 user packets");
    CHECK_INT(V(0, "serverPacketCount"), 13, "w0 server packets");
    CHECK_INT(V(0, "userByteCount"), 13 * 200, "w0 user bytes = TCP payload");
    CHECK_INT(V(0, "serverByteCount"), 78000 + 5000, "w0 server bytes = TCP payload");
    CHECK_INT(V(0, "capture_packets"), 27, "w0 capture_packets counts every frame");
    CHECK_INT(V(0, "capture_bytes"), 13 * 254 + 13 * 54 + 78000 + 5000 + 100, "w0 capture_bytes (wire lengths)");
    CHECK_NEAR(V(0, "total_throughput_up"), 13 * 240 * 8 / 1000.0 / 10, 1e-9, "w0 total up kbit/s (IP lengths)");
    CHECK_NEAR(V(0, "service_non_video_throughput_up"), 240 * 8 / 1000.0 / 10, 1e-9,
               "w0 the flow's first request precedes its first segment data: non-video");
    CHECK_INT(V(0, "parallel_flows"), 1, "w0 one flow");
    CHECK_NEAR(V(0, "avg_flow_age"), 10, 1e-9, "w0 flow age at window end (s)");
    CHECK_NEAR(V(0, "resolution"), 480, 0, "constant resolution label");
    CHECK_NEAR(V(0, "is_tcp"), 1, 0, "TCP window");
    CHECK_INT(V(0, "userPshFlags"), 13, "w0 user PSH flags");
    CHECK_INT(V(0, "serverAckFlags"), 13, "w0 server ACK flags");
    CHECK(isnan(V(0, "bitrate")), "columns a capture cannot give are empty");
    CHECK_STR(rs->ewma[0] + strlen(rs->ewma[0]) - 1, "]", "EWMA text ends with ']'");

    /* -- window 1 -- */
    CHECK_INT(V(1, "n_chunks_up"), 1, "w1 one request");
    CHECK_INT(V(1, "n_chunks_down"), 1, "w1 the open segment of window 0 completes here");
    CHECK_INT(V(1, "n_prev_up_chunk"), 13, "w1 n_prev_up");
    CHECK_INT(V(1, "n_prev_down_chunk"), 12, "w1 n_prev_down");
    CHECK_INT(V(1, "cumsum_diff"), 5000, "w1 cumsum_diff");
    CHECK_INT(V(1, "up_chunk_iat_min"), 6000, "w1 request IAT 6.0 -> 12.0 s = 6000 ms");
    CHECK_INT(V(1, "down_chunk_iat_max"), 500, "w1 segment-end IAT 5.6 -> 6.1 s = 500 ms");
    CHECK_INT(V(1, "10_min_chunksize"), 4000, "w1 last ten = 4000..12000, 5000");
    CHECK_NEAR(V(1, "10_avg_chunksize"), (72000.0 + 5000) / 10, 1e-9, "w1 10_avg = (4000+...+12000 + 5000)/10");
    CHECK_NEAR(V(1, "allprev_avg_chunksize"), 83000.0 / 13, 1e-9, "w1 allprev_avg");
    CHECK_NEAR(V(1, "all_prev_up_chunk_iat_avg"), 12000.0 / 13, 1e-9, "w1 all_prev_up IAT avg (12 x 500 + 6000)/13");
    CHECK_STR(rs->session[0], rs->session[1], "same session id across windows");
    /* pandas: pd.Series([4000., 5000., ..., 12000., 5000.]).ewm(span=10, adjust=False).mean()
     * .values.reshape(-1, 1), printed with str() */
    const char *want = "[[4000.        ]\n [4181.81818182]\n [4512.39669421]\n [4964.68820436]\n"
                       " [5516.56307629]\n [6149.91524424]\n [6849.93065438]\n [7604.48871722]\n"
                       " [8403.67258681]\n [7784.82302558]]";
    double last10[10], e[10];
    for (int i = 0; i < 9; i++)
        last10[i] = (i + 4) * 1000.0;
    last10[9] = 5000;
    vqi_ewma(last10, 10, 10, e);
    CHECK_NEAR(e[9], 7784.823025575759, 1e-9, "EWMA last value = pandas ewm(span=10, adjust=False)");
    CHECK_STR(rs->ewma[1], want, "w1 10_EWMA_chunksizes text (numpy str of a (10,1) array)");

    /* -- window 2: empty, inside the session -- */
    CHECK_NEAR(V(2, "relative_timestamp"), 30, 0, "w2 relative_timestamp");
    CHECK_INT(V(2, "n_chunks_up"), 0, "w2 no requests");
    CHECK_INT(V(2, "userPacketCount"), 0, "w2 no packets");
    CHECK_INT(V(2, "n_prev_up_chunk"), 13, "w2 n_prev unchanged");
    CHECK_INT(V(2, "cumsum_diff"), 0, "w2 cumsum_diff 0");
    CHECK_INT(V(2, "parallel_flows"), 0, "w2 no active flow");
    CHECK(isnan(V(2, "avg_flow_age")), "w2 avg_flow_age empty without flows");
    CHECK_NEAR(V(2, "is_tcp"), 0, 0, "w2 is_tcp false without traffic");

    /* -- window 3 -- */
    CHECK_INT(V(3, "n_chunks_up"), 2, "w3 two requests");
    CHECK_INT(V(3, "n_chunks_down"), 1, "w3 one segment");
    CHECK_INT(V(3, "up_down_ratio"), 15 - 13, "w3 pending = 15 - 13");
    CHECK_INT(V(3, "up_chunk_iat_max"), 23000, "w3 request IAT 12.0 -> 35.0 s");
    CHECK_INT(V(3, "up_chunk_iat_min"), 1000, "w3 request IAT 35.0 -> 36.0 s");
    CHECK_NEAR(V(3, "up_chunk_iat_50"), 12000, 1e-9, "w3 median of {1000, 23000}");
    CHECK_INT(V(3, "down_chunk_iat_min"), 29000, "w3 segment-end IAT 6.1 -> 35.1 s");
    CHECK_NEAR(V(3, "userIdleTime"), 0, 0, "w3 user idle: one gap of 1.0 s is not > 1 s");
    vqi_windows_free(w);
}

static void test_idle_and_start(void)
{
    static rows rsbuf;
    rows *rs = &rsbuf;
    vqi_window_config cfg;
    vqi_window_config_default(&cfg);
    cfg.service = "youtube";
    cfg.has_start = 1;
    cfg.start_ns = S(T0 - 3);     /* windows start 3 s before the first packet */
    cfg.extra_columns = 1;
    vqi_err err;
    vqi_windows *w = vqi_windows_new(&cfg, keep_row, rs, &err);
    vqi_packet early = pkt(-4, 0, VQI_PROTO_UDP, 500);    /* before --start: ignored */
    vqi_windows_feed(w, &early, VQI_IDENT_NONE, 0, &err);
    vqi_packet dns = pkt(-2, 0, VQI_PROTO_UDP, 100);      /* counted in capture_* only */
    vqi_windows_feed(w, &dns, VQI_IDENT_NONE, 0, &err);
    feed(w, pkt(0, 1, VQI_PROTO_UDP, 300));              /* QUIC request */
    feed(w, pkt(0.5, 0, VQI_PROTO_UDP, 1200));
    feed(w, pkt(5, 1, VQI_PROTO_UDP, 300));              /* closes a 1200-B segment */
    /* silence of 100 s > idle gap 60 s: a new session */
    feed(w, pkt(105, 1, VQI_PROTO_UDP, 300));
    vqi_windows_flush(w, &err);
    CHECK_INT(rs->n, 2, "idle gap: trailing empty windows dropped, two sessions of one window");
    CHECK_NEAR(V(0, "relative_timestamp"), 10, 0, "aligned: window 0 ends 10 s after --start");
    CHECK_NEAR(V(0, "absolute_timestamp"), T0 + 7, 1e-6, "aligned: absolute end = start + 10");
    CHECK_INT(V(0, "capture_packets"), 4, "capture_packets from --start (the earlier packet is out)");
    CHECK_INT(V(0, "capture_bytes"), 128 + 328 + 1228 + 328 + 14 * 4, "capture_bytes from --start");
    CHECK_INT(V(0, "n_chunks_down"), 1, "QUIC segment closed");
    CHECK_INT(V(0, "serverMaxBytesPerPacket"), 0, "UDP window: TCP columns 0");
    CHECK_NEAR(V(0, "is_tcp"), 0, 0, "UDP window: is_tcp false");
    CHECK(strcmp(rs->session[0], rs->session[1]) != 0, "a new session after the idle gap has a new id");
    CHECK_NEAR(V(1, "relative_timestamp"), 10, 0, "second session: window 0 on the --start grid");
    CHECK_NEAR(V(1, "absolute_timestamp"), T0 + 107, 1e-6, "second session ends on the grid");
    CHECK_INT(strlen(rs->session[0]), 32, "session id: 32 hex digits");
    CHECK_STR(rs->ewma[1], "[]", "no segment yet: 10_EWMA_chunksizes is an empty array");
    CHECK_INT(V(1, "n_prev_up_chunk"), 0, "new session: counts start again");
    vqi_windows_free(w);
}

/* Many clients: hash lookups, window-end heap, slot reuse after idle ends. */
typedef struct many {
    size_t n;
    char session[1000][33];
    double rel[1000], server_bytes[1000], cumsum[1000];
} many;

static int keep_many(void *ctx, const vqi_window_row *r)
{
    many *m = ctx;
    if (m->n >= 1000)
        return 1;
    snprintf(m->session[m->n], 33, "%s", vqi_window_row_session(r));
    m->rel[m->n] = vqi_window_row_value(r, (size_t)col("relative_timestamp"));
    m->server_bytes[m->n] = vqi_window_row_value(r, (size_t)col("serverByteCount"));
    m->cumsum[m->n] = vqi_window_row_value(r, (size_t)col("cumsum_chunksizes"));
    m->n++;
    return 0;
}

static vqi_packet client_pkt(int i, double t, int up, uint32_t payload)
{
    vqi_packet p = pkt(t, up, VQI_PROTO_TCP, payload);
    char a[32];
    snprintf(a, sizeof a, "10.1.%d.%d", i / 200, i % 200);
    vqi_addr_parse(a, up ? p.src : p.dst);
    return p;
}

static void test_many_clients(void)
{
    static many m;
    vqi_window_config cfg;
    vqi_window_config_default(&cfg);
    vqi_err err;
    vqi_windows *w = vqi_windows_new(&cfg, keep_many, &m, &err);
    enum { N = 300 };
    for (int i = 0; i < N; i++) {          /* client i: request, 1000+i bytes */
        vqi_packet p = client_pkt(i, i * 0.01, 1, 100);
        vqi_windows_feed(w, &p, VQI_IDENT_PREFIX, 0, &err);
        p = client_pkt(i, i * 0.01 + 0.005, 0, 1000u + (uint32_t)i);
        vqi_windows_feed(w, &p, VQI_IDENT_PREFIX, 1, &err);
    }
    for (int i = 0; i < N; i++) {          /* 20 s later: the request closing it */
        vqi_packet p = client_pkt(i, 20 + i * 0.01, 1, 100);
        vqi_windows_feed(w, &p, VQI_IDENT_PREFIX, 0, &err);
    }
    /* 200 s of silence, then clients 0 and 299 again: new sessions */
    vqi_packet p = client_pkt(0, 300, 1, 100);
    vqi_windows_feed(w, &p, VQI_IDENT_PREFIX, 0, &err);
    p = client_pkt(N - 1, 300.5, 1, 100);
    vqi_windows_feed(w, &p, VQI_IDENT_PREFIX, 0, &err);
    vqi_windows_flush(w, &err);
    CHECK_INT(m.n, 3 * N + 2, "300 sessions x 3 windows (one empty inside) + 2 new sessions");
    int ok = 1;
    for (size_t r = 0; r < m.n && ok; r++) {
        if (m.rel[r] != 10 || r >= 3 * N)
            continue;
        int i = (int)m.server_bytes[r] - 1000, found = 0;
        for (size_t q = 0; q < m.n; q++)
            if (!strcmp(m.session[q], m.session[r]) && m.rel[q] == 30)
                found = 1, ok &= m.cumsum[q] == 1000 + i;
        ok &= found;
    }
    CHECK(ok, "each client's segment completes in its own session (window 3 cumsum = its bytes)");
    CHECK(strcmp(m.session[m.n - 1], m.session[m.n - 2]) != 0, "the two new sessions differ");
    vqi_windows_free(w);
}

/* ------------------------------------------------------------- labels -- */

static void test_labels(void)
{
    const char *fix = getenv("FIX");
    char path[1024];
    snprintf(path, sizeof path, "%s/window/mini_merged.txt", fix ? fix : "tests/fixtures");
    vqi_err err;
    vqi_labels *l = vqi_labels_read(path, &err);
    CHECK(l != NULL, "mini player log read (%s)", l ? "ok" : err.msg);
    if (!l)
        return;
    CHECK_INT(vqi_labels_start_ms(l), 1521746167781LL, "StartMs");
    CHECK_INT(vqi_labels_count(l), 20, "20 intervals");
    const vqi_label_interval *iv = vqi_labels_interval(l, 1);
    CHECK_INT(iv->rel_ms, 100, "interval 1 ends at 0.1 s");
    CHECK_INT(iv->bytes_sent, 4401, "interval 1 bytes sent");
    CHECK_INT(iv->bytes_received, 38103, "interval 1 bytes received");
    iv = vqi_labels_interval(l, 3);
    CHECK_INT(iv->rel_ms, 300, "0.30000000000000004 s rounds to 300 ms");
    int64_t s = vqi_labels_start_ms(l);
    CHECK_INT(vqi_labels_resolution(l, s, s + 1000), 720, "first second: hd720 (6 of 10 labelled)");
    CHECK_INT(vqi_labels_resolution(l, s + 1000, s + 2000), 1080, "second second: 1080 (5) beats 480 (3)");
    CHECK_INT(vqi_labels_resolution(l, s + 5000, s + 6000), 0, "no interval: unlabelled");
    CHECK_INT(vqi_labels_resolution(l, s, s + 200), 0, "unlabelled intervals only");
    vqi_labels_free(l);

    snprintf(path, sizeof path, "%s/window/bad_merged.txt", fix ? fix : "tests/fixtures");
    l = vqi_labels_read(path, &err);
    CHECK(l == NULL && err.code == VQI_EXIT_USAGE, "malformed player log refused (%s)", err.msg);
    vqi_labels_free(l);
}

/* ---------------------------------------------------------------- CSV -- */

static void test_columns(void)
{
    vqi_window_config cfg;
    vqi_window_config_default(&cfg);
    CHECK_INT(vqi_window_ncols(&cfg), 251, "251 course columns");
    cfg.extra_columns = 1;
    CHECK_INT(vqi_window_ncols(&cfg), 253, "253 with the capture_* columns");
    CHECK_STR(vqi_window_col_name(0), "10_EWMA_chunksizes", "first column");
    CHECK_STR(vqi_window_col_name(250), "startup_mc", "last course column");
    CHECK_STR(vqi_window_col_dtype(10), "int64", "10_max_chunksize is int64");
    CHECK_STR(vqi_window_col_name(252), "capture_bytes", "extra column");
    char id1[33], id2[33];
    uint8_t a[16] = {0};
    vqi_session_id(a, "netflix", 1, id1);
    vqi_session_id(a, "netflix", 2, id2);
    CHECK(strcmp(id1, id2) != 0, "session ids differ by first-packet time");
    vqi_session_id(a, "netflix", 1, id2);
    CHECK_STR(id1, id2, "session id is stable");
}

/* The table built for `vqi predict` holds the same cells as the CSV. */
typedef struct both {
    vqi_table *t;
    const vqi_window_config *cfg;
    size_t rows, mismatches, cells;
    char first_bad[256];
} both;

static int table_and_text(void *ctx, const vqi_window_row *r)
{
    both *b = ctx;
    vqi_err err;
    if (vqi_window_table_add(b->t, b->cfg, r, &err) < 0)
        return 1;
    static char want[4096], got[4096];
    for (size_t i = 0; i < b->t->ncols; i++) {
        vqi_window_row_text(r, i, want, sizeof want);
        vqi_cell_text(&b->t->cols[i], b->rows, got, sizeof got);
        b->cells++;
        if (strcmp(want, got) != 0 && b->mismatches++ == 0)
            snprintf(b->first_bad, sizeof b->first_bad, "%s: '%.80s' vs '%.80s'",
                     b->t->cols[i].name, want, got);
    }
    b->rows++;
    return 0;
}

static void test_table(void)
{
    const char *fix = getenv("FIX");
    char path[1024];
    snprintf(path, sizeof path, "%s/../../data/samples/requet_A_exp46.pcap.xz",
             fix ? fix : "tests/fixtures");
    vqi_err err;
    vqi_service *svc = vqi_service_by_name("youtube", &err);
    vqi_window_config cfg;
    vqi_window_config_default(&cfg);
    cfg.service = "youtube";
    cfg.resolution = 720;
    both b = {vqi_table_new(), &cfg, 0, 0, 0, ""};
    vqi_windows *w = vqi_windows_new(&cfg, table_and_text, &b, &err);
    int rc = vqi_windows_feed_capture(w, path, svc, &err);
    CHECK(rc == 0, "sample capture fed (%s)", rc ? err.msg : "ok");
    CHECK_INT(b.t->ncols, 251, "table: 251 columns");
    CHECK_INT(b.t->nrows, b.rows, "table: one row per window");
    CHECK(b.rows > 0 && b.mismatches == 0, "table cells print as the CSV cells (%zu cells; %s)",
          b.cells, b.first_bad[0] ? b.first_bad : "all equal");
    long c = vqi_table_find(b.t, "10_EWMA_chunksizes");
    CHECK(c >= 0 && b.t->cols[c].type == VQI_COL_ARRAY, "EWMA column is an array column");
    c = vqi_table_find(b.t, "bitrate");
    CHECK(c >= 0 && vqi_cell_is_na(&b.t->cols[c], 0), "empty cells are missing in the table");
    vqi_windows_free(w);
    vqi_table_free(b.t);
    vqi_service_free(svc);

    /* the one-call version used by `vqi predict` */
    svc = vqi_service_by_name("youtube", &err);
    vqi_table *t = vqi_windows_table_from_capture(path, svc, &cfg, &err);
    CHECK(t && t->nrows == b.rows, "vqi_windows_table_from_capture: same rows");
    vqi_table_free(t);
    t = vqi_windows_table_from_capture("/nonexistent.pcap", svc, &cfg, &err);
    CHECK(t == NULL && err.msg[0], "unreadable capture: NULL + message (%s)", err.msg);
    vqi_service_free(svc);
}

int main(void)
{
    test_segdet();
    test_tcp();
    test_stream();
    test_idle_and_start();
    test_many_clients();
    test_labels();
    test_columns();
    test_table();
    return check_done();
}
