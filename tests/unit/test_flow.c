/* test_flow.c - flow table, flow statistics and netml features on packets
 * built by hand, whose flows, directions and inter-arrival times are known by
 * construction. */
#include "check.h"

#include <stdlib.h>

#include "flow/flow.h"

/* A TCP/UDP packet between v4 hosts 10.0.0.a:sp -> 10.0.0.b:dp at t seconds. */
static vqi_packet pkt(double t, int a, int sp, int b, int dp, int proto, uint8_t flags,
                      uint32_t wirelen)
{
    vqi_packet p;
    memset(&p, 0, sizeof p);
    p.ts_ns = (int64_t)(t * 1e9 + 0.5);
    p.wirelen = p.caplen = wirelen;
    p.ipver = 4;
    p.proto = (uint8_t)proto;
    p.has_ports = 1;
    p.src[10] = p.src[11] = 0xff;
    p.dst[10] = p.dst[11] = 0xff;
    p.src[12] = 10; p.src[15] = (uint8_t)a;
    p.dst[12] = 10; p.dst[15] = (uint8_t)b;
    p.sport = (uint16_t)sp;
    p.dport = (uint16_t)dp;
    p.tcp_flags = flags;
    p.ip_len = wirelen > 14 ? wirelen - 14 : 0;
    return p;
}

typedef struct evictions {
    int n;
    uint64_t ids[64];
    vqi_flow_end why[64];
    uint64_t user_sum[64];
} evictions;

static void on_evict(void *ctx, vqi_flow_table *t, uint32_t slot, vqi_flow_end why)
{
    evictions *e = ctx;
    if (e->n < 64) {
        e->ids[e->n] = vqi_flow_info_of(t, slot)->id;
        e->why[e->n] = why;
        e->user_sum[e->n] = *(uint64_t *)vqi_flow_user(t, slot);
        e->n++;
    }
}

static void test_table_basic(void)
{
    evictions ev = {0};
    vqi_flow_config cfg = {.user_size = 24, .on_evict = on_evict, .ctx = &ev};
    vqi_err err = {0};
    vqi_flow_table *t = vqi_flow_table_new(&cfg, &err);
    CHECK(t != NULL, "table created");
    vqi_flow_hit h;
    /* Flow A: TCP 1:1000 -> 2:443, handshake. */
    vqi_packet p = pkt(0.0, 1, 1000, 2, 443, 6, VQI_TCP_SYN, 74);
    CHECK_INT(vqi_flow_track(t, &p, &h), 1, "SYN tracked");
    uint32_t slot_a = h.slot;
    CHECK(h.dir == 0 && h.is_new, "SYN starts flow, dir 0");
    *(uint64_t *)vqi_flow_user(t, h.slot) += 74;
    p = pkt(0.1, 2, 443, 1, 1000, 6, VQI_TCP_SYN | VQI_TCP_ACK, 74);
    vqi_flow_track(t, &p, &h);
    CHECK(h.slot == slot_a && h.dir == 1 && !h.is_new, "SYN+ACK same flow, dir 1");
    *(uint64_t *)vqi_flow_user(t, h.slot) += 74;
    /* Flow B: first packet seen is a SYN+ACK from 3:80 to 4:5000: client is 4. */
    p = pkt(0.2, 3, 80, 4, 5000, 6, VQI_TCP_SYN | VQI_TCP_ACK, 60);
    vqi_flow_track(t, &p, &h);
    CHECK(h.slot != slot_a && h.is_new && h.dir == 1, "SYN+ACK first: dir 1 (server->client)");
    const vqi_flow_info *fi = vqi_flow_info_of(t, h.slot);
    CHECK_INT(fi->client[15], 4, "client of SYN+ACK-first flow is its destination");
    CHECK_INT(fi->client_port, 5000, "client port");
    CHECK_INT(fi->server_port, 80, "server port");
    /* Flow C: UDP mid-stream, first packet's source is the client. */
    p = pkt(0.3, 5, 443, 6, 50000, 17, 0, 1000);
    vqi_flow_track(t, &p, &h);
    CHECK(h.is_new && h.dir == 0, "UDP first packet: dir 0");
    CHECK_INT(vqi_flow_info_of(t, h.slot)->client[15], 5, "UDP client = first source");
    /* Same ports, different protocol: a different flow. */
    p = pkt(0.35, 5, 443, 6, 50000, 6, VQI_TCP_ACK, 60);
    vqi_flow_track(t, &p, &h);
    CHECK(h.is_new, "protocol is part of the key");
    CHECK_INT(vqi_flow_table_count(t), 4, "four live flows");
    /* Non-IP packet is ignored. */
    p.ipver = 0;
    CHECK_INT(vqi_flow_track(t, &p, &h), 0, "non-IP ignored");
    vqi_flow_table_flush(t);
    CHECK_INT(ev.n, 4, "flush evicts all");
    CHECK(ev.ids[0] == 0 && ev.ids[1] == 1 && ev.ids[2] == 2 && ev.ids[3] == 3,
          "flush in creation order");
    CHECK_INT(ev.user_sum[0], 148, "user payload kept per flow");
    CHECK(ev.why[0] == VQI_FLOW_END_FLUSH, "flush reason");
    CHECK_INT(vqi_flow_table_count(t), 0, "empty after flush");
    vqi_flow_table_free(t);
}

static void test_table_idle_full_reuse(void)
{
    evictions ev = {0};
    vqi_flow_config cfg = {.user_size = 8, .max_flows = 3, .idle_timeout_ns = 10000000000LL,
                           .on_evict = on_evict, .ctx = &ev};
    vqi_err err = {0};
    vqi_flow_table *t = vqi_flow_table_new(&cfg, &err);
    vqi_flow_hit h;
    vqi_packet p;
    p = pkt(0, 1, 1, 2, 2, 17, 0, 100); vqi_flow_track(t, &p, &h);    /* id 0 */
    p = pkt(1, 1, 3, 2, 4, 17, 0, 100); vqi_flow_track(t, &p, &h);    /* id 1 */
    p = pkt(2, 1, 5, 2, 6, 17, 0, 100); vqi_flow_track(t, &p, &h);    /* id 2 */
    p = pkt(3, 2, 2, 1, 1, 17, 0, 100); vqi_flow_track(t, &p, &h);    /* id 0 again */
    CHECK(!h.is_new && h.dir == 1, "reply joins flow 0");
    p = pkt(4, 1, 7, 2, 8, 17, 0, 100); vqi_flow_track(t, &p, &h);    /* id 3: full */
    CHECK_INT(ev.n, 1, "table full evicts one");
    CHECK_INT(ev.ids[0], 1, "least recently seen flow evicted (id 1)");
    CHECK(ev.why[0] == VQI_FLOW_END_FULL, "reason full");
    /* 10.5 s after flow 2's last packet (t=2) but only 9.5 after flow 0 (t=3). */
    p = pkt(12.5, 1, 7, 2, 8, 17, 0, 100); vqi_flow_track(t, &p, &h);
    CHECK_INT(ev.n, 2, "one idle flow evicted");
    CHECK(ev.ids[1] == 2 && ev.why[1] == VQI_FLOW_END_IDLE, "flow 2 idle-evicted");
    vqi_flow_table_expire(t, 13.5e9);
    CHECK(ev.n == 3 && ev.ids[2] == 0, "expire evicts flow 0 at 13.5 s");
    /* TCP port reuse: SYN after FIN starts a new flow. */
    p = pkt(20, 1, 9, 2, 80, 6, VQI_TCP_SYN, 60); vqi_flow_track(t, &p, &h);
    uint64_t first = vqi_flow_info_of(t, h.slot)->id;
    p = pkt(21, 1, 9, 2, 80, 6, VQI_TCP_FIN | VQI_TCP_ACK, 60); vqi_flow_track(t, &p, &h);
    CHECK(vqi_flow_info_of(t, h.slot)->id == first, "FIN same flow");
    p = pkt(22, 1, 9, 2, 80, 6, VQI_TCP_SYN, 60); vqi_flow_track(t, &p, &h);
    CHECK(h.is_new && vqi_flow_info_of(t, h.slot)->id != first, "SYN after FIN: new flow");
    CHECK(ev.why[ev.n - 1] == VQI_FLOW_END_REUSE, "reason reuse");
    vqi_flow_table_free(t);
}

static void test_table_unidirectional(void)
{
    vqi_flow_config cfg = {.unidirectional = 1};
    vqi_err err = {0};
    vqi_flow_table *t = vqi_flow_table_new(&cfg, &err);
    vqi_flow_hit h1, h2;
    vqi_packet p = pkt(0, 1, 1000, 2, 53, 17, 0, 80);
    vqi_flow_track(t, &p, &h1);
    p = pkt(1, 2, 53, 1, 1000, 17, 0, 120);
    vqi_flow_track(t, &p, &h2);
    CHECK(h2.is_new && h2.slot != h1.slot && h2.dir == 0, "reply is its own flow");
    vqi_flow_table_free(t);
}

/* Many flows through a small table with churn: every lookup must find its flow. */
static void test_table_churn(void)
{
    vqi_flow_config cfg = {.user_size = 8, .max_flows = 500};
    vqi_err err = {0};
    vqi_flow_table *t = vqi_flow_table_new(&cfg, &err);
    int bad = 0;
    for (int round = 0; round < 20; round++)
        for (int i = 0; i < 1000; i++) {
            vqi_flow_hit h;
            vqi_packet p = pkt(round * 1000 + i, 1, 1024 + i, 2, 443, 6, VQI_TCP_ACK, 60);
            vqi_flow_track(t, &p, &h);
            uint64_t *u = vqi_flow_user(t, h.slot);
            if (h.is_new)
                *u = (uint64_t)i;
            else if (*u != (uint64_t)i)
                bad++;
            /* Immediately ask again in the reverse direction. */
            vqi_packet r = pkt(round * 1000 + i + 0.5, 2, 443, 1, 1024 + i, 6, VQI_TCP_ACK, 60);
            vqi_flow_hit h2;
            vqi_flow_track(t, &r, &h2);
            if (h2.slot != h.slot || h2.dir != 1 || h2.is_new)
                bad++;
        }
    CHECK_INT(bad, 0, "lookups consistent under churn");
    CHECK_INT(vqi_flow_table_count(t), 500, "bounded by max_flows");
    vqi_flow_table_free(t);
}

/* One flow of 4 packets: t = 0, 0.5, 1.5, 3.5 s, sizes 100..400, plus the
 * reply direction; statistics computed by hand. */
static void test_stats(void)
{
    vqi_flow_stats st;
    vqi_flow_stats_init(&st, 1);
    double t[] = {0, 0.5, 1.5, 3.5};
    vqi_flow_info info;
    memset(&info, 0, sizeof info);
    for (int i = 0; i < 4; i++) {
        vqi_packet p = i % 2 ? pkt(t[i], 2, 443, 1, 1000, 6, VQI_TCP_ACK | VQI_TCP_PSH, 100 * (i + 1))
                             : pkt(t[i], 1, 1000, 2, 443, 6, VQI_TCP_ACK, 100 * (i + 1));
        p.payload_len = 10;
        vqi_flow_stats_add(&st, &p, i % 2, i == 2 ? 2 : 0);
        info.packets[i % 2]++;
    }
    info.first_ns = 0;
    info.last_ns = 3500000000LL;
    vqi_flow_summary s;
    vqi_flow_stats_summary(&st, &info, VQI_FLOW_END_FLUSH, &s);
    CHECK_INT(s.packets, 4, "packets");
    CHECK_INT(s.bytes, 1000, "wire bytes");
    CHECK_INT(s.dir_bytes[0], 400, "client->server bytes (100+300)");
    CHECK_INT(s.dir_bytes[1], 600, "server->client bytes (200+400)");
    CHECK_INT(s.dir_payload[0], 20, "payload bytes");
    CHECK_NEAR(s.duration, 3.5, 1e-12, "duration");
    CHECK_NEAR(s.iat_mean, 3.5 / 3, 1e-12, "IAT mean");
    /* np.std([0.5, 1, 2]) = 0.6236095644623235 */
    CHECK_NEAR(s.iat_std, 0.6236095644623235, 1e-12, "IAT std (burstiness)");
    CHECK_NEAR(s.iat_min, 0.5, 1e-12, "IAT min");
    CHECK_NEAR(s.iat_max, 2.0, 1e-12, "IAT max");
    CHECK_NEAR(s.iat_pct[1], 1.0, 1e-12, "IAT median");
    CHECK_NEAR(s.iat_pct[3], 1.8, 1e-12, "IAT p90 (numpy linear)");
    CHECK_NEAR(s.size_mean, 250, 1e-12, "size mean");
    CHECK_NEAR(s.size_std, 111.80339887498948, 1e-9, "size std");
    CHECK_NEAR(s.size_pct[0], 175, 1e-12, "size p25");
    CHECK_INT(s.flag_counts[4], 4, "ACK count");
    CHECK_INT(s.flag_counts[3], 2, "PSH count");
    CHECK_INT(s.ident, 2, "first identification kept");
    CHECK(s.exact_percentiles, "percentiles exact for a short flow");
    CHECK_NEAR(vqi_ns_to_seconds(1518358400123456789LL), 1518358400.123456789, 1e-6,
               "ns to seconds");
    CHECK(vqi_ns_to_seconds(1500000000100000000LL) == 1500000000.1, "correct rounding");
}

/* Long flow: the reservoir stays bounded, mean/std stay exact. */
static void test_stats_reservoir(void)
{
    vqi_flow_stats st;
    vqi_flow_stats_init(&st, 7);
    vqi_flow_info info;
    memset(&info, 0, sizeof info);
    for (int i = 0; i < 1000; i++) {
        vqi_packet p = pkt(i * 0.01, 1, 1, 2, 2, 17, 0, (uint32_t)(100 + i % 10));
        vqi_flow_stats_add(&st, &p, 0, 0);
        info.packets[0]++;
    }
    info.last_ns = 9990000000LL;
    vqi_flow_summary s;
    vqi_flow_stats_summary(&st, &info, VQI_FLOW_END_FLUSH, &s);
    CHECK_NEAR(s.size_mean, 104.5, 1e-9, "long flow: exact mean");
    CHECK_NEAR(s.size_std, 2.8722813232690143, 1e-9, "long flow: exact std");
    CHECK(!s.exact_percentiles, "long flow: percentiles marked estimated");
    CHECK(s.size_pct[1] >= 100 && s.size_pct[1] <= 109, "long flow: median within range");
    CHECK_NEAR(s.iat_pct[1], 0.01, 1e-9, "long flow: IAT median");
}

static void test_feature_vectors(void)
{
    double t[] = {0, 0.5, 1.5, 3.5}, sz[] = {100, 200, 300, 400};
    double v[16];
    vqi_feat_vector(VQI_FEAT_STATS, t, sz, 4, 4, 1.0, v);
    double want[12] = {3.5, 4 / 3.5, 1000 / 3.5, 250, 111.80339887498948, 175, 250, 325,
                       100, 400, 4, 1000};
    int ok = 1;
    for (int i = 0; i < 12; i++)
        ok &= fabs(v[i] - want[i]) < 1e-9;
    CHECK(ok, "STATS vector by hand");
    vqi_feat_vector(VQI_FEAT_IAT, t, sz, 4, 6, 1.0, v);
    CHECK(v[0] == 0.5 && v[1] == 1 && v[2] == 2 && v[3] == 0 && v[4] == 0,
          "IAT vector, zero-padded to dim-1");
    vqi_feat_vector(VQI_FEAT_SIZE, t, sz, 4, 2, 1.0, v);
    CHECK(v[0] == 100 && v[1] == 200, "SIZE vector cut to dim");
    vqi_feat_vector(VQI_FEAT_IAT_SIZE, t, sz, 4, 4, 1.0, v);
    CHECK(v[0] == 0.5 && v[1] == 100 && v[2] == 1 && v[3] == 200 && v[4] == 2 && v[5] == 300 &&
          v[6] == 400, "IAT_SIZE interleaved");
    CHECK_INT(vqi_feat_length(VQI_FEAT_IAT_SIZE, 4), 7, "IAT_SIZE length 2dim-1");
    vqi_feat_vector(VQI_FEAT_SAMP_NUM, t, sz, 4, 6, 1.0, v);
    CHECK(v[0] == 2 && v[1] == 1 && v[2] == 0 && v[3] == 1 && v[4] == 0,
          "SAMP_NUM windows of 1 s: 2,1,0,1");
    vqi_feat_vector(VQI_FEAT_SAMP_SIZE, t, sz, 4, 6, 1.0, v);
    CHECK(v[0] == 300 && v[1] == 300 && v[2] == 0 && v[3] == 400, "SAMP_SIZE: 300,300,0,400");
    vqi_feat_type ty;
    CHECK(vqi_feat_parse("IAT_SIZE", &ty) == 0 && ty == VQI_FEAT_IAT_SIZE, "parse name");
    CHECK(vqi_feat_parse("fft", &ty) == -1, "unknown name rejected");
}

static vqi_packet pkt6(double t, int a, int sp, int b, int dp, uint32_t len)
{
    vqi_packet p = pkt(t, a, sp, b, dp, 17, 0, len);
    memset(p.src, 0, 16);
    memset(p.dst, 0, 16);
    p.src[0] = p.dst[0] = 0x20;
    p.src[15] = (uint8_t)a;
    p.dst[15] = (uint8_t)b;
    p.ipver = 6;
    return p;
}

/* netml mode on packets whose flows are known by construction. */
static void test_featset_netml(void)
{
    vqi_feat_options opt = {.netml = 1, .interval_s = 100};
    vqi_err err = {0};
    vqi_featset_builder *b = vqi_featset_builder_new(&opt, &err);
    vqi_packet ps[] = {
        pkt(0, 1, 1000, 2, 53, 17, 0, 80),      /* A: 1->2 */
        pkt(0.1, 2, 53, 1, 1000, 17, 0, 120),   /* B: reply, own flow, 1 pkt: dropped */
        pkt(1, 1, 1000, 2, 53, 17, 0, 81),      /* A */
        pkt6(2, 1, 5, 2, 6, 90),                /* IPv6 pseudo-flow */
        pkt(2, 1, 1000, 2, 53, 17, 0, 82),      /* A */
        pkt6(3, 3, 7, 4, 8, 91),                /* IPv6 pseudo-flow (other tuple) */
        pkt(702.5, 1, 1000, 2, 53, 17, 0, 83),  /* A after > 600 s: split, last dropped */
        pkt(703, 1, 1000, 2, 53, 17, 0, 84),
    };
    for (size_t i = 0; i < sizeof ps / sizeof *ps; i++)
        vqi_featset_add(b, &ps[i], 0, &err);
    vqi_packet frag = pkt(4, 1, 1000, 2, 53, 17, 0, 80);
    frag.has_ports = 0;
    vqi_featset_add(b, &frag, 0, &err);                 /* non-first fragment: ignored */
    vqi_featset *fs = vqi_featset_finish(b, &err);
    CHECK(fs != NULL, "featset built");
    CHECK_INT(fs->n_flows, 2, "flow A (first part) + IPv6 pseudo-flow");
    CHECK_INT(fs->flows[0].n, 3, "A keeps its first 3 packets");
    CHECK_INT(fs->flows[0].dport, 53, "A in first-seen order");
    CHECK_INT(fs->flows[1].ipver, 6, "IPv6 pseudo-flow second");
    CHECK_INT(fs->flows[1].n, 2, "IPv6 pseudo-flow has both IPv6 packets");
    CHECK_NEAR(fs->sizes[fs->flows[0].first + 2], 82, 0, "size = captured length");
    CHECK_INT(fs->dim, 2, "dim = floor(q0.9 of [3,2]) = floor(2.9)");
    vqi_featset_free(fs);
}

/* netml's subflow split: grid-aligned start, last subflow dropped. */
static void test_featset_subflows(void)
{
    vqi_feat_options opt = {.netml = 1, .interval_s = 1.0};
    vqi_err err = {0};
    vqi_featset_builder *b = vqi_featset_builder_new(&opt, &err);
    /* gaps: 0.5 | 1.7 (split, new start = 0 + floor(2.2/1)*1 = 2.0) | 2.6-2.0=0.6 (same)
     * | 3.0 - 2.6 = 0.4 | 4.5 - 3.0 = 1.5 (split) | 4.6: last subflow dropped */
    double t[] = {0, 0.5, 2.2, 2.6, 3.0, 4.5, 4.6};
    for (int i = 0; i < 7; i++) {
        vqi_packet p = pkt(t[i], 1, 1, 2, 2, 6, VQI_TCP_ACK, 60);
        vqi_featset_add(b, &p, 0, &err);
    }
    vqi_featset *fs = vqi_featset_finish(b, &err);
    CHECK_INT(fs->n_flows, 2, "two subflows kept, last dropped");
    CHECK(fs->n_flows == 2 && fs->flows[0].n == 2 && fs->flows[1].n == 3,
          "subflow sizes 2 and 3");
    vqi_featset_free(fs);
    /* default mode: same packets, bidirectional, no split, nothing dropped */
    vqi_feat_options d = {0};
    b = vqi_featset_builder_new(&d, &err);
    for (int i = 0; i < 7; i++) {
        vqi_packet p = i % 2 ? pkt(t[i], 2, 2, 1, 1, 6, VQI_TCP_ACK, 60)
                             : pkt(t[i], 1, 1, 2, 2, 6, VQI_TCP_ACK, 60);
        p.caplen = 54;
        vqi_featset_add(b, &p, i == 3 ? 1 : 0, &err);
    }
    fs = vqi_featset_finish(b, &err);
    CHECK_INT(fs->n_flows, 1, "default mode: one bidirectional flow");
    CHECK(fs->n_flows == 1 && fs->flows[0].n == 7 && fs->flows[0].ident == 1,
          "default mode: all 7 packets, identified");
    CHECK_NEAR(fs->sizes[0], 60, 0, "default mode: size = wire length");
    vqi_featset_free(fs);
}

/* The service report on hand-made packets: an out-of-order packet lands in
 * its own window and counts as a 0 gap; unidentified packets only count in
 * the capture totals. */
static void test_report(void)
{
    vqi_err err = {0};
    vqi_report *r = vqi_report_new(10, &err);
    double t[] = {5, 15, 12, 25};
    for (int i = 0; i < 4; i++) {
        vqi_packet p = pkt(t[i], 1, 1000, 2, 443, 6, VQI_TCP_ACK, 100 * (i + 1));
        vqi_report_add(r, &p, 1, &err);
    }
    vqi_packet other = pkt(30, 3, 53, 1, 999, 17, 0, 80);
    vqi_report_add(r, &other, 0, &err);
    vqi_packet dns = pkt(31, 1, 999, 3, 53, 17, 0, 70);
    vqi_report_add(r, &dns, 2, &err);
    vqi_service_report rep;
    CHECK_INT(vqi_report_finish(r, &rep, &err), 0, "report finished");
    CHECK_INT(rep.capture_packets, 6, "capture packets");
    CHECK_INT(rep.packets, 5, "service packets");
    CHECK_INT(rep.bytes, 1070, "service bytes");
    CHECK_INT(rep.by_ident[1], 4, "identified by method 1");
    CHECK_INT(rep.by_ident[2], 1, "identified by method 2");
    CHECK_INT(rep.by_proto[VQI_REPORT_DNS], 1, "DNS by port");
    CHECK_INT(rep.by_proto[VQI_REPORT_TCP], 4, "TCP");
    /* gaps in arrival order: 10, 12-15 -> 0, 25-15 = 10, 31-25 = 6 */
    CHECK_INT(rep.iat.count, 4, "n-1 gaps");
    CHECK_NEAR(rep.iat.mean, 6.5, 1e-12, "IAT mean");
    CHECK_NEAR(rep.iat.min, 0, 0, "backwards gap counts as 0");
    CHECK_NEAR(rep.length.p50, 200, 1e-12, "length median of 70,100,200,300,400");
    CHECK_INT(rep.n_windows, 4, "windows 0, 10, 20, 30");
    CHECK(rep.n_windows == 4 && rep.windows[1].start == 10 && rep.windows[1].packets == 2,
          "out-of-order packet counted in window 10");
    CHECK(rep.n_windows == 4 && rep.windows[3].start == 30 && rep.windows[3].packets == 1,
          "window 30 holds the DNS packet only");
    CHECK_INT(rep.flows, 2, "two bidirectional flows");
    CHECK_INT(rep.uni_flows, 2, "two unidirectional flows");
    CHECK_NEAR(rep.flow_packets.max, 4, 0, "packets of the TCP flow");
    vqi_service_report_free(&rep);
    vqi_report_free(r);
}

int main(void)
{
    test_table_basic();
    test_table_idle_full_reuse();
    test_table_unidirectional();
    test_table_churn();
    test_stats();
    test_stats_reservoir();
    test_feature_vectors();
    test_featset_netml();
    test_featset_subflows();
    test_report();
    return check_done();
}
