/* tls_sni.c - the server name of a TLS ClientHello (RFC 8446 4.1.2, RFC 6066
 * section 3), read from the first bytes of a TCP payload.
 *
 * Only what the capture holds is read: every length is checked against the
 * bytes present, and a ClientHello cut before its server_name extension
 * (snap length, or a hello spread over several segments) yields "unknown"
 * rather than a guess.  QUIC Initial packets carry the same ClientHello
 * inside a payload encrypted with keys derived from the connection id; this
 * stage does not decrypt them, so QUIC connections are identified by DNS or
 * prefixes only. */
#include "service_int.h"

#include <string.h>

enum { TLS_HANDSHAKE = 22, HS_CLIENT_HELLO = 1, EXT_SERVER_NAME = 0, SNI_HOST_NAME = 0 };

/* A cursor over the bytes present; every take checks the bounds. */
typedef struct cursor { const uint8_t *p; size_t n, at; int cut; } cursor;

static int take(cursor *c, size_t k)
{
    if (c->n - c->at < k) {
        c->cut = 1;
        return 0;
    }
    c->at += k;
    return 1;
}

static int take_u(cursor *c, size_t width, size_t *v)
{
    if (c->n - c->at < width) {
        c->cut = 1;
        return 0;
    }
    *v = 0;
    for (size_t i = 0; i < width; i++)
        *v = *v << 8 | c->p[c->at + i];
    c->at += width;
    return 1;
}

int tls_client_hello_sni(const uint8_t *p, size_t n, char *out, size_t size)
{
    cursor c = {p, n, 0, 0};
    size_t v, hs_len, ext_total;
    if (!p || n == 0 || p[0] != TLS_HANDSHAKE || (n > 1 && p[1] != 3))
        return 0;
    if (n < 6)
        return -1;                 /* a handshake record, its type not yet present */
    if (p[5] != HS_CLIENT_HELLO)
        return 0;
    if (size)
        out[0] = '\0';
    take(&c, 5);                                          /* record header */
    take(&c, 1);                                          /* handshake type */
    if (!take_u(&c, 3, &hs_len))
        return -1;
    /* The extensions end where the handshake message ends (a record may be
     * cut by the capture; the message length still bounds the walk). */
    size_t hs_end = c.at + hs_len;
    if (!take(&c, 2 + 32))                                /* version, random */
        return -1;
    if (!take_u(&c, 1, &v) || !take(&c, v))               /* session id */
        return -1;
    if (!take_u(&c, 2, &v) || !take(&c, v))               /* cipher suites */
        return -1;
    if (!take_u(&c, 1, &v) || !take(&c, v))               /* compression methods */
        return -1;
    if (c.at >= hs_end)
        return 0;                                         /* no extensions at all */
    if (!take_u(&c, 2, &ext_total))
        return -1;
    size_t ext_end = c.at + ext_total;
    if (ext_end > hs_end)
        return 0;                                         /* inconsistent lengths */
    while (c.at + 4 <= ext_end) {
        size_t type, len;
        if (!take_u(&c, 2, &type) || !take_u(&c, 2, &len))
            return -1;
        if (c.at + len > ext_end)
            return 0;
        if (type != EXT_SERVER_NAME) {
            if (!take(&c, len))
                return -1;
            continue;
        }
        size_t list_len, name_type, name_len;
        size_t list_end = c.at + len;
        if (!take_u(&c, 2, &list_len))
            return -1;
        if (c.at + list_len > list_end)
            return 0;
        while (c.at + 3 <= list_end) {
            if (!take_u(&c, 1, &name_type) || !take_u(&c, 2, &name_len))
                return -1;
            if (c.at + name_len > list_end)
                return 0;
            if (name_type == SNI_HOST_NAME) {
                if (c.n - c.at < name_len)
                    return -1;
                if (name_len == 0 || name_len >= size)
                    return 0;
                memcpy(out, p + c.at, name_len);
                out[name_len] = '\0';
                /* A NUL inside the name would let a hostile hello pass as a
                 * shorter, matching name. */
                return memchr(out, '\0', name_len) ? 0 : 1;
            }
            if (!take(&c, name_len))
                return -1;
        }
        return 0;
    }
    return c.cut ? -1 : 0;
}
