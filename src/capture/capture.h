/* capture.h - frames from a capture file (pcap, pcapng; plain, gzip, xz,
 * bzip2) or a live interface (libpcap).
 *
 * The whole interface of the capture stage.  Formats are recognised by magic.
 * A frame's bytes stay valid until the next call to vqi_capture_next().
 * pcapng: a Simple Packet Block has no timestamp and gets the time of the
 * previous packet (0 before any); ifindex is the interface number within
 * its section; non-packet blocks (custom, statistics, ...) are skipped.
 * pcap: a record whose caplen exceeds the snaplen (when not 0) or 256 KiB is
 * damage, like a truncated record: the input ends with a warning. */
#ifndef VQI_CAPTURE_H
#define VQI_CAPTURE_H

#include <stdint.h>
#include "../util/err.h"

/* LINKTYPE_* values used across the project (tcpdump.org/linktypes). */
enum {
    VQI_LT_NULL = 0, VQI_LT_ETHERNET = 1, VQI_LT_PPP = 9, VQI_LT_RAW_OLD1 = 12,
    VQI_LT_RAW_OLD2 = 14, VQI_LT_PPP_HDLC = 50, VQI_LT_PPP_ETHER = 51,
    VQI_LT_RAW = 101, VQI_LT_LOOP = 108, VQI_LT_LINUX_SLL = 113, VQI_LT_PPI = 192,
    VQI_LT_IPV4 = 228, VQI_LT_IPV6 = 229, VQI_LT_LINUX_SLL2 = 276
};

/* Frame times are clamped to [VQI_TS_MIN, VQI_TS_MAX] (about 1896 to 2116;
 * every pcap time fits): the difference of any two fits in an int64_t, so
 * the stages after the reader subtract times without overflow checks.  Only
 * pcapng (64-bit ticks, resolutions, offsets) can reach the bounds. */
#define VQI_TS_MAX ((int64_t)1 << 62)
#define VQI_TS_MIN (-((int64_t)1 << 61))

typedef struct vqi_frame {
    int64_t ts_ns;          /* epoch nanoseconds, within [VQI_TS_MIN, VQI_TS_MAX] */
    uint32_t caplen;        /* bytes present in data */
    uint32_t wirelen;       /* original length on the wire */
    uint32_t linktype;      /* LINKTYPE_* of the frame's interface */
    uint32_t ifindex;       /* pcapng interface number (0 for pcap) */
    const uint8_t *data;
} vqi_frame;

typedef struct vqi_capture vqi_capture;

/* Open a capture file ("-" = stdin).  Errors: cannot open, not a capture. */
vqi_capture *vqi_capture_open(const char *path, vqi_err *err);

/* Open a live interface with libpcap; bpf may be NULL. */
vqi_capture *vqi_capture_open_live(const char *iface, const char *bpf, int snaplen,
                                   int promisc, vqi_err *err);

/* Next frame: 1 = frame in *f, 0 = end of input, -1 = fatal error (err).
 * Damage after at least the header (a truncated last record, a block with a
 * bad length) ends the input: returns 0 and vqi_capture_warning() says why. */
int vqi_capture_next(vqi_capture *c, vqi_frame *f, vqi_err *err);

/* Why the input ended early, or NULL when it ended cleanly. */
const char *vqi_capture_warning(const vqi_capture *c);

/* Frames delivered so far; for files also input bytes consumed / total
 * (for progress), for live captures the kernel/interface drop counts. */
typedef struct vqi_capture_stats {
    uint64_t frames;
    uint64_t bytes_done, bytes_total;
    uint64_t kernel_drops, iface_drops;
} vqi_capture_stats;
void vqi_capture_get_stats(vqi_capture *c, vqi_capture_stats *s);

/* Live captures only: stop a blocking vqi_capture_next() (signal-safe). */
void vqi_capture_break(vqi_capture *c);

void vqi_capture_close(vqi_capture *c);

#endif
