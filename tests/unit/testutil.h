/* testutil.h - helpers shared by the C unit tests, one version of each:
 * read a whole file, count a byte string in a file, split a tab-separated
 * line, and decode a PNG (zlib inflate + filters) into pixels with an "ink"
 * measure.  Every function is static and marked unused so a test includes
 * the header whole and only pays for what it calls. */
#ifndef VQI_TESTUTIL_H
#define VQI_TESTUTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define TESTUTIL_UNUSED __attribute__((unused))

/* The whole file, NUL-terminated (so text fixtures are C strings), its
 * length in *len.  NULL (and *len 0) if it cannot be opened or read fully.
 * void * so it assigns to char * and uint8_t * alike. */
TESTUTIL_UNUSED static void *read_whole_file(const char *path, size_t *len)
{
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    long n = -1;
    if (fseek(f, 0, SEEK_END) == 0)
        n = ftell(f);
    if (n < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return NULL;
    }
    char *s = malloc((size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    fclose(f);
    if (!s)
        return NULL;
    s[n] = '\0';
    *len = (size_t)n;
    return s;
}

/* How many times needle occurs in the file (overlapping); 0 if unreadable. */
TESTUTIL_UNUSED static size_t count_in_file(const char *path, const char *needle)
{
    size_t len, hits = 0, k = strlen(needle);
    uint8_t *b = read_whole_file(path, &len);
    for (size_t i = 0; b && i + k <= len; i++)
        hits += memcmp(b + i, needle, k) == 0;
    free(b);
    return hits;
}

/* Split a line (trailing CR/LF dropped) at tabs into at most max fields, in
 * place; the number of fields. */
TESTUTIL_UNUSED static int split_tabs(char *line, char **field, int max)
{
    int n = 0;
    line[strcspn(line, "\r\n")] = '\0';
    field[n++] = line;
    for (char *p = line; *p && n < max; p++)
        if (*p == '\t') {
            *p = '\0';
            field[n++] = p + 1;
        }
    return n;
}

/* ------------------------------------------------------------- PNG -- */

typedef struct image {
    uint32_t w, h, channels;
    uint8_t *px;           /* w*h*channels, filters undone; caller frees */
} image;

TESTUTIL_UNUSED static uint32_t png_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

TESTUTIL_UNUSED static int png_paeth(int a, int b, int c)
{
    int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/* 8-bit RGB/RGBA non-interlaced PNG (what cairo writes); 0 on success,
 * -1 (im->px NULL) otherwise. */
TESTUTIL_UNUSED static int read_png(const char *path, image *im)
{
    size_t len;
    im->px = NULL;
    uint8_t *b = read_whole_file(path, &len);
    static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (!b || len < 33 || memcmp(b, sig, 8) || memcmp(b + 12, "IHDR", 4)) {
        free(b);
        return -1;
    }
    im->w = png_be32(b + 16);
    im->h = png_be32(b + 20);
    int depth = b[24], ctype = b[25], interlace = b[28];
    im->channels = ctype == 6 ? 4 : ctype == 2 ? 3 : 0;
    if (depth != 8 || !im->channels || interlace || im->w == 0 || im->h == 0 ||
        im->w > 10000 || im->h > 10000) {
        free(b);
        return -1;
    }
    /* the IDAT payloads concatenated never exceed the file's length */
    uint8_t *z = malloc(len);
    size_t zn = 0;
    for (size_t p = 8; z && p + 12 <= len;) {
        uint32_t n = png_be32(b + p);
        if (n > len - p - 12)
            break;
        if (!memcmp(b + p + 4, "IDAT", 4)) {
            memcpy(z + zn, b + p + 8, n);
            zn += n;
        }
        p += 12 + n;
    }
    size_t stride = (size_t)im->w * im->channels;
    uLongf raw_len = (uLongf)((stride + 1) * im->h);
    uint8_t *raw = malloc(raw_len);
    int ok = z && raw && uncompress(raw, &raw_len, z, zn) == Z_OK &&
             raw_len == (stride + 1) * im->h;
    free(z);
    free(b);
    uint8_t *px = ok ? malloc(stride * im->h) : NULL;
    if (!px) {
        free(raw);
        return -1;
    }
    int bpp = (int)im->channels;
    for (size_t y = 0; y < im->h; y++) {
        const uint8_t *src = raw + y * (stride + 1) + 1;
        uint8_t *row = px + y * stride, *up = y ? row - stride : NULL;
        int filter = src[-1];
        for (size_t x = 0; x < stride; x++) {
            int a = x >= (size_t)bpp ? row[x - bpp] : 0, u = up ? up[x] : 0;
            int c = up && x >= (size_t)bpp ? up[x - bpp] : 0;
            int pred = filter == 1 ? a : filter == 2 ? u : filter == 3 ? (a + u) / 2
                     : filter == 4 ? png_paeth(a, u, c) : 0;
            row[x] = (uint8_t)(src[x] + pred);
        }
    }
    free(raw);
    im->px = px;
    return 0;
}

/* Share of pixels that are not white, and whether colour rgb (if not NULL)
 * occurs, within a small tolerance for antialiasing. */
TESTUTIL_UNUSED static double ink(const image *im, const int *rgb, int *found)
{
    size_t n = (size_t)im->w * im->h, dark = 0;
    *found = 0;
    for (size_t i = 0; i < n; i++) {
        const uint8_t *p = im->px + i * im->channels;
        if (p[0] < 250 || p[1] < 250 || p[2] < 250)
            dark++;
        if (rgb && abs(p[0] - rgb[0]) < 8 && abs(p[1] - rgb[1]) < 8 && abs(p[2] - rgb[2]) < 8)
            *found = 1;
    }
    return (double)dark / (double)n;
}

#endif
