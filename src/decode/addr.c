/* addr.c - addresses as text: dotted quad for IPv4 (stored v4-mapped),
 * RFC 5952 for IPv6 (lower case, leading zeros dropped, the longest run of
 * two or more zero groups - the first if tied - written "::"), and back. */
#include "decode.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

static const uint8_t v4_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};

int vqi_addr_is_v4(const uint8_t addr[16])
{
    return memcmp(addr, v4_prefix, 12) == 0;
}

/* Written by hand rather than with snprintf: vqi packets formats two
 * addresses per frame and printf's parsing was 40% of its time. */
static char *put_dec_u8(char *o, unsigned v)
{
    if (v >= 100) {
        *o++ = (char)('0' + v / 100);
        v %= 100;
        *o++ = (char)('0' + v / 10);
    } else if (v >= 10) {
        *o++ = (char)('0' + v / 10);
    }
    *o++ = (char)('0' + v % 10);
    return o;
}

static char *put_hex_u16(char *o, unsigned v)
{
    static const char hex[] = "0123456789abcdef";
    int shift = 12;
    while (shift > 0 && !(v >> shift))
        shift -= 4;
    for (; shift >= 0; shift -= 4)
        *o++ = hex[(v >> shift) & 0xF];
    return o;
}

char *vqi_addr_format(const uint8_t a[16], char *buf)
{
    if (vqi_addr_is_v4(a)) {
        char *o = buf;
        for (int i = 12; i < 16; i++) {
            o = put_dec_u8(o, a[i]);
            *o++ = i < 15 ? '.' : 0;
        }
        return buf;
    }
    unsigned g[8];
    for (int i = 0; i < 8; i++)
        g[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
    int best = -1, best_len = 1;            /* a single zero group is not shortened */
    for (int i = 0; i < 8;) {
        if (g[i]) {
            i++;
            continue;
        }
        int j = i;
        while (j < 8 && !g[j])
            j++;
        if (j - i > best_len) {
            best = i;
            best_len = j - i;
        }
        i = j;
    }
    char *o = buf;
    for (int i = 0; i < 8; i++) {
        if (i == best) {
            *o++ = ':';
            if (i == 0)
                *o++ = ':';
            i += best_len - 1;
            continue;
        }
        o = put_hex_u16(o, g[i]);
        if (i < 7)
            *o++ = ':';
    }
    *o = 0;
    return buf;
}

int vqi_addr_parse(const char *text, uint8_t addr[16])
{
    uint8_t v4[4];
    if (strchr(text, ':') == NULL) {
        if (inet_pton(AF_INET, text, v4) != 1)
            return -1;
        memcpy(addr, v4_prefix, 12);
        memcpy(addr + 12, v4, 4);
        return 0;
    }
    return inet_pton(AF_INET6, text, addr) == 1 ? 0 : -1;
}

uint64_t vqi_addr_hash(const uint8_t a[16])
{
    uint64_t lo, hi;
    memcpy(&lo, a, 8);
    memcpy(&hi, a + 8, 8);
    uint64_t x = lo * 0x9E3779B97F4A7C15ULL ^ hi;
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9ULL;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}
