/* fuzz_windows.c - libFuzzer target: the whole capture pipeline behind
 * `vqi windows`, `vqi flows` and `vqi stats` over arbitrary capture bytes:
 * capture -> decode -> service -> 10-s windows (CSV rows); the flow table
 * with per-flow statistics rows (CSV or JSON lines, through the row-order
 * ring), every netml feature family (default and netml mode) and the
 * service report. */
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

/* The flow side: `vqi flows` (statistics rows through the row-order ring,
 * with a small limit so that it falls back to end order), `vqi flows
 * --features/--netml` (every feature family of every flow), `vqi stats`. */
typedef struct flows_run {
    vqi_flow_table *table;
    vqi_flow_order *order;
    vqi_flow_text text;
    vqi_featset_builder *feats;
    vqi_report *report;
} flows_run;

static int write_row(void *ctx, const char *row, size_t len, vqi_err *err)
{
    (void)ctx, (void)err;
    fwrite(row, 1, len, devnull);
    return 0;
}

static void summarize(void *ctx, vqi_flow_table *t, uint32_t slot, vqi_flow_end why)
{
    flows_run *r = ctx;
    vqi_flow_summary sum;
    const vqi_flow_info *info = vqi_flow_info_of(t, slot);
    vqi_flow_stats_summary(vqi_flow_user(t, slot), info, why, &sum);
    vqi_flow_text_summary(&r->text, &sum);
    vqi_err err;
    if (r->order && !r->text.t.oom)
        vqi_flow_order_add(r->order, info->id, (info->id & 3) ? r->text.t.s : NULL,
                           r->text.t.n, &err);
}

static int flow_packet(void *ctx, const vqi_packet *p, int ident, int remote_is_src,
                       vqi_err *err)
{
    (void)remote_is_src;
    flows_run *r = ctx;
    vqi_flow_hit hit;
    if (vqi_flow_track(r->table, p, &hit) == 1) {
        vqi_flow_stats *s = vqi_flow_user(r->table, hit.slot);
        if (hit.is_new)
            vqi_flow_stats_init(s, 42);
        vqi_flow_stats_add(s, p, hit.dir, ident);
    }
    if (vqi_featset_add(r->feats, p, ident, err) < 0 || vqi_report_add(r->report, p, ident, err) < 0)
        return -1;
    return 0;
}

static void write_features(const vqi_featset *fs, int netml, int jsonl)
{
    double *vec = malloc((vqi_feat_length(VQI_FEAT_IAT_SIZE, fs->dim) + 13) * sizeof *vec);
    vqi_flow_text w = {.jsonl = jsonl, .header = 1};
    vqi_feat_flow none = {0};
    for (int type = VQI_FEAT_STATS; vec && type <= VQI_FEAT_SAMP_SIZE; type++) {
        w.header = 1;
        vqi_flow_text_features(&w, fs, &none, type, netml, vec);
        w.header = 0;
        for (size_t i = 0; i < fs->n_flows && i < 64 && !w.t.oom; i++) {
            vqi_flow_text_features(&w, fs, &fs->flows[i], type, netml, vec);
            fwrite(w.t.s, 1, w.t.n, devnull);
        }
    }
    free(w.t.s);
    free(vec);
}

static void run_flows(const char *path, size_t size)
{
    vqi_err err;
    flows_run r = {.text.jsonl = (int)(size & 2) != 0};
    vqi_flow_config fc = {0};
    fc.user_size = sizeof(vqi_flow_stats);
    fc.max_flows = 8;              /* exercise eviction */
    fc.idle_timeout_ns = 5000000000LL;
    fc.on_evict = summarize;
    fc.ctx = &r;
    vqi_feat_options fo = {0};
    fo.netml = (int)(size & 1);    /* both modes, chosen by the input */
    r.table = vqi_flow_table_new(&fc, &err);
    r.order = vqi_flow_order_new(4096, write_row, NULL, &err);
    r.feats = vqi_featset_builder_new(&fo, &err);
    r.report = vqi_report_new(10.0, &err);
    vqi_service *svc = vqi_service_by_name("netflix", &err);
    if (r.table && r.order && r.feats && r.report && svc &&
        vqi_flow_scan(path, svc, flow_packet, &r, &err) == 0) {
        vqi_flow_table_flush(r.table);
        vqi_flow_order_finish(r.order, &err);
        vqi_featset *fs = vqi_featset_finish(r.feats, &err);
        r.feats = NULL;
        if (fs)
            write_features(fs, fo.netml, r.text.jsonl);
        vqi_featset_free(fs);
        vqi_service_report rep;
        if (vqi_report_finish(r.report, &rep, &err) == 0)
            vqi_service_report_free(&rep);
    }
    vqi_service_free(svc);
    vqi_report_free(r.report);
    vqi_featset_builder_free(r.feats);
    vqi_flow_table_free(r.table);      /* before the order: it may still summarize */
    vqi_flow_order_free(r.order);
    free(r.text.t.s);
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
    run_flows(path, size);
    close(fd);
    return 0;
}
