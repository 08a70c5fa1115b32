/* fuzz_requet_log.c - libFuzzer target: the Requet player-log reader
 * (*_merged.txt, not JSON) and the per-window label lookup over what loads. */
#include <stdint.h>
#include <unistd.h>

#include "util/err.h"
#include "window/window.h"
#include "fuzz_memfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    int fd = fuzz_memfile(data, size, path);
    if (fd < 0)
        return 0;
    vqi_err err;
    vqi_warn_mute(1);
    vqi_labels *l = vqi_labels_read(path, &err);
    if (l) {
        int64_t start = vqi_labels_start_ms(l);
        size_t n = vqi_labels_count(l);
        for (size_t i = 0; i < n && i < 64; i++)
            (void)vqi_labels_interval(l, i);
        /* windows over the log's own span, plus extreme bounds (overflow) */
        for (int k = 0; k < 8; k++)
            vqi_labels_resolution(l, start + 10000 * k, start + 10000 * (k + 1));
        vqi_labels_resolution(l, INT64_MIN, INT64_MAX);
        vqi_labels_resolution(l, INT64_MAX - 1, INT64_MAX);
        vqi_labels_free(l);
    }
    close(fd);
    return 0;
}
