/* input.h - reading input files, compressed or not.
 *
 * The compression is recognised by magic bytes (gzip, xz, bzip2), never by
 * the file name.  A plain file is memory-mapped so that parsers can read it
 * without copying; a compressed one is decompressed as a stream. "-" is stdin. */
#ifndef VQI_INPUT_H
#define VQI_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "err.h"

typedef struct vqi_in vqi_in;

typedef enum { VQI_COMP_NONE, VQI_COMP_GZIP, VQI_COMP_XZ, VQI_COMP_BZIP2 } vqi_comp;

vqi_in *vqi_in_open(const char *path, vqi_err *err);
void vqi_in_close(vqi_in *in);
vqi_comp vqi_in_compression(const vqi_in *in);
const char *vqi_in_name(const vqi_in *in);

/* The whole content when the file is plain and mappable, else NULL. */
const uint8_t *vqi_in_map(vqi_in *in, size_t *len);

/* Streaming read of the (decompressed) bytes: returns bytes read, 0 at end,
 * -1 on error (err filled: corrupt compressed data, I/O error). */
ssize_t vqi_in_read(vqi_in *in, void *buf, size_t n, vqi_err *err);

/* Total size of the underlying file in bytes (compressed size), 0 if unknown.
 * Together with vqi_in_consumed() it drives progress reports. */
uint64_t vqi_in_size(const vqi_in *in);
uint64_t vqi_in_consumed(const vqi_in *in);

/* Whole (decompressed) content in memory: mapped when plain, otherwise read
 * into a buffer grown as data arrives, refusing more than max bytes.
 * The returned pointer stays valid until vqi_in_close(). */
const uint8_t *vqi_in_slurp(vqi_in *in, size_t *len, size_t max, vqi_err *err);

#endif
