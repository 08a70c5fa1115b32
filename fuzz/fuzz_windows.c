/* fuzz_windows.c - libFuzzer target: the whole capture pipeline behind
 * `vqi windows` and `vqi flows` over arbitrary capture bytes: capture ->
 * decode -> service -> 10-s windows (CSV rows) and the flow table with
 * per-flow statistics and netml features. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "capture/capture.h"
#include "decode/decode.h"
#include "flow/flow.h"
#include "service/service.h"
#include "window/window.h"
#include "fuzz_memfile.h"

static FILE *devnull;

/* One thread unless FUZZ_THREADS=1: the reader/writer threads add thread
 * start-up and ~1 MB of batch buffers per input (14 inputs/s instead of
 * hundreds) and make coverage depend on scheduling.  The packets the window
 * stage sees are the same either way (tests/unit/perf.sh compares the
 * outputs), and the threaded plumbing has its own tests. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    const char *threads = getenv("FUZZ_THREADS");
    if (!(threads && threads[0] == '1'))
        setenv("VQI_THREADS", "1", 1);
    return 0;
}

static int emit_row(void *ctx, const vqi_window_row *row)
{
    const vqi_window_config *cfg = ctx;
    return vqi_window_csv_row(devnull, cfg, 0, row) < 0;
}

static void run_windows(const char *path)
{
    vqi_err err;
    vqi_window_config cfg;
    vqi_window_config_default(&cfg);
    cfg.extra_columns = 1;
    cfg.max_samples = 64;          /* exercise the sample caps */
    cfg.max_flows = 16;
    vqi_service *svc = vqi_service_by_name("youtube", &err);
    vqi_windows *w = svc ? vqi_windows_new(&cfg, emit_row, &cfg, &err) : NULL;
    if (w)
        vqi_windows_feed_capture(w, path, svc, &err);
    vqi_windows_free(w);
    vqi_service_free(svc);
}

static void summarize(void *ctx, vqi_flow_table *t, uint32_t slot, vqi_flow_end why)
{
    (void)ctx;
    vqi_flow_summary sum;
    vqi_flow_stats_summary(vqi_flow_user(t, slot), vqi_flow_info_of(t, slot), why, &sum);
}

static void run_flows(const char *path)
{
    vqi_err err;
    vqi_flow_config fc = {0};
    fc.user_size = sizeof(vqi_flow_stats);
    fc.max_flows = 8;              /* exercise eviction */
    fc.idle_timeout_ns = 5000000000LL;
    fc.on_evict = summarize;
    vqi_flow_table *ft = vqi_flow_table_new(&fc, &err);
    vqi_feat_options fo = {0};
    vqi_featset_builder *fb = vqi_featset_builder_new(&fo, &err);
    vqi_capture *c = vqi_capture_open(path, &err);
    if (c && ft && fb) {
        vqi_frame f;
        vqi_packet p;
        while (vqi_capture_next(c, &f, &err) == 1) {
            vqi_decode(&f, &p);
            vqi_flow_hit hit;
            if (vqi_flow_track(ft, &p, &hit) == 1) {
                vqi_flow_stats *s = vqi_flow_user(ft, hit.slot);
                if (hit.is_new)
                    vqi_flow_stats_init(s, 42);
                vqi_flow_stats_add(s, &p, hit.dir, 0);
            }
            if (vqi_featset_add(fb, &p, 0, &err) < 0)
                break;
        }
        vqi_flow_table_flush(ft);
        vqi_featset *fs = vqi_featset_finish(fb, &err);
        fb = NULL;
        vqi_featset_free(fs);
    }
    if (c)
        vqi_capture_close(c);
    vqi_featset_builder_free(fb);
    vqi_flow_table_free(ft);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!devnull)
        devnull = fopen("/dev/null", "w");
    vqi_warn_mute(1);
    char path[64];
    int fd = fuzz_memfile(data, size, path);
    if (fd < 0)
        return 0;
    run_windows(path);
    run_flows(path);
    close(fd);
    return 0;
}
