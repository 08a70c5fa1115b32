/* service_int.h - pieces shared inside the service stage only: the address
 * set, the prefix list and the TLS ClientHello server-name reader. */
#ifndef VQI_SERVICE_INT_H
#define VQI_SERVICE_INT_H

#include <stddef.h>
#include <stdint.h>
#include "../decode/decode.h"

/* A set of 16-byte addresses that remembers insertion order.  Open
 * addressing over indices into the order array: lookups never allocate,
 * insertions allocate only when the table grows. */
#define ADDRSET_RECENT 4
typedef struct addrset {
    uint8_t (*addrs)[16];     /* in first-seen order */
    size_t n, cap_addrs;
    uint32_t *slots;          /* index + 1 into addrs, 0 = empty */
    size_t n_slots;           /* power of two */
    /* the last few answers (consecutive packets repeat their addresses);
     * cleared when an address is added */
    uint8_t recent[ADDRSET_RECENT][16];
    uint8_t recent_found[ADDRSET_RECENT];
    uint8_t n_recent, next_recent;
} addrset;

void addrset_free(addrset *s);
/* Not const: remembers recent answers (a set is used by one thread at a
 * time, like the vqi_service holding it). */
int addrset_contains(addrset *s, const uint8_t addr[16]);
/* 1 = added, 0 = already present or the set is full (ADDRSET_MAX
 * addresses), -1 = out of memory. */
int addrset_add(addrset *s, const uint8_t addr[16]);
/* The bound on what a service learns from DNS answers: 2^20 addresses,
 * 24 MB with the index.  Real services use thousands of server addresses,
 * but a hostile capture (or a monitor running for months) could otherwise
 * grow the set without end.  Addresses past it are not learned. */
#define ADDRSET_MAX ((size_t)1 << 20)

/* Address prefixes in the 16-byte form (IPv4 as ::ffff:a.b.c.d/96+len). */
typedef struct prefix { uint8_t addr[16]; uint8_t len; } prefix;
/* Parse "23.246.0.0/18" or "2620:10c:7000::/44"; 0 ok, -1 invalid. */
int prefix_parse(const char *text, prefix *out);
int prefix_contains(const prefix *px, const uint8_t addr[16]);
/* Sort a list and drop blocks nested in others; returns the new count.
 * prefixes_match() then needs one binary search per address. */
size_t prefixes_normalise(prefix *px, size_t n);
int prefixes_match(const prefix *px, size_t n, const uint8_t addr[16]);

/* Server name of a TLS ClientHello starting at the first byte of a TCP
 * payload (record header included).  Reads only the n bytes present.
 * Returns 1 with the name in out, 0 when the bytes are not a ClientHello
 * or carry no host name, -1 when the name lies beyond the bytes present. */
int tls_client_hello_sni(const uint8_t *p, size_t n, char *out, size_t size);

/* TLS server names per TCP connection (sni_conn.c): verdicts for at most
 * 4096 connections, ClientHellos spanning segments reassembled for at most
 * 32 connections at once. */
typedef struct sni_conns sni_conns;
sni_conns *sni_conns_new(void);
void sni_conns_free(sni_conns *t);
/* Feed a TCP segment (any direction).  When it completes a ClientHello
 * with a server name: stores matches(ctx, name) as the connection's verdict,
 * copies the name and returns 1; otherwise 0. */
int sni_conns_feed(sni_conns *t, const vqi_packet *p, char *name, size_t size,
                   int (*matches)(void *ctx, const char *name), void *ctx);
/* 1 when p's connection has a matching verdict; *remote_is_src says whether
 * the server is p's source. */
int sni_conns_match(const sni_conns *t, const vqi_packet *p, int *remote_is_src);

#endif
