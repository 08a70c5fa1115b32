/* fuzz_memfile.h - hand fuzzer bytes to readers that take a path.
 * The bytes go into an anonymous memory file (memfd) named through
 * /proc/self/fd, so the real open/mmap code paths are exercised. */
#ifndef VQI_FUZZ_MEMFILE_H
#define VQI_FUZZ_MEMFILE_H

#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

static inline int fuzz_memfile(const uint8_t *data, size_t size, char path[64])
{
    int fd = memfd_create("fuzz", 0);
    if (fd < 0)
        return -1;
    size_t off = 0;
    while (off < size) {
        ssize_t w = write(fd, data + off, size - off);
        if (w <= 0) {
            close(fd);
            return -1;
        }
        off += (size_t)w;
    }
    snprintf(path, 64, "/proc/self/fd/%d", fd);
    return fd;
}

#endif
