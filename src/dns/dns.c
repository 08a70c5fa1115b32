/* dns.c - defensive DNS message parsing (RFC 1035) and the port-based kind.
 *
 * Every read is checked against the bytes present: captures cut messages,
 * fuzzers craft them (tcpdump's dns-zlip / forward-pointer cases, RFC 9267's
 * NAME:WRECK anti-patterns).  Parsing stops at the first damaged field and
 * says why in msg->error; what was read before stays usable. */
#include "dns.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define DNS_HEADER_LEN 12
#define DNS_LABEL_MAX 63
#define DNS_WIRE_NAME_MAX 255      /* octets of a name in wire form, root byte included */
#define DNS_QUESTION_MIN 5         /* root name + type + class */
#define DNS_RR_MIN 11              /* root name + type + class + ttl + rdlength */

enum { PORT_DNS = 53, PORT_MDNS = 5353, PORT_LLMNR = 5355, PORT_NBNS = 137 };

static uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Append one label byte in presentation form: RFC 1035 section 5.1 escapes
 * ("\." "\\" and "\DDD" for bytes that are not printable ASCII), so a name
 * made of hostile bytes still prints as one unambiguous token. */
static size_t put_label_byte(char *out, size_t at, size_t size, uint8_t c)
{
    char tmp[5];
    size_t n;
    if (c == '.' || c == '\\') {
        tmp[0] = '\\';
        tmp[1] = (char)c;
        n = 2;
    } else if (c > 0x20 && c < 0x7f) {
        tmp[0] = (char)c;
        n = 1;
    } else {
        snprintf(tmp, sizeof tmp, "\\%03u", c);
        n = 4;
    }
    /* A name too long to display is cut at the buffer: keep room for NUL. */
    for (size_t i = 0; i < n && at + 1 < size; i++)
        out[at++] = tmp[i];
    return at;
}

/* Decode the name starting at *off into out (presentation form, "<Root>"
 * for the root).  Compression pointers must point strictly before the
 * previous target (initially the name's own start): offsets then strictly
 * decrease, so loops are impossible without a hop counter, and valid long
 * chains are still accepted.  On success *off moves past the name as it
 * is stored in place.  Returns NULL, or the reason the name is invalid. */
static const char *read_name(const uint8_t *m, size_t len, size_t *off,
                             char *out, size_t size)
{
    size_t pos = *off, limit = *off, after = 0, wire = 0, at = 0;
    int jumped = 0;
    out[0] = '\0';
    for (;;) {
        if (pos >= len)
            return "name runs past the end of the message";
        uint8_t b = m[pos];
        if ((b & 0xC0) == 0xC0) {
            if (pos + 1 >= len)
                return "compression pointer cut";
            size_t target = (size_t)(b & 0x3F) << 8 | m[pos + 1];
            if (target >= limit)
                return "compression pointer does not point backwards";
            if (!jumped) {
                after = pos + 2;
                jumped = 1;
            }
            limit = target;
            pos = target;
            continue;
        }
        if (b & 0xC0)
            return "reserved label type (0x40/0x80)";
        wire += (size_t)b + 1;
        if (wire > DNS_WIRE_NAME_MAX)
            return "name longer than 255 octets";
        if (b == 0) {
            if (!jumped)
                after = pos + 1;
            break;
        }
        if (pos + 1 + b > len)
            return "label runs past the end of the message";
        if (at > 0 && at + 1 < size)
            out[at++] = '.';
        for (size_t i = 0; i < b; i++)
            at = put_label_byte(out, at, size, m[pos + 1 + i]);
        pos += 1 + (size_t)b;
    }
    if (at == 0)
        snprintf(out, size, "<Root>");
    else
        out[at] = '\0';
    *off = after;
    return NULL;
}

static const char *read_rr(const uint8_t *m, size_t len, size_t *off, vqi_dns_rr *rr)
{
    const char *why = read_name(m, len, off, rr->name, sizeof rr->name);
    if (why)
        return why;
    size_t p = *off;
    if (p + 10 > len)
        return "resource record cut";
    rr->type = be16(m + p);
    rr->klass = be16(m + p + 2);
    rr->ttl = be32(m + p + 4);
    size_t rdlen = be16(m + p + 8), rdata = p + 10;
    if (rdata + rdlen > len)
        return "record data runs past the end of the message";
    memset(rr->addr, 0, sizeof rr->addr);
    rr->target[0] = '\0';
    if (rr->type == VQI_DNS_A) {
        if (rdlen != 4)
            return "A record with a length other than 4";
        rr->addr[10] = rr->addr[11] = 0xFF;
        memcpy(rr->addr + 12, m + rdata, 4);
    } else if (rr->type == VQI_DNS_AAAA) {
        if (rdlen != 16)
            return "AAAA record with a length other than 16";
        memcpy(rr->addr, m + rdata, 16);
    } else if (rr->type == VQI_DNS_CNAME || rr->type == VQI_DNS_NS ||
               rr->type == VQI_DNS_PTR) {
        size_t t = rdata;
        why = read_name(m, rdata + rdlen, &t, rr->target, sizeof rr->target);
        if (why)
            return why;
    }
    *off = rdata + rdlen;
    return NULL;
}

int vqi_dns_parse(const uint8_t *data, size_t len, vqi_dns_msg *msg)
{
    if (!msg)
        return -1;
    msg->qname[0] = '\0';
    msg->qtype = 0;
    msg->n_answers = 0;
    msg->error = NULL;
    if (!data || len < DNS_HEADER_LEN) {
        msg->error = "shorter than a DNS header";
        return -1;
    }
    msg->id = be16(data);
    msg->is_response = data[2] >> 7;
    msg->opcode = (data[2] >> 3) & 0x0F;
    msg->truncated_flag = (data[2] >> 1) & 1;
    msg->rcode = data[3] & 0x0F;
    msg->qdcount = be16(data + 4);
    msg->ancount = be16(data + 6);
    msg->nscount = be16(data + 8);
    msg->arcount = be16(data + 10);

    size_t off = DNS_HEADER_LEN;
    /* Counts are only claims: each question and record needs a minimum of
     * bytes, and the loops below stop as soon as the bytes run out. */
    if ((size_t)msg->qdcount * DNS_QUESTION_MIN + (size_t)msg->ancount * DNS_RR_MIN >
        len - off)
        msg->error = "record counts exceed the bytes present";
    for (unsigned q = 0; q < msg->qdcount; q++) {
        char name[VQI_DNS_NAME_MAX];
        const char *why = read_name(data, len, &off, name, sizeof name);
        if (!why && off + 4 > len)
            why = "question cut";
        if (why) {
            msg->error = why;
            return 0;
        }
        if (q == 0) {
            memcpy(msg->qname, name, sizeof name);
            msg->qtype = be16(data + off);
        }
        off += 4;
    }
    for (unsigned a = 0; a < msg->ancount; a++) {
        vqi_dns_rr scratch;
        vqi_dns_rr *rr = msg->n_answers < VQI_DNS_MAX_RR ? &msg->answers[msg->n_answers]
                                                         : &scratch;
        const char *why = read_rr(data, len, &off, rr);
        if (why) {
            msg->error = why;
            return 0;
        }
        if (rr != &scratch)
            msg->n_answers++;
    }
    return 0;
}

int vqi_dns_port_kind(const vqi_packet *p, vqi_ns_kind *kind)
{
    vqi_ns_kind k;
    if (!p || !p->has_ports || (p->proto != VQI_PROTO_UDP && p->proto != VQI_PROTO_TCP))
        return 0;
    /* Port 53 first: it names the server side of a resolution even when the
     * client happened to pick 5353 or 5355 as its ephemeral port. */
    if (p->sport == PORT_DNS || p->dport == PORT_DNS)
        k = VQI_NS_DNS;
    else if (p->sport == PORT_MDNS || p->dport == PORT_MDNS)
        k = VQI_NS_MDNS;
    else if (p->sport == PORT_LLMNR || p->dport == PORT_LLMNR)
        k = VQI_NS_LLMNR;
    else if (p->sport == PORT_NBNS || p->dport == PORT_NBNS)
        k = VQI_NS_NBNS;
    else
        return 0;
    if (kind)
        *kind = k;
    return 1;
}

const char *vqi_ns_kind_name(vqi_ns_kind kind)
{
    switch (kind) {
    case VQI_NS_DNS: return "dns";
    case VQI_NS_MDNS: return "mdns";
    case VQI_NS_LLMNR: return "llmnr";
    case VQI_NS_NBNS: return "nbns";
    }
    return "";
}
