/* capture_int.h - what the capture reader's files share (not part of the
 * interface): the capture object, the byte source over util/input.h, and
 * the per-format entry points.
 *
 * The byte source gives a parser N contiguous bytes at the current offset:
 * pointers into a buffer refilled with read(2) for plain files, or from the
 * decompressor / stdin, or into the mapping of util/input.h when the file
 * cannot be reopened.  Frames point into that buffer (no copy per frame).  A pointer stays valid until the
 * next src_need() call, which is what "valid until the next
 * vqi_capture_next()" in capture.h relies on. */
#ifndef VQI_CAPTURE_INT_H
#define VQI_CAPTURE_INT_H

#include <stddef.h>
#include <stdatomic.h>
#include <stdint.h>

#include "capture.h"
#include "../util/input.h"

/* Largest record a file may hold (libpcap's and Wireshark's limit). */
#define VQI_MAX_CAPLEN (256u * 1024u)
/* Largest pcapng block accepted (Wireshark's bound): bounds the stream buffer. */
#define VQI_MAX_BLOCK (16u * 1024u * 1024u)
/* Interfaces per pcapng section: bounds the table against hostile files. */
#define VQI_MAX_IFACES 4096u

typedef struct vqi_src {
    vqi_in *in;
    int fd;                  /* plain file read with read(2), else -1 */
    const uint8_t *map;      /* whole file when plain and mapped */
    size_t map_len;
    uint8_t *buf;            /* stream mode: bytes [start, end) are unread */
    size_t cap, start, end;
    int eof;
    uint64_t offset;         /* absolute offset of the next unread byte */
} vqi_src;

/* Pointer to n bytes at the current offset, or NULL when fewer remain
 * (*avail = how many do; -1 and err on an I/O or decompression error). */
const uint8_t *src_need(vqi_src *s, size_t n, size_t *avail, int *ioerr, vqi_err *err);
void src_advance(vqi_src *s, size_t n);

typedef struct pcapng_iface {
    uint32_t linktype, snaplen;
    uint64_t units_per_sec;      /* if_tsresol as ticks per second (0 = 2^-n form) */
    uint8_t pow2;                /* if_tsresol exponent when units are 2^-n */
    int64_t offset_ns;           /* if_tsoffset in ns */
} pcapng_iface;

typedef enum { FMT_PCAP, FMT_PCAPNG, FMT_LIVE } vqi_fmt;

/* Read plain files through the mapping instead of read(2) (default 0; the
 * unit tests set it to cover both byte sources). */
extern int vqi_capture_prefer_map;

struct vqi_capture {
    vqi_fmt fmt;
    vqi_src src;
    uint64_t frames;
    uint64_t records;          /* records / blocks read (for warnings) */
    char warning[256];
    int done;
    /* pcap */
    int swap, nsec;
    uint32_t linktype, snaplen, rec_hdr_len;
    /* pcapng */
    pcapng_iface *ifaces;
    uint32_t n_ifaces, ifaces_cap;
    int64_t last_ts_ns;        /* SPB carries no time: the last one seen is used */
    /* live */
    void *pcap;                /* pcap_t * */
    atomic_int broken;         /* set by vqi_capture_break (signal handler / other thread) */
};

static inline uint16_t rd16(const uint8_t *p, int swap)
{
    uint16_t v = (uint16_t)(p[0] | p[1] << 8);
    return swap ? (uint16_t)(v >> 8 | v << 8) : v;
}

static inline uint32_t rd32(const uint8_t *p, int swap)
{
    uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                 (uint32_t)p[3] << 24;
    return swap ? __builtin_bswap32(v) : v;
}

/* Record a warning and end the input (damage after the header). */
void cap_damage(vqi_capture *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

int pcap_file_open(vqi_capture *c, const uint8_t *hdr, vqi_err *err);
int pcap_file_next(vqi_capture *c, vqi_frame *f, vqi_err *err);
int pcapng_open(vqi_capture *c, vqi_err *err);
int pcapng_next(vqi_capture *c, vqi_frame *f, vqi_err *err);
int live_next(vqi_capture *c, vqi_frame *f, vqi_err *err);
void live_stats(vqi_capture *c, vqi_capture_stats *s);
void live_close(vqi_capture *c);

#endif
