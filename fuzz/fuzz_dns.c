/* fuzz_dns.c - libFuzzer target: one DNS message, its summary and answers. */
#include <stdint.h>

#include "dns/dns.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static vqi_dns_msg msg;    /* large: keep it off the stack */
    char text[2048];
    if (vqi_dns_parse(data, size, &msg) == 0) {
        vqi_dns_summary(&msg, text, sizeof text);
        vqi_dns_answers_text(&msg, text, sizeof text);
    }
    return 0;
}
