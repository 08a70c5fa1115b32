/* flow_scan.c - the capture -> decode -> service loop that flow commands
 * (vqi flows, vqi stats) run over a capture file. */
#include "flow.h"

#include "../capture/capture.h"
#include "../service/service.h"

int vqi_flow_scan(const char *path, struct vqi_service *svc, vqi_scan_fn fn, void *ctx,
                  vqi_err *err)
{
    vqi_capture *c = vqi_capture_open(path, err);
    if (!c)
        return -1;
    vqi_frame f;
    vqi_packet p;
    int rc, result = 0;
    uint64_t n = 0;
    while ((rc = vqi_capture_next(c, &f, err)) == 1) {
        vqi_decode(&f, &p);
        int ident = 0, remote_is_src = 0;
        if (svc && p.ipver) {
            vqi_service_observe(svc, &p);
            ident = (int)vqi_service_classify(svc, &p, &remote_is_src);
        }
        if (fn(ctx, &p, ident, remote_is_src, err) != 0) {
            result = -1;
            break;
        }
        if ((++n & 0xffff) == 0) {
            vqi_capture_stats st;
            vqi_capture_get_stats(c, &st);
            vqi_progress(path, (double)st.bytes_done, (double)st.bytes_total);
        }
    }
    vqi_progress_end();
    if (rc < 0)
        result = -1;
    else if (vqi_capture_warning(c))
        vqi_warn(path, "%s", vqi_capture_warning(c));
    vqi_capture_close(c);
    return result;
}
