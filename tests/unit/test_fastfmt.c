/* test_fastfmt.c - the hand-written number and address formatting that
 * replaced printf on hot paths (bench/README.md) must print exactly what the
 * printf / inet_ntop formatting it replaced printed.  Oracles: glibc's
 * snprintf and inet_ntop on pseudo-random and edge-case values. */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "decode/decode.h"

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

int main(void)
{
    test_ipv4();
    test_ipv6();
    return check_done();
}
