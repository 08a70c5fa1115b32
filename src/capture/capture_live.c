/* capture_live.c - frames from a live interface through libpcap
 * (pcap_create / pcap_activate, optional BPF filter, nanosecond timestamps
 * when the platform offers them, pcap_next_ex with a short timeout so that
 * vqi_capture_break() is noticed promptly).  libpcap is loaded on the first
 * vqi_capture_open_live() (pcap_loader.c), so file captures never load it. */
#include "capture_int.h"
#include "pcap_loader.h"

#include <stdlib.h>
#include <string.h>

#define LIVE_TIMEOUT_MS 200

static void live_fail(vqi_capture *c, pcap_t *p, vqi_err *err, int code, const char *what,
                      const char *detail)
{
    vqi_err_set(err, code, "%s: %s", what, detail && *detail ? detail : "failed");
    if (p)
        vqi_pcap->pcap_close(p);
    free(c);
}

vqi_capture *vqi_capture_open_live(const char *iface, const char *bpf, int snaplen,
                                   int promisc, vqi_err *err)
{
    char ebuf[PCAP_ERRBUF_SIZE] = "";
    if (!vqi_pcap_load(err))
        return NULL;
    vqi_capture *c = calloc(1, sizeof *c);
    if (!c) {
        vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
        return NULL;
    }
    c->fmt = FMT_LIVE;
    c->src.fd = -1;
    pcap_t *p = vqi_pcap->pcap_create(iface, ebuf);
    if (!p) {
        live_fail(c, NULL, err, VQI_EXIT_USAGE, "cannot open interface", ebuf);
        return NULL;
    }
    vqi_pcap->pcap_set_snaplen(p, snaplen > 0 ? snaplen : 262144);
    vqi_pcap->pcap_set_promisc(p, promisc ? 1 : 0);
    vqi_pcap->pcap_set_timeout(p, LIVE_TIMEOUT_MS);
    vqi_pcap->pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO);  /* falls back to µs */
    int r = vqi_pcap->pcap_activate(p);
    if (r < 0) {
        live_fail(c, p, err, VQI_EXIT_USAGE, "cannot capture",
                  r == PCAP_ERROR ? vqi_pcap->pcap_geterr(p) : vqi_pcap->pcap_statustostr(r));
        return NULL;
    }
    if (bpf && *bpf) {
        struct bpf_program prog;
        if (vqi_pcap->pcap_compile(p, &prog, bpf, 1, PCAP_NETMASK_UNKNOWN) < 0) {
            live_fail(c, p, err, VQI_EXIT_USAGE, "bad filter", vqi_pcap->pcap_geterr(p));
            return NULL;
        }
        r = vqi_pcap->pcap_setfilter(p, &prog);
        vqi_pcap->pcap_freecode(&prog);
        if (r < 0) {
            live_fail(c, p, err, VQI_EXIT_FAIL, "cannot set filter", vqi_pcap->pcap_geterr(p));
            return NULL;
        }
    }
    c->nsec = vqi_pcap->pcap_get_tstamp_precision(p) == PCAP_TSTAMP_PRECISION_NANO;
    c->linktype = (uint32_t)vqi_pcap->pcap_datalink(p);
    c->pcap = p;
    return c;
}

int live_next(vqi_capture *c, vqi_frame *f, vqi_err *err)
{
    pcap_t *p = c->pcap;
    for (;;) {
        if (c->broken)
            return 0;
        struct pcap_pkthdr *h;
        const u_char *data;
        int r = vqi_pcap->pcap_next_ex(p, &h, &data);
        if (r == 1) {
            /* clamped as every frame time (capture.h); -r FILE is read by libpcap */
            int64_t sec = (int64_t)h->ts.tv_sec;
            if (sec >= VQI_TS_MAX / 1000000000)
                f->ts_ns = VQI_TS_MAX;
            else if (sec <= VQI_TS_MIN / 1000000000)
                f->ts_ns = VQI_TS_MIN;
            else
                f->ts_ns = sec * 1000000000 + (int64_t)h->ts.tv_usec * (c->nsec ? 1 : 1000);
            if (f->ts_ns > VQI_TS_MAX)              /* a second short of it, plus a huge fraction */
                f->ts_ns = VQI_TS_MAX;
            f->caplen = h->caplen;
            f->wirelen = h->len;
            f->linktype = c->linktype;
            f->ifindex = 0;
            f->data = data;
            return 1;
        }
        if (r == 0)
            continue;              /* timeout: look at the break flag again */
        if (r == PCAP_ERROR_BREAK)
            return 0;
        return vqi_err_set(err, VQI_EXIT_FAIL, "capture failed: %s", vqi_pcap->pcap_geterr(p));
    }
}

void live_stats(vqi_capture *c, vqi_capture_stats *s)
{
    struct pcap_stat ps;
    if (c->pcap && vqi_pcap->pcap_stats(c->pcap, &ps) == 0) {
        s->kernel_drops = ps.ps_drop;
        s->iface_drops = ps.ps_ifdrop;
    }
}

void vqi_capture_break(vqi_capture *c)
{
    if (!c || c->fmt != FMT_LIVE)
        return;
    c->broken = 1;
    if (c->pcap)
        vqi_pcap->pcap_breakloop(c->pcap);
}

void live_close(vqi_capture *c)
{
    if (c->pcap)
        vqi_pcap->pcap_close(c->pcap);
    c->pcap = NULL;
}
