/* textout.c - CSV field quoting, JSON string escaping, number formatting
 * without printf and the block writer (see textout.h). */
#include "textout.h"

#include <stdlib.h>
#include <string.h>

void vqi_csv_field(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

int vqi_utf8_seq_len(const unsigned char *s)
{
    if (s[0] < 0x80)
        return 1;
    int n = s[0] >= 0xc2 && s[0] <= 0xdf ? 2 : s[0] >= 0xe0 && s[0] <= 0xef ? 3
          : s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : 0;
    for (int i = 1; i < n; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    /* overlong 3/4-byte forms, surrogates and code points past U+10FFFF */
    if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] > 0x9f) ||
        (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] > 0x8f))
        return 0;
    return n;
}

void vqi_json_string(FILE *f, const char *s)
{
    const unsigned char *c = (const unsigned char *)s;
    fputc('"', f);
    while (*c) {
        if (*c == '"' || *c == '\\') {
            fputc('\\', f);
            fputc(*c++, f);
        } else if (*c < 0x20) {
            fprintf(f, "\\u%04x", *c++);
        } else {
            int n = vqi_utf8_seq_len(c);
            if (n == 0)
                fprintf(f, "\\u%04x", *c++);
            else {
                fwrite(c, 1, (size_t)n, f);
                c += n;
            }
        }
    }
    fputc('"', f);
}

/* Two digits per division: numbers are written for every field of every row. */
static const char digit_pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/* Numbers below 2^32 (lengths, ports, ids, seconds until 2106) in 32-bit
 * arithmetic, digits counted by comparisons and written from the end two at
 * a time: no temporary, no variable-length copy. */
static char *put_u32(char *p, uint32_t v)
{
    unsigned n = v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : v < 10000 ? 4 : v < 100000 ? 5
               : v < 1000000 ? 6 : v < 10000000 ? 7 : v < 100000000 ? 8
               : v < 1000000000 ? 9 : 10;
    char *end = p + n;
    p = end;
    while (v >= 100) {
        uint32_t d = v % 100;
        v /= 100;
        p -= 2;
        p[0] = digit_pairs[2 * d];
        p[1] = digit_pairs[2 * d + 1];
    }
    if (v >= 10) {
        p[-2] = digit_pairs[2 * v];
        p[-1] = digit_pairs[2 * v + 1];
    } else {
        p[-1] = (char)('0' + v);
    }
    return end;
}

char *vqi_put_u64(char *p, uint64_t v)
{
    if (v <= UINT32_MAX)
        return put_u32(p, (uint32_t)v);
    /* the high part has at most 11 digits; the low 9 with leading zeros */
    p = vqi_put_u64(p, v / 1000000000u);
    return vqi_put_9digits(p, (uint32_t)(v % 1000000000u));
}

char *vqi_put_9digits(char *p, uint32_t v)
{
    /* one digit, then two groups of four as pairs: divisions by constants
     * that do not depend on each other */
    v %= 1000000000u;
    uint32_t hi4 = v / 10000 % 10000, lo4 = v % 10000;
    p[0] = (char)('0' + v / 100000000u);
    memcpy(p + 1, digit_pairs + 2 * (hi4 / 100), 2);
    memcpy(p + 3, digit_pairs + 2 * (hi4 % 100), 2);
    memcpy(p + 5, digit_pairs + 2 * (lo4 / 100), 2);
    memcpy(p + 7, digit_pairs + 2 * (lo4 % 100), 2);
    return p + 9;
}

char *vqi_put_epoch_ns(char *p, int64_t ns)
{
    uint64_t a = ns < 0 ? (uint64_t)0 - (uint64_t)ns : (uint64_t)ns;
    if (ns < 0)
        *p++ = '-';
    p = vqi_put_u64(p, a / 1000000000u);
    *p++ = '.';
    return vqi_put_9digits(p, (uint32_t)(a % 1000000000u));
}

char *vqi_put_csv(char *p, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && s[i] != ',' && s[i] != '"' && s[i] != '\r' && s[i] != '\n')
        i++;
    if (i == n)
        return vqi_put_mem(p, s, n);
    *p++ = '"';
    for (i = 0; i < n; i++) {
        if (s[i] == '"')
            *p++ = '"';
        *p++ = s[i];
    }
    *p++ = '"';
    return p;
}

static char *put_u_escape(char *p, unsigned char c)
{
    static const char hex[] = "0123456789abcdef";
    return vqi_put_mem(p, (const char[]){'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]}, 6);
}

char *vqi_put_json(char *p, const char *s, size_t n)
{
    const unsigned char *c = (const unsigned char *)s, *end = c + n;
    *p++ = '"';
    while (c < end && *c) {
        if (*c == '"' || *c == '\\') {
            *p++ = '\\';
            *p++ = (char)*c++;
        } else if (*c < 0x20) {
            p = put_u_escape(p, *c++);
        } else if (*c < 0x80) {
            *p++ = (char)*c++;
        } else {
            /* vqi_utf8_seq_len reads up to 4 bytes: only where they exist */
            unsigned char seq[4] = {0, 0, 0, 0};
            memcpy(seq, c, (size_t)(end - c) < 4 ? (size_t)(end - c) : 4);
            int k = vqi_utf8_seq_len(seq);
            if (k == 0) {
                p = put_u_escape(p, *c++);
            } else {
                p = vqi_put_mem(p, c, (size_t)k);
                c += k;
            }
        }
    }
    *p++ = '"';
    return p;
}

int vqi_blockout_init(vqi_blockout *b, FILE *f, size_t max_row, vqi_err *err)
{
    /* Unbuffered: a buffered FILE first tops up its 4 KiB buffer from each
     * block, so every block cost a copy and two write(2) calls. */
    setvbuf(f, NULL, _IONBF, 0);
    b->f = f;
    b->used = 0;
    b->max_row = max_row;
    b->buf = malloc(VQI_BLOCK + max_row);
    if (!b->buf)
        return vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
    return 0;
}

void vqi_blockout_write_full(vqi_blockout *b)
{
    size_t full = b->used - b->used % VQI_BLOCK;
    fwrite(b->buf, 1, full, b->f);
    b->used -= full;
    memmove(b->buf, b->buf + full, b->used);
}

void vqi_blockout_finish(vqi_blockout *b)
{
    if (b->buf && b->used)
        fwrite(b->buf, 1, b->used, b->f);
    free(b->buf);
    b->buf = NULL;
    b->used = 0;
}

void vqi_textbuf_put(vqi_textbuf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *ns = realloc(b->s, cap);
        if (!ns) {
            b->oom = 1;
            return;
        }
        b->s = ns;
        b->cap = cap;
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}
