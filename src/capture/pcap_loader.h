/* pcap_loader.h - libpcap is loaded with dlopen() when a live capture is
 * opened (see pcap_loader.c), not linked: only `vqi monitor -i` needs it,
 * and linking it made every vqi process load libpcap and its dependencies
 * (libdbus, libsystemd, libgcrypt, ...) at start-up.  Internal to the
 * capture stage (capture_live.c); not part of capture.h's interface. */
#ifndef VQI_PCAP_LOADER_H
#define VQI_PCAP_LOADER_H

#include <pcap/pcap.h>

#include "../util/err.h"

/* The libpcap functions capture_live.c calls, typed from pcap.h's
 * declarations so that a signature mismatch is a compile error. */
#define VQI_PCAP_FUNCTIONS(X) \
    X(pcap_activate) X(pcap_breakloop) X(pcap_close) X(pcap_compile) X(pcap_create) \
    X(pcap_datalink) X(pcap_freecode) X(pcap_get_tstamp_precision) X(pcap_geterr) \
    X(pcap_next_ex) X(pcap_set_promisc) X(pcap_set_snaplen) X(pcap_set_timeout) \
    X(pcap_set_tstamp_precision) X(pcap_setfilter) X(pcap_stats) X(pcap_statustostr)

#define VQI_PCAP_MEMBER(name) __typeof__(name) *name;
typedef struct vqi_pcap_api {
    VQI_PCAP_FUNCTIONS(VQI_PCAP_MEMBER)
} vqi_pcap_api;
#undef VQI_PCAP_MEMBER

/* Load libpcap (once per process, thread-safe) and return its functions, or
 * NULL with err filled ("cannot load libpcap.so.0.8: ...", VQI_EXIT_FAIL)
 * when the library or one of the functions is missing. */
const vqi_pcap_api *vqi_pcap_load(vqi_err *err);

/* The same table, for code that holds a pcap_t (which only exists after a
 * successful vqi_capture_open_live, hence a successful load): no lock, so
 * usable from vqi_capture_break in a signal handler.  Not filled before. */
extern const vqi_pcap_api *const vqi_pcap;

#endif
