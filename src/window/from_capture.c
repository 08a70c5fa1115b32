/* from_capture.c - run capture -> decode -> service -> windows over a whole
 * capture file and collect the rows into a table (for `vqi predict`). */
#include "window_int.h"

#include "../capture/capture.h"
#include "../util/err.h"

typedef struct collect {
    vqi_table *t;
    const vqi_window_config *cfg;
    vqi_err *err;
} collect;

static int collect_row(void *ctx, const vqi_window_row *r)
{
    collect *c = ctx;
    return vqi_window_table_add(c->t, c->cfg, r, c->err) < 0 ? 1 : 0;
}

int vqi_windows_feed_capture(vqi_windows *w, const char *path, vqi_service *svc, vqi_err *err)
{
    vqi_capture *cap = vqi_capture_open(path, err);
    if (!cap)
        return -1;
    vqi_frame f;
    vqi_packet p;
    int rc = 0;
    uint64_t n = 0;
    vqi_capture_stats st;
    while (rc == 0) {
        int got = vqi_capture_next(cap, &f, err);
        if (got <= 0) {
            rc = got;
            break;
        }
        vqi_decode(&f, &p);
        int remote_is_src = 0;
        vqi_ident how = VQI_IDENT_NONE;
        if (p.ipver) {
            vqi_service_observe(svc, &p);
            how = vqi_service_classify(svc, &p, &remote_is_src);
        }
        rc = vqi_windows_feed(w, &p, how, remote_is_src, err);
        if ((++n & 0xfffff) == 0) {
            vqi_capture_get_stats(cap, &st);
            vqi_progress("windows", (double)st.bytes_done, (double)st.bytes_total);
        }
    }
    if (n > 0xfffff)
        vqi_progress_end();
    if (rc == 0) {
        const char *warning = vqi_capture_warning(cap);
        if (warning)
            vqi_warn(path, "%s", warning);
        rc = vqi_windows_flush(w, err);
    }
    vqi_capture_close(cap);
    return rc;
}

vqi_table *vqi_windows_table_from_capture(const char *path, vqi_service *svc,
                                          const vqi_window_config *cfg, vqi_err *err)
{
    vqi_err row_err = {{0}, 0};
    collect c = {vqi_table_new(), cfg, &row_err};
    if (!c.t) {
        vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
        return NULL;
    }
    vqi_windows *w = vqi_windows_new(cfg, collect_row, &c, err);
    int rc = w ? vqi_windows_feed_capture(w, path, svc, err) : -1;
    if (rc < 0 && row_err.msg[0])
        *err = row_err;
    vqi_windows_free(w);
    if (rc < 0) {
        vqi_table_free(c.t);
        return NULL;
    }
    return c.t;
}
