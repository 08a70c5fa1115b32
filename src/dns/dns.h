/* dns.h - DNS messages: defensive parsing and one-line summaries.
 *
 * The whole interface of the DNS stage.  Names are decoded with compression
 * pointers that must point strictly backwards (rejects loops without a hop
 * counter), labels <= 63 and names <= 255 octets, record counts checked
 * against the bytes present. */
#ifndef VQI_DNS_H
#define VQI_DNS_H

#include <stddef.h>
#include <stdint.h>
#include "../decode/decode.h"

#define VQI_DNS_NAME_MAX 256    /* presentation form incl. NUL, dots between labels */
#define VQI_DNS_MAX_RR 64       /* answers kept per message (more are counted, not kept) */

enum { VQI_DNS_A = 1, VQI_DNS_NS = 2, VQI_DNS_CNAME = 5, VQI_DNS_PTR = 12,
       VQI_DNS_MX = 15, VQI_DNS_TXT = 16, VQI_DNS_AAAA = 28, VQI_DNS_SRV = 33,
       VQI_DNS_OPT = 41, VQI_DNS_HTTPS = 65 };

/* Kind of name service by port: the client's resolutions are plain DNS;
 * multicast / link-local protocols are kept apart. */
typedef enum { VQI_NS_DNS, VQI_NS_MDNS, VQI_NS_LLMNR, VQI_NS_NBNS } vqi_ns_kind;

typedef struct vqi_dns_rr {
    char name[VQI_DNS_NAME_MAX];
    uint16_t type, klass;
    uint32_t ttl;
    uint8_t addr[16];                 /* A (v4-mapped) / AAAA */
    char target[VQI_DNS_NAME_MAX];    /* CNAME / NS / PTR target */
} vqi_dns_rr;

typedef struct vqi_dns_msg {
    uint16_t id;
    uint8_t is_response, opcode, rcode, truncated_flag;
    uint16_t qdcount, ancount, nscount, arcount;
    char qname[VQI_DNS_NAME_MAX];     /* first question ("" when none/undecodable) */
    uint16_t qtype;
    size_t n_answers;                 /* answers kept in answers[] */
    vqi_dns_rr answers[VQI_DNS_MAX_RR];
    const char *error;                /* NULL, or why parsing stopped early */
} vqi_dns_msg;

/* Parse one DNS message (no TCP length prefix).  Returns 0 when the header
 * was read; the question and answers may stop early (a capture cut the
 * query, a bad name): msg->error says why and qname is "" when the question
 * could not be read.  -1 when the bytes are shorter than a DNS header.
 * Names are in presentation form: labels joined by dots, no final dot,
 * RFC 1035 escapes ("\.", "\\", "\DDD" decimal for non-printable bytes),
 * "<Root>" for the root (as tshark prints it). */
int vqi_dns_parse(const uint8_t *data, size_t len, vqi_dns_msg *msg);

/* Is this packet DNS-like by its ports, and which kind? 0 = no. */
int vqi_dns_port_kind(const vqi_packet *p, vqi_ns_kind *kind);

/* scapy-like summary used in the packets table's info column:
 * "DNS Qry <name> <TYPE>" or "DNS Ans <name> -> <answers>" where answers
 * are the chain ("a.b CNAME c.d A 1.2.3.4"). */
void vqi_dns_summary(const vqi_dns_msg *msg, char *buf, size_t size);

/* Answers as text: "a.example CNAME b.example A 1.2.3.4". */
void vqi_dns_answers_text(const vqi_dns_msg *msg, char *buf, size_t size);

const char *vqi_dns_type_name(uint16_t type, char *buf, size_t size);

/* Added with the implementation: */
/* "NOERROR", "NXDOMAIN", ... ("RCODE11".."RCODE15" unassigned). */
const char *vqi_dns_rcode_name(uint8_t rcode);
/* "dns", "mdns", "llmnr", "nbns". */
const char *vqi_ns_kind_name(vqi_ns_kind kind);

/* DNS over TCP: a per-connection reassembler of 2-byte-length-prefixed
 * messages; the length may arrive in its own segment, a message may span
 * segments.  vqi_dns_stream_feed() calls on_msg for each complete message.
 * Bounded: 256 directions tracked (least recently used evicted; FIN/RST
 * forget one), at most one maximal message buffered per direction; a gap in
 * the sequence numbers or a segment cut by the snap length drops the
 * pending message. */
typedef struct vqi_dns_streams vqi_dns_streams;
vqi_dns_streams *vqi_dns_streams_new(void);
void vqi_dns_streams_free(vqi_dns_streams *s);
/* Feed a TCP packet to or from port 53; returns the number of messages emitted. */
int vqi_dns_streams_feed(vqi_dns_streams *s, const vqi_packet *p,
                         void (*on_msg)(void *ctx, const vqi_packet *p,
                                        const uint8_t *msg, size_t len),
                         void *ctx);

#endif
