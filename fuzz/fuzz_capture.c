/* fuzz_capture.c - libFuzzer target: capture reading, decoding, the
 * `vqi packets` rows (CSV and JSON lines, with their DNS summaries) and
 * service identification (by name, with address prefixes, or by regular
 * expression) over arbitrary file bytes. */
#include <stdint.h>
#include <unistd.h>

#include "capture/capture.h"
#include "decode/decode.h"
#include "dns/dns.h"
#include "packets/packets.h"
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
        /* a catalogue service with or without address prefixes, or a
         * regular expression, chosen by the input's length */
        vqi_service *svc = (size & 1) ? vqi_service_by_regex("(^|\\.)(googlevideo|nflxvideo)\\.",
                                                             &err)
                                      : vqi_service_by_name(size & 2 ? "netflix" : "youtube", &err);
        vqi_pkt_table *csv = vqi_pkt_table_new(0, &err), *json = vqi_pkt_table_new(1, &err);
        static char row[VQI_PKT_ROW_MAX];
        vqi_frame f;
        vqi_packet p;
        while (vqi_capture_next(c, &f, &err) == 1) {
            vqi_decode(&f, &p);
            if (csv && json) {
                char *end = vqi_pkt_row(csv, &f, &p, row);
                if (end <= row || end > row + sizeof row || end[-1] != '\n')
                    __builtin_trap();           /* a row is one line within the bound */
                end = vqi_pkt_row(json, &f, &p, row);
                if (end <= row || end > row + sizeof row || end[-1] != '\n')
                    __builtin_trap();
            }
            vqi_service_observe(svc, &p);
            int remote_is_src;
            vqi_service_classify(svc, &p, &remote_is_src);
        }
        vqi_pkt_table_free(csv);
        vqi_pkt_table_free(json);
        vqi_service_free(svc);
        vqi_capture_close(c);
    }
    close(fd);
    return 0;
}
