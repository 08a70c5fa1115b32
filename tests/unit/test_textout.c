/* test_textout.c - the buffer formatting and block writer of util/textout.h
 * print exactly what the printf / stdio code they replaced printed.
 * Oracles: glibc's snprintf ("%" PRIu64, "%09u", the old "%s%lu.%09lu"
 * timestamp), the FILE-based vqi_csv_field / vqi_json_string on the same
 * strings, and the concatenation of the rows for the block writer. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "util/textout.h"

static uint64_t rng_state = 0x2545F4914F6CDD1Du;

static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* vqi_put_u64 = "%" PRIu64 on every power of ten and its neighbours, the
 * 32-bit boundary, UINT64_MAX and random values of every magnitude. */
static void test_u64(void)
{
    int bad = 0, n = 0;
    char got[32], want[32];
    uint64_t vals[4096];
    int k = 0;
    vals[k++] = 0;
    vals[k++] = UINT64_MAX;
    vals[k++] = UINT32_MAX;
    vals[k++] = (uint64_t)UINT32_MAX + 1;
    for (uint64_t p = 1; p <= UINT64_MAX / 10; p *= 10) {
        vals[k++] = p - 1;
        vals[k++] = p;
        vals[k++] = p + 1;
    }
    while (k < 4096) {
        uint64_t v = rng();
        vals[k++] = v >> (rng() % 64);
    }
    for (int i = 0; i < k; i++) {
        char *e = vqi_put_u64(got, vals[i]);
        *e = 0;
        snprintf(want, sizeof want, "%" PRIu64, vals[i]);
        n++;
        if (strcmp(got, want) != 0 && bad++ < 5)
            printf("# %" PRIu64 ": got '%s'\n", vals[i], got);
    }
    CHECK(bad == 0, "vqi_put_u64 = printf %%" PRIu64 " on %d values (%d differ)", n, bad);
    char *e = vqi_put_u64(got, 18446744073709551615u);
    CHECK(e - got == 20 && memcmp(got, "18446744073709551615", 20) == 0,
          "UINT64_MAX is 20 bytes");
}

/* vqi_put_9digits = "%09u" of v % 10^9; vqi_put_epoch_ns = the timestamp
 * format vqi packets / dns printed with snprintf. */
static void test_time(void)
{
    int bad = 0;
    char got[48], want[48];
    for (int i = 0; i < 20000; i++) {
        uint32_t v = i < 10 ? (uint32_t)i * 111111111u : (uint32_t)rng();
        char *e = vqi_put_9digits(got, v);
        *e = 0;
        snprintf(want, sizeof want, "%09u", v % 1000000000u);
        if (e - got != 9 || strcmp(got, want) != 0)
            bad++;
    }
    CHECK(bad == 0, "vqi_put_9digits = %%09u of v %% 10^9 (%d differ)", bad);
    bad = 0;
    int64_t edge[] = {0, 1, -1, 999999999, 1000000000, -1000000000, 1521746170123456789,
                      INT64_MAX, INT64_MIN, INT64_MIN + 1};
    for (int i = 0; i < 20000; i++) {
        int64_t ns = i < 10 ? edge[i] : (int64_t)rng() >> (rng() % 40);
        uint64_t a = ns < 0 ? (uint64_t)0 - (uint64_t)ns : (uint64_t)ns;
        snprintf(want, sizeof want, "%s%" PRIu64 ".%09" PRIu64, ns < 0 ? "-" : "",
                 a / 1000000000u, a % 1000000000u);
        char *e = vqi_put_epoch_ns(got, ns);
        *e = 0;
        if (strcmp(got, want) != 0 && bad++ < 5)
            printf("# %" PRId64 ": got '%s' want '%s'\n", ns, got, want);
    }
    CHECK(bad == 0, "vqi_put_epoch_ns = the old snprintf timestamp (%d differ)", bad);
    char *e = vqi_put_epoch_ns(got, -1);
    *e = 0;
    CHECK_STR(got, "-0.000000001", "one nanosecond before the epoch");
    e = vqi_put_epoch_ns(got, INT64_MIN);
    CHECK(e - got <= 31, "INT64_MIN fits the 31-byte bound (%d)", (int)(e - got));
}

/* The buffer quoting = the FILE quoting of the same string. */
static void file_text(void (*fn)(FILE *, const char *), const char *s, char *out, size_t size)
{
    memset(out, 0, size);           /* nothing written leaves out unterminated */
    FILE *f = fmemopen(out, size, "w");
    fn(f, s);
    fclose(f);
}

static void test_quoting(void)
{
    const char *cases[] = {"", "plain", "a,b", "say \"hi\"", "line\nbreak", "cr\rx",
                           "\"", ",", "Ether / IP / UDP / DNS Qry \"www.netflix.com\" A",
                           "x\"\\\n\x01 caf\xc3\xa9 \xff\xc0\xaf", "\x7f\x1f", "\xe2\x82",
                           "\xf0\x9f\x98\x80 emoji", "\xed\xa0\x80 surrogate", "tab\there"};
    char got[512], want[512];
    int bad_csv = 0, bad_json = 0;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t n = strlen(cases[i]);
        char *e = vqi_put_csv(got, cases[i], n);
        *e = 0;
        file_text(vqi_csv_field, cases[i], want, sizeof want);
        if (strcmp(got, want) != 0 || (size_t)(e - got) > 2 * n + 2) {
            bad_csv++;
            printf("# csv '%s': got '%s' want '%s'\n", cases[i], got, want);
        }
        e = vqi_put_json(got, cases[i], n);
        *e = 0;
        file_text(vqi_json_string, cases[i], want, sizeof want);
        if (strcmp(got, want) != 0 || (size_t)(e - got) > 6 * n + 2) {
            bad_json++;
            printf("# json '%s': got '%s' want '%s'\n", cases[i], got, want);
        }
    }
    CHECK(bad_csv == 0, "vqi_put_csv = vqi_csv_field on %zu strings",
          sizeof cases / sizeof *cases);
    CHECK(bad_json == 0, "vqi_put_json = vqi_json_string on %zu strings",
          sizeof cases / sizeof *cases);
    /* random bytes, and every string cut at every length: the length is
     * respected (no byte past n is read into the output) */
    int bad = 0;
    for (int i = 0; i < 3000; i++) {
        char s[24];
        size_t n = 1 + rng() % (sizeof s - 1);
        for (size_t j = 0; j < n; j++)
            s[j] = (char)(1 + rng() % 255);
        s[n] = 0;
        size_t cut = rng() % (n + 1);
        char tmp[32];
        memcpy(tmp, s, cut);
        tmp[cut] = 0;
        char *e = vqi_put_json(got, s, cut);
        *e = 0;
        file_text(vqi_json_string, tmp, want, sizeof want);
        bad += strcmp(got, want) != 0;
        e = vqi_put_csv(got, s, cut);
        *e = 0;
        file_text(vqi_csv_field, tmp, want, sizeof want);
        bad += strcmp(got, want) != 0;
    }
    CHECK(bad == 0, "3000 random byte strings cut anywhere: buffer = FILE quoting (%d differ)",
          bad);
    char *e = vqi_put_json(got, "ab\0cd", 5);
    *e = 0;
    CHECK_STR(got, "\"ab\"", "a NUL ends the JSON text");
}

/* The block writer: what reaches the file is the rows in order, written in
 * blocks of VQI_BLOCK bytes (one write each) plus the rest at the end. */
static void test_blockout(void)
{
    char path[] = "/tmp/vqi-textout-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    CHECK(f != NULL, "temporary file");
    if (!f)
        return;
    vqi_blockout b;
    vqi_err err = {0};
    CHECK(vqi_blockout_init(&b, f, 300, &err) == 0, "init");
    size_t total = 0, rows = 20000;
    uint64_t sum = 0;
    for (size_t i = 0; i < rows; i++) {
        char *p = vqi_blockout_row(&b), *s = p;
        p = vqi_put_u64(p, i);
        size_t pad = rng() % 250;               /* rows of 2..256 bytes */
        memset(p, 'a' + (int)(i % 26), pad);
        p += pad;
        *p++ = '\n';
        total += (size_t)(p - s);
        for (char *c = s; c < p; c++)
            sum = sum * 31 + (unsigned char)*c;
        vqi_blockout_done(&b, p);
        if (b.used >= VQI_BLOCK) {
            CHECK(0, "a full block stays buffered after row %zu", i);
            break;
        }
    }
    long before_finish = ftell(f);
    CHECK(before_finish >= 0 && before_finish % (long)VQI_BLOCK == 0 &&
              (size_t)before_finish > total - VQI_BLOCK,
          "whole blocks are written as rows come (%ld of %zu bytes)", before_finish, total);
    vqi_blockout_finish(&b);
    CHECK(fclose(f) == 0, "close");
    FILE *r = fopen(path, "r");
    uint64_t got_sum = 0;
    size_t got_total = 0, got_rows = 0;
    int c, ordered = 1;
    uint64_t want_next = 0, num = 0;
    int in_num = 1;
    while (r && (c = fgetc(r)) != EOF) {
        got_sum = got_sum * 31 + (unsigned char)c;
        got_total++;
        if (c == '\n') {
            ordered &= num == want_next;
            want_next++;
            got_rows++;
            num = 0;
            in_num = 1;
        } else if (in_num && c >= '0' && c <= '9') {
            num = num * 10 + (uint64_t)(c - '0');
        } else {
            in_num = 0;
        }
    }
    if (r)
        fclose(r);
    unlink(path);
    CHECK(got_total == total && got_sum == sum, "file = the rows (%zu bytes)", got_total);
    CHECK(got_rows == rows && ordered, "%zu rows in order", got_rows);
}

/* The growable text buffer: appends in order, stays NUL-terminated across
 * growth (256, 512, 1024 bytes), an empty put changes nothing. */
static void test_textbuf(void)
{
    vqi_textbuf b = {0};
    vqi_textbuf_put(&b, "ab", 2);
    vqi_textbuf_put(&b, "", 0);
    CHECK(b.n == 2 && strcmp(b.s, "ab") == 0, "textbuf: \"ab\" (%zu bytes)", b.n);
    char x[700];
    memset(x, 'x', sizeof x);
    vqi_textbuf_put(&b, x, 300);
    vqi_textbuf_put(&b, x, 700);
    vqi_textbuf_put(&b, "!", 1);
    size_t xs = 0;
    for (size_t i = 2; i < 1002; i++)
        xs += b.s[i] == 'x';
    CHECK(b.n == 1003 && b.cap == 1024 && xs == 1000 && b.s[1002] == '!' && b.s[1003] == 0 &&
              !b.oom,
          "textbuf: ab + 1000 x + ! in 1024 bytes (n %zu, cap %zu)", b.n, b.cap);
    free(b.s);
}

int main(void)
{
    test_u64();
    test_time();
    test_quoting();
    test_blockout();
    test_textbuf();
    return check_done();
}
