/* input.c - plain / gzip / xz / bzip2 input by magic, mmap for plain files. */
#include "input.h"

#include <bzlib.h>
#include <errno.h>
#include <fcntl.h>
#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define RAW_BUF (1u << 18)

struct vqi_in {
    char *name;
    int fd;
    vqi_comp comp;
    uint64_t size, consumed;
    uint8_t *map;          /* plain file mapping */
    size_t map_len;
    size_t pos;            /* read position in the mapping */
    uint8_t *raw;          /* compressed bytes buffer */
    size_t raw_cap, raw_len, raw_pos;
    int raw_eof;
    z_stream z;
    lzma_stream x;
    bz_stream b;
    int stream_end;
    int member_done;       /* gzip: the last member ended cleanly */
    uint8_t *slurp;
};

static ssize_t read_raw(vqi_in *in, void *buf, size_t n, vqi_err *err)
{
    for (;;) {
        ssize_t r = read(in->fd, buf, n);
        if (r >= 0) {
            in->consumed += (uint64_t)r;
            return r;
        }
        if (errno != EINTR)
            return vqi_err_set(err, VQI_EXIT_FAIL, "read error: %s", strerror(errno));
    }
}

/* Refill the compressed-bytes buffer when the decoder has consumed it. */
static int fill_raw(vqi_in *in, vqi_err *err)
{
    if (in->raw_pos < in->raw_len || in->raw_eof)
        return 0;
    ssize_t r = read_raw(in, in->raw, in->raw_cap, err);
    if (r < 0)
        return -1;
    in->raw_len = (size_t)r;
    in->raw_pos = 0;
    if (r == 0)
        in->raw_eof = 1;
    return 0;
}

static vqi_comp sniff(const uint8_t *m, size_t n)
{
    if (n >= 2 && m[0] == 0x1f && m[1] == 0x8b)
        return VQI_COMP_GZIP;
    if (n >= 6 && memcmp(m, "\xfd" "7zXZ\0", 6) == 0)
        return VQI_COMP_XZ;
    if (n >= 3 && memcmp(m, "BZh", 3) == 0)
        return VQI_COMP_BZIP2;
    return VQI_COMP_NONE;
}

vqi_in *vqi_in_open(const char *path, vqi_err *err)
{
    vqi_in *in = calloc(1, sizeof *in);
    if (!in) {
        vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
        return NULL;
    }
    in->name = strdup(path);
    in->fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY | O_CLOEXEC);
    if (in->fd < 0) {
        vqi_err_set(err, VQI_EXIT_USAGE, "cannot open: %s", strerror(errno));
        free(in->name);
        free(in);
        return NULL;
    }
    struct stat st;
    if (fstat(in->fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        vqi_err_set(err, VQI_EXIT_USAGE, "is a directory");
        vqi_in_close(in);
        return NULL;
    }
    /* Standard input is read, never mapped, even when it is a regular file:
     * a mapping would start at offset 0 whatever the caller's position, and
     * its touched pages would count against the process's memory (RSS grew
     * with the file: 158 MB for a 159 MB capture through `< file`). */
    if (in->fd == 0 && fstat(0, &st) == 0 && S_ISREG(st.st_mode)) {
        off_t at = lseek(0, 0, SEEK_CUR);
        if (at >= 0 && st.st_size > at)
            in->size = (uint64_t)(st.st_size - at);
    } else if (fstat(in->fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
        in->size = (uint64_t)st.st_size;
        void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, in->fd, 0);
        if (m != MAP_FAILED) {
            in->map = m;
            in->map_len = (size_t)st.st_size;
            madvise(m, in->map_len, MADV_SEQUENTIAL);
        }
    }
    /* A small mapped file gets a buffer of its own size, not 256 KiB: many
     * tiny inputs (tests, fuzzing) otherwise pay a large allocation each. */
    in->raw_cap = in->map && in->map_len < RAW_BUF ? in->map_len : RAW_BUF;
    in->raw = malloc(in->raw_cap);
    if (!in->raw) {
        vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
        vqi_in_close(in);
        return NULL;
    }
    if (in->map) {
        in->comp = sniff(in->map, in->map_len);
        if (in->comp != VQI_COMP_NONE) {    /* decompress from the mapping */
            memcpy(in->raw, in->map, in->raw_cap);
            in->raw_len = in->raw_cap;
            in->consumed = in->raw_len;
            lseek(in->fd, (off_t)in->raw_len, SEEK_SET);
        }
    } else {
        ssize_t r = read_raw(in, in->raw, in->raw_cap, err);
        if (r < 0) {
            vqi_in_close(in);
            return NULL;
        }
        in->raw_len = (size_t)r;
        in->raw_eof = r == 0;
        in->comp = sniff(in->raw, in->raw_len);
    }
    int ok = 1;
    switch (in->comp) {
    case VQI_COMP_GZIP:
        ok = inflateInit2(&in->z, 15 + 32) == Z_OK;
        break;
    case VQI_COMP_XZ:
        ok = lzma_stream_decoder(&in->x, UINT64_MAX, LZMA_CONCATENATED) == LZMA_OK;
        break;
    case VQI_COMP_BZIP2:
        ok = BZ2_bzDecompressInit(&in->b, 0, 0) == BZ_OK;
        break;
    case VQI_COMP_NONE:
        break;
    }
    if (!ok) {
        vqi_err_set(err, VQI_EXIT_FAIL, "cannot start decompressor");
        in->comp = VQI_COMP_NONE;
        vqi_in_close(in);
        return NULL;
    }
    return in;
}

vqi_comp vqi_in_compression(const vqi_in *in) { return in->comp; }
const char *vqi_in_name(const vqi_in *in) { return in->name; }
uint64_t vqi_in_size(const vqi_in *in) { return in->size; }

uint64_t vqi_in_consumed(const vqi_in *in)
{
    return in->map && in->comp == VQI_COMP_NONE ? in->pos : in->consumed;
}

const uint8_t *vqi_in_map(vqi_in *in, size_t *len)
{
    if (!in->map || in->comp != VQI_COMP_NONE)
        return NULL;
    *len = in->map_len;
    return in->map;
}

static const char *comp_name(vqi_comp c)
{
    return c == VQI_COMP_GZIP ? "gzip" : c == VQI_COMP_XZ ? "xz" : "bzip2";
}

ssize_t vqi_in_read(vqi_in *in, void *buf, size_t n, vqi_err *err)
{
    if (n == 0)
        return 0;
    if (in->comp == VQI_COMP_NONE) {
        if (in->map) {
            size_t left = in->map_len - in->pos;
            if (n > left)
                n = left;
            memcpy(buf, in->map + in->pos, n);
            in->pos += n;
            return (ssize_t)n;
        }
        if (in->raw_pos < in->raw_len) {    /* bytes read while sniffing */
            size_t k = in->raw_len - in->raw_pos;
            if (k > n)
                k = n;
            memcpy(buf, in->raw + in->raw_pos, k);
            in->raw_pos += k;
            return (ssize_t)k;
        }
        return read_raw(in, buf, n, err);
    }
    size_t got = 0;
    while (got < n && !in->stream_end) {
        if (fill_raw(in, err) < 0)
            return -1;
        const uint8_t *src = in->raw + in->raw_pos;
        size_t avail = in->raw_len - in->raw_pos, used = 0, made = 0;
        int end = 0, bad = 0;
        if (in->comp == VQI_COMP_GZIP) {
            in->z.next_in = (Bytef *)src;
            in->z.avail_in = (uInt)avail;
            in->z.next_out = (Bytef *)buf + got;
            in->z.avail_out = (uInt)(n - got);
            int r = inflate(&in->z, Z_NO_FLUSH);
            used = avail - in->z.avail_in;
            made = (n - got) - in->z.avail_out;
            if (r == Z_STREAM_END) {
                /* concatenated gzip members: a clean end unless more follows */
                inflateReset(&in->z);
                in->member_done = 1;
            } else if (r != Z_OK && r != Z_BUF_ERROR)
                bad = 1;
            else if (used || made)
                in->member_done = 0;
        } else if (in->comp == VQI_COMP_XZ) {
            in->x.next_in = src;
            in->x.avail_in = avail;
            in->x.next_out = (uint8_t *)buf + got;
            in->x.avail_out = n - got;
            lzma_ret r = lzma_code(&in->x, in->raw_eof ? LZMA_FINISH : LZMA_RUN);
            used = avail - in->x.avail_in;
            made = (n - got) - in->x.avail_out;
            if (r == LZMA_STREAM_END)
                end = 1;
            else if (r != LZMA_OK && r != LZMA_BUF_ERROR)
                bad = 1;
        } else {
            in->b.next_in = (char *)src;
            in->b.avail_in = (unsigned)avail;
            in->b.next_out = (char *)buf + got;
            in->b.avail_out = (unsigned)(n - got);
            int r = BZ2_bzDecompress(&in->b);
            used = avail - in->b.avail_in;
            made = (n - got) - in->b.avail_out;
            if (r == BZ_STREAM_END)
                end = 1;
            else if (r != BZ_OK)
                bad = 1;
        }
        in->raw_pos += used;
        got += made;
        if (bad)
            return vqi_err_set(err, VQI_EXIT_USAGE, "corrupt %s data", comp_name(in->comp));
        if (end)
            in->stream_end = 1;
        else if (!made && !used && in->raw_eof) {
            if (got || in->member_done)
                break;
            return vqi_err_set(err, VQI_EXIT_USAGE, "truncated %s data", comp_name(in->comp));
        }
    }
    return (ssize_t)got;
}

const uint8_t *vqi_in_slurp(vqi_in *in, size_t *len, size_t max, vqi_err *err)
{
    const uint8_t *m = vqi_in_map(in, len);
    if (m) {
        if (*len > max) {
            vqi_err_set(err, VQI_EXIT_USAGE, "file larger than %zu bytes", max);
            return NULL;
        }
        return m;
    }
    size_t cap = 1u << 20, n = 0;
    uint8_t *buf = malloc(cap);
    if (!buf) {
        vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
        return NULL;
    }
    for (;;) {
        if (n == cap) {
            if (cap >= max) {
                free(buf);
                vqi_err_set(err, VQI_EXIT_USAGE, "content larger than %zu bytes", max);
                return NULL;
            }
            size_t ncap = cap * 2 > max ? max + 1 : cap * 2;
            uint8_t *nb = realloc(buf, ncap);
            if (!nb) {
                free(buf);
                vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
                return NULL;
            }
            buf = nb;
            cap = ncap;
        }
        ssize_t r = vqi_in_read(in, buf + n, cap - n, err);
        if (r < 0) {
            free(buf);
            return NULL;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    if (n > max) {
        free(buf);
        vqi_err_set(err, VQI_EXIT_USAGE, "content larger than %zu bytes", max);
        return NULL;
    }
    free(in->slurp);
    in->slurp = buf;
    *len = n;
    return buf;
}

void vqi_in_close(vqi_in *in)
{
    if (!in)
        return;
    switch (in->comp) {
    case VQI_COMP_GZIP: inflateEnd(&in->z); break;
    case VQI_COMP_XZ: lzma_end(&in->x); break;
    case VQI_COMP_BZIP2: BZ2_bzDecompressEnd(&in->b); break;
    case VQI_COMP_NONE: break;
    }
    if (in->map)
        munmap(in->map, in->map_len);
    if (in->fd > 0)
        close(in->fd);
    free(in->raw);
    free(in->slurp);
    free(in->name);
    free(in);
}
