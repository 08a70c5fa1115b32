/* capture.c - opening a capture file, recognising its format by magic, and
 * the byte source shared by the pcap and pcapng readers (mapping or stream
 * buffer).  Live captures are in capture_live.c. */
#include "capture_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* 1 MiB reads.  256 KiB (to parse the bytes while still in the VM's 1 MiB
 * L2) measured the same within the noise of the shared machine (4 pairs,
 * 1 GB capture: 1.49-2.11 s CPU either way), so the measured setting stays. */
#define STREAM_CHUNK (1u << 20)
#define SMALL_CHUNK (1u << 15)
#define MEDIUM_CHUNK (1u << 17)
#define PIPE_SIZE (1u << 20)

int vqi_capture_prefer_map = 0;

/* Why plain files are read rather than walked through the mapping: on the
 * project's 2-core VM, walking the record headers of a page-cached 106 MB
 * pcap (1.13 M records) took 0.18-0.29 s through mmap (page-fault cost)
 * and 0.05-0.09 s with 1 MiB read(2) calls into one buffer. */
static ssize_t src_read(vqi_src *s, uint8_t *buf, size_t n, vqi_err *err)
{
    if (s->fd < 0)
        return vqi_in_read(s->in, buf, n, err);
    for (;;) {
        ssize_t r = read(s->fd, buf, n);
        if (r >= 0 || errno != EINTR) {
            if (r < 0)
                vqi_err_set(err, VQI_EXIT_FAIL, "read error: %s", strerror(errno));
            return r;
        }
    }
}

const uint8_t *src_need(vqi_src *s, size_t n, size_t *avail, int *ioerr, vqi_err *err)
{
    *ioerr = 0;
    if (s->map) {
        size_t left = s->map_len - (size_t)s->offset;
        if (left >= n)
            return s->map + s->offset;
        *avail = left;
        return NULL;
    }
    while (s->end - s->start < n && !s->eof) {
        if (s->cap - s->start < n || s->end == s->cap) {
            /* move the unread bytes to the front, growing when a block needs it */
            size_t have = s->end - s->start;
            size_t want = n + s->cap;
            if (n > s->cap - (s->cap >> 2)) {      /* only for a block that (nearly) fills it */
                uint8_t *nb = malloc(want);
                if (!nb) {
                    *ioerr = 1;
                    vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
                    return NULL;
                }
                memcpy(nb, s->buf + s->start, have);
                free(s->buf);
                s->buf = nb;
                s->cap = want;
            } else {
                memmove(s->buf, s->buf + s->start, have);
            }
            s->start = 0;
            s->end = have;
        }
        ssize_t r = src_read(s, s->buf + s->end, s->cap - s->end, err);
        if (r < 0) {
            *ioerr = 1;
            return NULL;
        }
        if (r == 0)
            s->eof = 1;
        s->end += (size_t)r;
    }
    if (s->end - s->start >= n)
        return s->buf + s->start;
    *avail = s->end - s->start;
    return NULL;
}

void src_advance(vqi_src *s, size_t n)
{
    s->offset += n;
    if (!s->map)
        s->start += n;
}

void cap_damage(vqi_capture *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->warning, sizeof c->warning, fmt, ap);
    va_end(ap);
    c->done = 1;
}

/* A capture piped into stdin ("cat big.pcap | vqi windows -") went through
 * the default 64 KiB pipe: the writer and vqi's reader woke each other every
 * 64 KiB, and on the 2-core VM that ping-pong (not the reading) made the run
 * 4.4 s instead of 1 s.  A 1 MiB pipe (the unprivileged maximum; the call
 * is a no-op elsewhere) lets each read(2) take up to a whole buffer. */
static void widen_stdin_pipe(void)
{
#ifdef F_SETPIPE_SZ
    struct stat st;
    if (fstat(0, &st) == 0 && S_ISFIFO(st.st_mode) && fcntl(0, F_GETPIPE_SZ) < (int)PIPE_SIZE)
        (void)fcntl(0, F_SETPIPE_SZ, (int)PIPE_SIZE);
#endif
}

vqi_capture *vqi_capture_open(const char *path, vqi_err *err)
{
    if (strcmp(path, "-") == 0)
        widen_stdin_pipe();
    vqi_in *in = vqi_in_open(path, err);
    if (!in)
        return NULL;
    vqi_capture *c = calloc(1, sizeof *c);
    if (!c) {
        vqi_in_close(in);
        vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
        return NULL;
    }
    c->src.in = in;
    c->src.fd = -1;
    c->src.map = vqi_in_map(in, &c->src.map_len);
    if (c->src.map && !vqi_capture_prefer_map && strcmp(path, "-") != 0) {
        c->src.fd = open(path, O_RDONLY | O_CLOEXEC);
        if (c->src.fd >= 0)
            c->src.map = NULL;          /* read(2) it: faster than the mapping (above) */
    }
    if (!c->src.map) {
        /* Every fresh page of the buffer costs a fault inside read(2), 10-30 us
         * each on the project's VM: a 1 MiB buffer made 7 of the 17 ms of
         * `vqi dns` on a 2.6 MB capture, and 128 KiB still ~0.4 ms of a 9 ms
         * run, against ~0.1 ms for the four times more read(2) calls of a
         * 32 KiB one.  So files under 32 MiB get 32 KiB (a tiny file: its
         * size + 1, to see the end in one read), files under 256 MiB
         * 128 KiB, larger files, pipes and decompressed input 1 MiB. */
        uint64_t size = vqi_in_compression(in) == VQI_COMP_NONE ? vqi_in_size(in) : 0;
        if (size > 0 && size < SMALL_CHUNK)
            c->src.cap = (size_t)size + 1;
        else if (size > 0 && size < ((uint64_t)32 << 20))
            c->src.cap = SMALL_CHUNK;
        else if (size > 0 && size < ((uint64_t)256 << 20))
            c->src.cap = MEDIUM_CHUNK;
        else
            c->src.cap = STREAM_CHUNK;
        c->src.buf = malloc(c->src.cap);
        if (!c->src.buf) {
            vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
            vqi_capture_close(c);
            return NULL;
        }
    }
    size_t avail = 0;
    int ioerr;
    const uint8_t *m = src_need(&c->src, 4, &avail, &ioerr, err);
    if (!m) {
        if (!ioerr)
            vqi_err_set(err, VQI_EXIT_USAGE, "not a pcap or pcapng capture (%s)",
                        avail ? "too short" : "empty file");
        vqi_capture_close(c);
        return NULL;
    }
    uint32_t magic = rd32(m, 0);
    int r;
    if (magic == 0x0A0D0D0Au) {
        c->fmt = FMT_PCAPNG;
        r = pcapng_open(c, err);
    } else {
        c->fmt = FMT_PCAP;
        r = pcap_file_open(c, m, err);
    }
    if (r < 0) {
        vqi_capture_close(c);
        return NULL;
    }
    return c;
}

int vqi_capture_next(vqi_capture *c, vqi_frame *f, vqi_err *err)
{
    int r;
    if (c->done)
        return 0;
    switch (c->fmt) {
    case FMT_PCAP: r = pcap_file_next(c, f, err); break;
    case FMT_PCAPNG: r = pcapng_next(c, f, err); break;
    default: r = live_next(c, f, err); break;
    }
    if (r > 0)
        c->frames++;
    return r;
}

const char *vqi_capture_warning(const vqi_capture *c)
{
    return c->warning[0] ? c->warning : NULL;
}

void vqi_capture_get_stats(vqi_capture *c, vqi_capture_stats *s)
{
    memset(s, 0, sizeof *s);
    s->frames = c->frames;
    if (c->fmt == FMT_LIVE) {
        live_stats(c, s);
        return;
    }
    s->bytes_total = vqi_in_size(c->src.in);
    /* compressed input: progress counts compressed bytes read */
    s->bytes_done = c->src.map || c->src.fd >= 0 ? c->src.offset : vqi_in_consumed(c->src.in);
    if (s->bytes_total && s->bytes_done > s->bytes_total)
        s->bytes_done = s->bytes_total;
}

void vqi_capture_close(vqi_capture *c)
{
    if (!c)
        return;
    if (c->fmt == FMT_LIVE)
        live_close(c);
    vqi_in_close(c->src.in);
    if (c->src.fd >= 0)
        close(c->src.fd);
    free(c->src.buf);
    free(c->ifaces);
    free(c);
}
