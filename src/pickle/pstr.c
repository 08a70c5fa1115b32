/* pstr.c - the text encodings old pickles use: Python-2 STRING reprs with
 * backslash escapes, raw-unicode-escape UNICODE lines, and latin-1 bytes
 * carried as text by Python 3 protocol-2 pickles (_codecs.encode). */
#include "pickle_int.h"

#include <stdint.h>

/* Append a code point as UTF-8 into buf (room for 4 bytes). */
static size_t put_utf8(uint8_t *buf, uint32_t c)
{
    if (c < 0x80) {
        buf[0] = (uint8_t)c;
        return 1;
    }
    if (c < 0x800) {
        buf[0] = (uint8_t)(0xC0 | c >> 6);
        buf[1] = (uint8_t)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        buf[0] = (uint8_t)(0xE0 | c >> 12);
        buf[1] = (uint8_t)(0x80 | ((c >> 6) & 0x3F));
        buf[2] = (uint8_t)(0x80 | (c & 0x3F));
        return 3;
    }
    buf[0] = (uint8_t)(0xF0 | c >> 18);
    buf[1] = (uint8_t)(0x80 | ((c >> 12) & 0x3F));
    buf[2] = (uint8_t)(0x80 | ((c >> 6) & 0x3F));
    buf[3] = (uint8_t)(0x80 | (c & 0x3F));
    return 4;
}

static int hexval(uint8_t c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

int pstr_unescape(arena *a, const uint8_t *s, size_t n, const uint8_t **res, size_t *len)
{
    if (n < 2 || (s[0] != '\'' && s[0] != '"') || s[n - 1] != s[0])
        return -1;
    uint8_t *out = arena_alloc(a, n);
    if (!out)
        return -2;
    size_t k = 0;
    for (size_t i = 1; i + 1 < n; i++) {
        uint8_t c = s[i];
        if (c != '\\' || i + 2 >= n) {
            out[k++] = c;
            continue;
        }
        uint8_t e = s[++i];
        switch (e) {
        case 'n': out[k++] = '\n'; break;
        case 't': out[k++] = '\t'; break;
        case 'r': out[k++] = '\r'; break;
        case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
            int v = e - '0';
            for (int d = 0; d < 2 && i + 2 < n && s[i + 1] >= '0' && s[i + 1] <= '7'; d++)
                v = v * 8 + (s[++i] - '0');
            out[k++] = (uint8_t)v;
            break;
        }
        case 'x':
            if (i + 3 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
                out[k++] = (uint8_t)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
                i += 2;
            } else
                out[k++] = e;
            break;
        case '\\': case '\'': case '"': out[k++] = e; break;
        default: out[k++] = '\\'; out[k++] = e; break;
        }
    }
    *res = out;
    *len = k;
    return 0;
}

int pstr_raw_unicode(arena *a, const uint8_t *s, size_t n, const uint8_t **res, size_t *len)
{
    if (n > SIZE_MAX / 4 - 1)
        return -2;
    uint8_t *out = arena_alloc(a, n * 4 + 1);
    if (!out)
        return -2;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = s[i];
        int digits = 0;
        if (c == '\\' && i + 1 < n && (s[i + 1] == 'u' || s[i + 1] == 'U'))
            digits = s[i + 1] == 'u' ? 4 : 8;
        if (digits && i + 1 + (size_t)digits < n + 0 && i + 2 + (size_t)digits <= n) {
            uint32_t v = 0;
            int ok = 1;
            for (int d = 0; d < digits; d++) {
                int h = hexval(s[i + 2 + (size_t)d]);
                if (h < 0)
                    ok = 0;
                v = v * 16 + (uint32_t)(h < 0 ? 0 : h);
            }
            if (ok && v <= 0x10FFFF) {
                c = v;
                i += 1 + (size_t)digits;
            }
        }
        k += put_utf8(out + k, c);
    }
    *res = out;
    *len = k;
    return 0;
}

int pstr_latin1(arena *a, const uint8_t *utf8, size_t n, const uint8_t **res, size_t *len)
{
    uint8_t *out = arena_alloc(a, n + 1);
    if (!out)
        return -2;
    size_t k = 0;
    const uint8_t *p = utf8, *e = p + n;
    while (p < e) {
        uint32_t c = *p++;
        if (c >= 0x80) {   /* only 2-byte sequences fit latin-1 */
            if ((c & 0xE0) != 0xC0 || p >= e || (*p & 0xC0) != 0x80)
                return -1;
            c = (c & 0x1F) << 6 | (*p++ & 0x3F);
            if (c > 0xFF)
                return -1;
        }
        out[k++] = (uint8_t)c;
    }
    *res = out;
    *len = k;
    return 0;
}

