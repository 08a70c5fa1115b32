/* test_pcap_loader.c - a live capture when libpcap cannot be loaded: the
 * loader and the live reader are compiled here with a soname that does not
 * exist, so vqi_capture_open_live must fail with a message naming the
 * library (and the Debian package), exit code 1, instead of crashing.
 * (The working path is test_capture's live test and tests/unit/startup.sh.) */
#undef VQI_PCAP_SONAME
#define VQI_PCAP_SONAME "libvqi-test-missing-pcap.so.0.8"
/* These definitions take the place of libvqi.a's pcap_loader.o and
 * capture_live.o (the linker only pulls archive members for symbols still
 * undefined). */
#include "../../src/capture/pcap_loader.c"
#include "../../src/capture/capture_live.c"

#include "check.h"

static int starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

int main(void)
{
    for (int attempt = 1; attempt <= 2; attempt++) {   /* the failure is remembered */
        vqi_err err = {0};
        vqi_capture *c = vqi_capture_open_live("lo", "udp", 0, 0, &err);
        CHECK(c == NULL, "attempt %d: no live capture without libpcap", attempt);
        vqi_capture_close(c);
        CHECK(starts_with(err.msg, "live capture needs libpcap: cannot load "
                                   "libvqi-test-missing-pcap.so.0.8: "),
              "attempt %d: the message names the library: '%s'", attempt, err.msg);
        CHECK(strstr(err.msg, "No such file") || strstr(err.msg, "cannot open"),
              "attempt %d: and says why (dlerror): '%s'", attempt, err.msg);
        CHECK(strstr(err.msg, "(Debian package libpcap0.8)") != NULL,
              "attempt %d: and which package provides it", attempt);
        CHECK_INT(err.code, VQI_EXIT_FAIL, "exit code of that failure");
    }
    vqi_err err = {0};
    CHECK(vqi_pcap_load(&err) == NULL && err.msg[0], "vqi_pcap_load reports the failure too");
    /* file captures do not need libpcap at all */
    const char *fix = getenv("FIX");
    char path[512];
    snprintf(path, sizeof path, "%s/capture/real_eth_dns_udp.pcap", fix ? fix : "tests/fixtures");
    vqi_capture *c = vqi_capture_open(path, &err);
    vqi_frame f;
    CHECK(c && vqi_capture_next(c, &f, &err) == 1, "a capture file still reads: %s",
          c ? "" : err.msg);
    vqi_capture_close(c);
    return check_done();
}
