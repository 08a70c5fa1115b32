/* test_fastfmt.c - the hand-written number and address formatting that
 * replaced printf on hot paths (bench/README.md) must print exactly what the
 * printf / inet_ntop formatting it replaced printed.  Oracles: glibc's
 * snprintf and inet_ntop on pseudo-random and edge-case values. */
#include <arpa/inet.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "decode/decode.h"
#include "table/table.h"

#ifndef FIXDIR
#define FIXDIR "tests/fixtures/fastfmt"
#endif

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* IPv4 (stored v4-mapped): every byte value in every position, plus random
 * addresses, against snprintf("%u.%u.%u.%u"). */
static void test_ipv4(void)
{
    uint8_t a[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
    char got[VQI_ADDR_STRLEN], want[VQI_ADDR_STRLEN];
    int bad = 0, n = 0;
    for (int i = 0; i < 256 + 100000; i++, n++) {
        if (i < 256) {
            a[12] = (uint8_t)i, a[13] = (uint8_t)(255 - i), a[14] = (uint8_t)(i / 3),
            a[15] = (uint8_t)(i * 7);
        } else {
            uint64_t r = rng();
            memcpy(a + 12, &r, 4);
        }
        vqi_addr_format(a, got);
        snprintf(want, sizeof want, "%u.%u.%u.%u", a[12], a[13], a[14], a[15]);
        if (strcmp(got, want) != 0 && bad++ < 5)
            printf("# ipv4: got %s, want %s\n", got, want);
    }
    CHECK(bad == 0, "ipv4 text of %d addresses equals snprintf's (%d differ)", n, bad);
}

/* IPv6 with random runs of zero groups and groups of 1 to 4 hex digits,
 * against inet_ntop (RFC 5952 for these: glibc writes a dotted quad only
 * when the first 80 bits are zero, which these never are). */
static void test_ipv6(void)
{
    uint8_t a[16];
    char got[VQI_ADDR_STRLEN], want[INET6_ADDRSTRLEN];
    int bad = 0, n = 0;
    for (int i = 0; i < 200000; i++) {
        for (int g = 0; g < 8; g++) {
            uint64_t r = rng();
            unsigned v;
            switch (r % 6) {
            case 0: case 1: v = 0; break;
            case 2: v = (unsigned)(r >> 8) & 0xF; break;
            case 3: v = (unsigned)(r >> 8) & 0xFF; break;
            case 4: v = (unsigned)(r >> 8) & 0xFFF; break;
            default: v = (unsigned)(r >> 8) & 0xFFFF; break;
            }
            a[2 * g] = (uint8_t)(v >> 8);
            a[2 * g + 1] = (uint8_t)v;
        }
        static const uint8_t zero10[10];
        if (!memcmp(a, zero10, 10))
            continue;
        n++;
        vqi_addr_format(a, got);
        inet_ntop(AF_INET6, a, want, sizeof want);
        if (strcmp(got, want) != 0 && bad++ < 5)
            printf("# ipv6: got %s, want %s\n", got, want);
    }
    CHECK(bad == 0, "ipv6 text of %d addresses equals inet_ntop's (%d differ)", n, bad);
    uint8_t lo[16] = {0};
    lo[15] = 1;
    CHECK_STR(vqi_addr_format(lo, got), "::1", "::1");
    uint8_t z[16] = {0};
    CHECK_STR(vqi_addr_format(z, got), "::", "::");
    uint8_t full[16];
    memset(full, 0xFF, sizeof full);
    CHECK_STR(vqi_addr_format(full, got), "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "all ones");
}

static double from_bits(const char *hex)
{
    uint64_t u = strtoull(hex, NULL, 16);
    double x;
    memcpy(&x, &u, sizeof x);
    return x;
}

/* Python's repr() of 2170 doubles (fixture from make_repr.py). */
static void test_python_repr(void)
{
    FILE *f = fopen(FIXDIR "/repr.txt", "r");
    CHECK(f != NULL, "open %s/repr.txt", FIXDIR);
    if (!f)
        return;
    char line[128], got[64];
    int n = 0, bad = 0;
    while (fgets(line, sizeof line, f)) {
        char hex[32], want[64];
        if (sscanf(line, "%31s %63s", hex, want) != 2)
            continue;
        n++;
        vqi_format_double(from_bits(hex), got, sizeof got);
        if (strcmp(got, want) != 0 && bad++ < 5)
            printf("# repr of %s: got %s, want %s\n", hex, got, want);
    }
    fclose(f);
    CHECK(n == 2170 && bad == 0, "repr of %d doubles equals Python's (%d differ)", n, bad);
}

/* The significant digits of formatted text (no sign, dot, exponent or
 * leading/trailing zeros). */
static void sig_digits(const char *s, char *out)
{
    int k = 0;
    for (; *s && *s != 'e'; s++)
        if (*s >= '0' && *s <= '9' && (k > 0 || *s != '0'))
            out[k++] = *s;
    while (k > 1 && out[k - 1] == '0')
        k--;
    out[k] = 0;
}

/* Millions of random doubles against glibc: the digits are the shortest of
 * 15/16/17 correctly rounded digits that strtod reads back as x. */
static void test_against_glibc(void)
{
    int n = 0, bad = 0;
    for (int i = 0; i < 400000; i++) {
        uint64_t r = rng();
        double x;
        switch (i % 4) {
        case 0: x = pow(10, -4.5 + 20.0 * (double)(r >> 11) / 9007199254740992.0); break;
        case 1: x = (double)(r % 100000000) / (double)(1 + (r >> 40) % 100000); break;
        case 2: x = (double)(r >> 11) / 9007199254740992.0 * 3000.0; break;
        default: {                  /* neighbours of short decimals: ties, 9s */
            double base = (double)(r % 1000000) / 1000.0;
            x = nextafter(base, (r >> 63) ? 0 : INFINITY);
            break;
        }
        }
        if (!(x > 0) || !isfinite(x))
            continue;
        n++;
        char buf[48], want[24], got_d[48], got[48];
        int prec;
        for (prec = 15; prec <= 17; prec++) {
            snprintf(buf, sizeof buf, "%.*e", prec - 1, x);
            if (prec == 17 || strtod(buf, NULL) == x)
                break;
        }
        sig_digits(buf, want);
        vqi_format_double(x, got, sizeof got);
        sig_digits(got, got_d);
        if ((strcmp(got_d, want) != 0 || strtod(got, NULL) != x) && bad++ < 5)
            printf("# %.17g: got %s, want digits %s\n", x, got, want);
    }
    CHECK(bad == 0, "shortest digits of %d random doubles equal glibc's (%d differ)", n, bad);
}

/* numpy's str() of (k, 1) float arrays, as in 10_EWMA_chunksizes. */
static void test_numpy_arrays(void)
{
    FILE *f = fopen(FIXDIR "/arrays.txt", "r");
    CHECK(f != NULL, "open %s/arrays.txt", FIXDIR);
    if (!f)
        return;
    char line[4096];
    int n = 0, bad = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        char *tab = strchr(line, '\t');
        if (!tab)
            continue;
        *tab = 0;
        double v[16];
        uint32_t k = 0;
        for (char *h = strtok(line, ","); h && k < 16; h = strtok(NULL, ","))
            v[k++] = from_bits(h);
        char want[2048];
        size_t w = 0;
        for (const char *p = tab + 1; *p && w < sizeof want - 1; p++) {
            if (p[0] == '\\' && p[1] == 'n') {
                want[w++] = '\n';
                p++;
            } else
                want[w++] = *p;
        }
        want[w] = 0;
        vqi_array a = {v, k, 2, {k, 1}, 0};
        char *got = vqi_array_text(&a);
        n++;
        if ((!got || strcmp(got, want) != 0) && bad++ < 3)
            printf("# array %d: got '%s', want '%s'\n", n, got ? got : "(null)", want);
        free(got);
    }
    fclose(f);
    CHECK(n == 150 && bad == 0, "numpy str() of %d arrays equals numpy's (%d differ)", n, bad);
}

int main(void)
{
    test_ipv4();
    test_ipv6();
    test_python_repr();
    test_against_glibc();
    test_numpy_arrays();
    return check_done();
}
