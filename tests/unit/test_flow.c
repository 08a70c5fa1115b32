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

int main(void)
{
    test_table_basic();
    test_table_idle_full_reuse();
    test_table_unidirectional();
    test_table_churn();
    return check_done();
}
