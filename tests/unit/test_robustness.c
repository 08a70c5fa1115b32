/* test_robustness.c - resource bounds that hostile captures could break:
 * the address hash (decode.h) used by the session index and the address set must spread IPv4-mapped
 * client addresses (which differ only in their last four bytes), or a
 * capture with many clients makes every packet walk one long probe chain. */
#include "check.h"
#include "decode/decode.h"

static void test_session_hash_spreads_ipv4(void)
{
    enum { BITS = 17, CLIENTS = 62500 };
    static unsigned char used[1u << BITS];
    size_t distinct = 0;
    for (uint32_t n = 0; n < CLIENTS; n++) {
        uint8_t a[16] = {0};
        uint32_t ip = (10u << 24) | n;                 /* 10.0.0.0 + n, ::ffff:a.b.c.d */
        a[10] = a[11] = 0xff;
        a[12] = ip >> 24, a[13] = ip >> 16, a[14] = ip >> 8, a[15] = (uint8_t)ip;
        size_t b = vqi_addr_hash(a) & ((1u << BITS) - 1);
        distinct += !used[b]++;
    }
    /* a uniform hash fills 2^17 * (1 - e^(-62500/2^17)) = 49,082 slots on
     * average; the old hash filled 2 */
    CHECK(distinct > 45000, "62,500 IPv4 clients hash to %zu distinct slots of 2^17", distinct);
}

int main(void)
{
    test_session_hash_spreads_ipv4();
    return check_done();
}
