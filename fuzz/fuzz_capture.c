/* fuzz_capture.c - libFuzzer target: capture reading, decoding, DNS
 * summaries and service identification over arbitrary file bytes. */
#include <stdint.h>
#include <unistd.h>

#include "capture/capture.h"
#include "decode/decode.h"
#include "dns/dns.h"
#include "service/service.h"
#include "fuzz_memfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    int fd = fuzz_memfile(data, size, path);
    if (fd < 0)
        return 0;
    vqi_err err;
    vqi_capture *c = vqi_capture_open(path, &err);
    if (c) {
        vqi_service *svc = vqi_service_by_name("youtube", &err);
        vqi_frame f;
        vqi_packet p;
        while (vqi_capture_next(c, &f, &err) == 1) {
            vqi_decode(&f, &p);
            vqi_service_observe(svc, &p);
            int remote_is_src;
            vqi_service_classify(svc, &p, &remote_is_src);
        }
        vqi_service_free(svc);
        vqi_capture_close(c);
    }
    close(fd);
    return 0;
}
