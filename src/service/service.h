/* service.h - which packets belong to a streaming service.
 *
 * A packet belongs to a service when its remote address was resolved for one
 * of the service's names by a DNS answer seen earlier in the capture (any
 * name of a CNAME chain may match), lies in one of the service's known
 * address prefixes, or its connection's TLS ClientHello carried a matching
 * server name.  The catalogue holds netflix, youtube, twitch and amazon;
 * a user regex may replace the domain list.
 *
 * Learning is causal (capture order, no look-ahead): an address counts from
 * the DNS answer that names it on, a TLS connection from its ClientHello on
 * (its SYN/SYN-ACK/ACK stay unidentified unless DNS or a prefix knows the
 * server).  Only plain DNS on port 53 teaches addresses (not mDNS/LLMNR/NBNS).
 * SNI is read from TCP ClientHellos whose server_name lies in the captured
 * bytes of the first segment; QUIC Initial packets encrypt their ClientHello
 * (keys derived from the connection id), which this stage does not decrypt:
 * QUIC connections are identified by DNS or prefixes only.  Verdicts are
 * kept for 4096 connections (a full probe window evicts an old verdict). */
#ifndef VQI_SERVICE_H
#define VQI_SERVICE_H

#include <stdint.h>
#include "../decode/decode.h"
#include "../dns/dns.h"

typedef enum { VQI_IDENT_NONE = 0, VQI_IDENT_DNS, VQI_IDENT_PREFIX, VQI_IDENT_SNI } vqi_ident;
const char *vqi_ident_name(vqi_ident how);     /* "dns", "prefix", "sni", "" */

typedef struct vqi_service vqi_service;

/* By catalogue name (case-insensitive), or NULL + err listing the names. */
vqi_service *vqi_service_by_name(const char *name, vqi_err *err);
/* A user's POSIX extended regex (case-insensitive) over DNS names / SNI. */
vqi_service *vqi_service_by_regex(const char *regex, vqi_err *err);
const char *vqi_service_name(const vqi_service *s);   /* "netflix" or the regex */
void vqi_service_free(vqi_service *s);
/* Catalogue names, NULL-terminated. */
const char *const *vqi_service_catalogue(void);

/* Does a DNS name belong to the service? */
int vqi_service_name_matches(const vqi_service *s, const char *name);

/* Added with the implementation: */
/* Does any name of the message (question, owners, CNAME/NS/PTR targets) match? */
int vqi_service_msg_matches(const vqi_service *s, const vqi_dns_msg *msg);
/* Does the chain leading to answer i (question, CNAMEs, owner) match? */
int vqi_service_chain_matches(const vqi_service *s, const vqi_dns_msg *msg, size_t i);
/* Learn the A/AAAA answers of a parsed response whose chain matches
 * (what vqi_service_observe() does for every DNS response it sees). */
void vqi_service_learn_dns(vqi_service *s, const vqi_dns_msg *msg);

/* Learn from one packet: DNS answers (UDP and TCP) and TLS server names.
 * Call for every packet, in capture order, before vqi_service_classify(). */
void vqi_service_observe(vqi_service *s, const vqi_packet *p);

/* Is p service traffic?  Returns the identification method (NONE = no) and
 * sets *remote_is_src to 1 when the service endpoint is p's source (the
 * packet goes server -> client). */
vqi_ident vqi_service_classify(vqi_service *s, const vqi_packet *p, int *remote_is_src);

/* Addresses learned from DNS so far, in first-seen order. */
size_t vqi_service_n_addresses(const vqi_service *s);
const uint8_t *vqi_service_address(const vqi_service *s, size_t i);

#endif
