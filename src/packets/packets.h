/* packets.h - the per-packet table of `vqi packets`: one row per frame, in
 * the columns of the course notebook's scapy table
 *   timestamp,length,src_ip,dst_ip,txn_id,protocol,src_port,dst_port,info
 * as CSV (RFC 4180) or JSON lines, formatted straight into an output
 * buffer (util/textout.h's block writer).
 *
 * protocol is DNS for UDP and TCP port 53, which is what tshark's "-Y dns"
 * counts (mDNS 5353 and LLMNR 5355 are separate protocols there, NBNS too):
 * UDP datagrams with at least a DNS header (12 bytes), and TCP segments in
 * which a DNS-over-TCP message completes (DNS over TCP is reassembled, so
 * frames must be given in capture order).  A fragmented DNS datagram is DNS
 * on its first fragment (tshark: on the last, after reassembly).  Otherwise
 * TCP / UDP / Other.
 * info is a one-line, scapy-like summary ("Ether / IP / TCP a:p > b:q PA",
 * "Ether / IP / UDP / DNS Qry "name" A"). */
#ifndef VQI_PACKETS_H
#define VQI_PACKETS_H

#include "../capture/capture.h"
#include "../decode/decode.h"
#include "../util/err.h"

/* Longest row vqi_pkt_row() writes, newline included (info is at most
 * 1535 bytes, at most 6 bytes each when escaped for JSON). */
#define VQI_PKT_ROW_MAX 16384

extern const char vqi_pkt_csv_header[];   /* "timestamp,...,info\n" */

typedef struct vqi_pkt_table vqi_pkt_table;

/* jsonl: 1 = JSON lines, 0 = CSV.  NULL with err when out of memory. */
vqi_pkt_table *vqi_pkt_table_new(int jsonl, vqi_err *err);
void vqi_pkt_table_free(vqi_pkt_table *t);

/* Write the row of frame f, decoded into p by vqi_decode, at out (room for
 * VQI_PKT_ROW_MAX bytes); returns the end of the row (after its newline). */
char *vqi_pkt_row(vqi_pkt_table *t, const vqi_frame *f, const vqi_packet *p, char *out);

#endif
