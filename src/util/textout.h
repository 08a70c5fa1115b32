/* textout.h - the one place that quotes text for CSV and JSON output, and
 * the block writer of the row-per-record commands (packets, dns).
 *
 * CSV follows RFC 4180 / Python's csv.QUOTE_MINIMAL (quote a field holding a
 * comma, a quote or a line break; double the quotes).  JSON strings escape
 * quotes, backslashes and control characters; valid UTF-8 passes through and
 * any other byte is written as \u00XX, so the output is always valid JSON
 * whatever bytes a hostile input carried. */
#ifndef VQI_TEXTOUT_H
#define VQI_TEXTOUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "err.h"

void vqi_csv_field(FILE *f, const char *s);
void vqi_json_string(FILE *f, const char *s);

/* Length of the valid UTF-8 sequence starting at s (1-4), 0 if invalid. */
int vqi_utf8_seq_len(const unsigned char *s);

/* --- formatting into a buffer -------------------------------------------
 * Each vqi_put_* writes at p and returns the end of what it wrote (no NUL).
 * The caller guarantees the room (the bound is given with each function):
 * these run for every field of every row, so they neither check nor call
 * printf. */

static inline char *vqi_put_mem(char *p, const void *s, size_t n)
{
    memcpy(p, s, n);
    return p + n;
}

/* Decimal, at most 20 bytes. */
char *vqi_put_u64(char *p, uint64_t v);

/* v % 10^9 as exactly nine digits (leading zeros), 9 bytes. */
char *vqi_put_9digits(char *p, uint32_t v);

/* Epoch nanoseconds as seconds with nine decimals ("-" first when
 * negative), at most 31 bytes: what printf("%s%" PRIu64 ".%09" PRIu64)
 * printed. */
char *vqi_put_epoch_ns(char *p, int64_t ns);

/* s[0..n) as one CSV field (quoted when needed), at most 2n + 2 bytes. */
char *vqi_put_csv(char *p, const char *s, size_t n);

/* s[0..n) as a JSON string with its quotes, at most 6n + 2 bytes.  A NUL
 * byte ends the text (as in vqi_json_string). */
char *vqi_put_json(char *p, const char *s, size_t n);

/* --- block writer ------------------------------------------------------
 * Rows are formatted straight into one buffer and handed to the FILE in
 * blocks of VQI_BLOCK bytes, each one write(2) (through stdio's 4 KiB
 * buffer it was one write(2) per 4 KiB).  The FILE is made unbuffered, so
 * vqi_blockout_init must come before anything is written to it, and all
 * output should go through the block writer.  Write errors stay on the
 * FILE, where vqi_out_commit() finds them. */
#define VQI_BLOCK ((size_t)65536)

typedef struct vqi_blockout {
    FILE *f;
    char *buf;
    size_t used;
    size_t max_row;          /* room vqi_blockout_row() guarantees */
} vqi_blockout;

/* max_row: the largest row the caller will write.  -1 with err when out of
 * memory. */
int vqi_blockout_init(vqi_blockout *b, FILE *f, size_t max_row, vqi_err *err);

/* Where the next row goes: at least max_row bytes of room. */
static inline char *vqi_blockout_row(vqi_blockout *b) { return b->buf + b->used; }

void vqi_blockout_write_full(vqi_blockout *b);

/* The row just written ends at end. */
static inline void vqi_blockout_done(vqi_blockout *b, char *end)
{
    b->used = (size_t)(end - b->buf);
    if (b->used >= VQI_BLOCK)
        vqi_blockout_write_full(b);
}

/* Hand what is left to the FILE (before vqi_out_commit) and free the buffer. */
void vqi_blockout_finish(vqi_blockout *b);

/* A growable NUL-terminated text buffer ({0} is empty).  Puts never fail:
 * an allocation failure sets oom and drops the text, checked once at the end. */
typedef struct vqi_textbuf {
    char *s;
    size_t n, cap;
    int oom;
} vqi_textbuf;

void vqi_textbuf_put(vqi_textbuf *b, const char *s, size_t n);

#endif
