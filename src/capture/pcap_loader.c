/* pcap_loader.c - libpcap loaded with dlopen() on the first live capture.
 * Linking -lpcap cost every vqi process the loading and relocation of
 * libpcap and what it pulls in (libdbus, libsystemd, libcap, libgcrypt,
 * libzstd, liblz4, libgpg-error), although only live capture uses it; file
 * captures are read by vqi's own pcap/pcapng readers. */
#include "pcap_loader.h"

#include <pthread.h>

#include "../util/dynlib.h"

/* The Makefile passes the soname of the installed -dev package's library. */
#ifndef VQI_PCAP_SONAME
#define VQI_PCAP_SONAME "libpcap.so.0.8"
#endif

static pthread_once_t pcap_once = PTHREAD_ONCE_INIT;
static vqi_pcap_api pcap_api;
static int pcap_loaded;
const vqi_pcap_api *const vqi_pcap = &pcap_api;
static char pcap_load_error[400];

#define PCAP_SYM(name) {#name, (void **)&pcap_api.name},
static const vqi_dynsym pcap_syms[] = {VQI_PCAP_FUNCTIONS(PCAP_SYM)};
#undef PCAP_SYM

static void pcap_load(void)
{
    pcap_loaded = vqi_dynlib_load(VQI_PCAP_SONAME, pcap_syms, sizeof pcap_syms / sizeof *pcap_syms,
                                  pcap_load_error, sizeof pcap_load_error) == 0;
}

const vqi_pcap_api *vqi_pcap_load(vqi_err *err)
{
    pthread_once(&pcap_once, pcap_load);
    if (pcap_loaded)
        return &pcap_api;
    vqi_err_set(err, VQI_EXIT_FAIL,
                "live capture needs libpcap: cannot load %s: %s (Debian package libpcap0.8)",
                VQI_PCAP_SONAME, pcap_load_error);
    return NULL;
}
