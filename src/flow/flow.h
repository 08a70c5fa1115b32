/* flow.h - the flow stage: flow table, per-flow statistics, netml features.
 *
 * The whole interface of the flow stage.
 *
 * Flow table: an open-addressing hash table keyed by the 5-tuple of a
 * vqi_packet (16-byte addresses, ports, transport protocol).  By default the
 * key is bidirectional: both directions of a conversation share one slot and
 * each packet is told its direction (0 = client->server, 1 = server->client).
 * The client is the initiator: the source of the flow's first packet, except
 * that a TCP SYN+ACK as first packet makes its destination the client (a pure
 * SYN always names its source as client).  Packets without ports (non-first
 * fragments, ICMP, other protocols) are keyed with ports 0.
 *
 * Each slot carries a fixed-size user payload (chosen at creation, zeroed
 * when a flow starts, 16-byte aligned) so later stages keep per-flow state
 * inline.  Memory is bounded by max_flows: the slot array grows by doubling
 * up to it; when full, the least recently seen flow is evicted.  Flows idle
 * for longer than idle_timeout_ns (measured in packet time) are evicted when
 * a later packet arrives or on vqi_flow_table_expire().  Every eviction calls
 * on_evict before the slot is reused.  No allocation per packet: only
 * amortised doubling of the arrays.
 *
 * Slot numbers stay fixed for the life of a flow; pointers returned by
 * vqi_flow_user() / vqi_flow_info_of() are valid only until the next call
 * that may grow the table (vqi_flow_track()). */
#ifndef VQI_FLOW_H
#define VQI_FLOW_H

#include <stddef.h>
#include <stdint.h>
#include "../decode/decode.h"
#include "../util/err.h"

/* ---------------------------------------------------------------- table -- */

typedef struct vqi_flow_table vqi_flow_table;

/* Why a flow left the table. */
typedef enum {
    VQI_FLOW_END_IDLE,      /* no packet for longer than idle_timeout_ns */
    VQI_FLOW_END_FULL,      /* the table was full: least recently seen flow */
    VQI_FLOW_END_REUSE,     /* TCP: a new SYN after FIN/RST on the same 5-tuple */
    VQI_FLOW_END_FLUSH      /* vqi_flow_table_flush() (end of input) */
} vqi_flow_end;

typedef void (*vqi_flow_evict_fn)(void *ctx, vqi_flow_table *t, uint32_t slot,
                                  vqi_flow_end why);

typedef struct vqi_flow_config {
    size_t user_size;            /* bytes of user payload per flow (may be 0) */
    size_t max_flows;            /* live flows at most; 0 = 1,048,576 */
    int64_t idle_timeout_ns;     /* 0 = never evict for idleness */
    int unidirectional;          /* 1: key as seen (src,dst,sport,dport,proto),
                                    every packet has dir 0 (netml's flows) */
    vqi_flow_evict_fn on_evict;  /* may be NULL */
    void *ctx;                   /* passed to on_evict */
} vqi_flow_config;

/* Read-only facts the table keeps for every live flow. */
typedef struct vqi_flow_info {
    uint8_t client[16], server[16];  /* unidirectional mode: src, dst */
    uint16_t client_port, server_port;
    uint8_t proto;                   /* transport protocol number */
    uint8_t ipver;                   /* 4 or 6 */
    uint8_t tcp_flags_seen;          /* OR of all TCP flags in the flow */
    int64_t first_ns, last_ns;       /* first and latest packet time */
    uint64_t packets[2];             /* per direction */
    uint64_t id;                     /* 0, 1, 2, ... in order of creation */
} vqi_flow_info;

/* Result of vqi_flow_track() for one packet. */
typedef struct vqi_flow_hit {
    uint32_t slot;
    uint8_t dir;                     /* 0 client->server, 1 server->client */
    uint8_t is_new;                  /* this packet started the flow */
} vqi_flow_hit;

vqi_flow_table *vqi_flow_table_new(const vqi_flow_config *cfg, vqi_err *err);
/* Frees without calling on_evict (call vqi_flow_table_flush() first if needed). */
void vqi_flow_table_free(vqi_flow_table *t);

/* Account p to its flow (creating it if needed; may evict idle flows first).
 * Returns 1 with *hit filled, or 0 when p is not IP (ipver 0): ignored. */
int vqi_flow_track(vqi_flow_table *t, const vqi_packet *p, vqi_flow_hit *hit);

/* Evict every flow idle since before now_ns - idle_timeout_ns (live use). */
void vqi_flow_table_expire(vqi_flow_table *t, int64_t now_ns);
/* Evict every live flow, in order of creation (reason FLUSH). */
void vqi_flow_table_flush(vqi_flow_table *t);

size_t vqi_flow_table_count(const vqi_flow_table *t);     /* live flows */
const vqi_flow_info *vqi_flow_info_of(const vqi_flow_table *t, uint32_t slot);
void *vqi_flow_user(vqi_flow_table *t, uint32_t slot);

#endif
