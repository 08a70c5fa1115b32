/* test_util.c - statistics, output files and compressed input. */
#include "check.h"

#include <stdlib.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/input.h"
#include "util/output.h"
#include "util/stats.h"
#include "util/textout.h"

static void test_stats(void)
{
    /* Expected values from numpy / scipy (hand-checked):
     * np.std([1,2,3,4,10]) = 3.1622776601683795,
     * np.percentile([1,2,3,4,10], [25,50,90]) = 2, 3, 7.6,
     * population moments (numpy): skew 1.1384199576606167, excess kurtosis -0.212 */
    double v[] = {4, 2, 10, 1, 3};
    vqi_summary s = vqi_summarize(v, 5);
    CHECK_NEAR(s.mean, 4.0, 1e-12, "mean");
    CHECK_NEAR(s.std, 3.1622776601683795, 1e-12, "population std");
    CHECK_NEAR(s.skew, 1.1384199576606167, 1e-12, "skewness");
    CHECK_NEAR(s.kurt, -0.212, 1e-12, "excess kurtosis");
    CHECK_NEAR(s.min, 1, 0, "min");
    CHECK_NEAR(s.max, 10, 0, "max");
    double scratch[5];
    CHECK_NEAR(vqi_quantile(v, 5, 0.25, scratch), 2.0, 1e-12, "q25");
    CHECK_NEAR(vqi_quantile(v, 5, 0.5, scratch), 3.0, 1e-12, "median");
    CHECK_NEAR(vqi_quantile(v, 5, 0.9, scratch), 7.6, 1e-12, "q90");
    vqi_summary e = vqi_summarize(NULL, 0);
    CHECK(e.n == 0 && e.mean == 0 && e.std == 0 && e.kurt == 0, "empty summary is zero");
    double same[] = {7, 7, 7};
    vqi_summary c = vqi_summarize(same, 3);
    CHECK(c.skew == 0 && c.kurt == -3.0, "constant data: skew 0, kurtosis -3 (course rows)");
    vqi_running r = {0};
    for (int i = 0; i < 5; i++)
        vqi_running_add(&r, v[i]);
    CHECK_NEAR(vqi_running_std(&r), 3.1622776601683795, 1e-12, "running std");
}

static void test_output(void)
{
    char dir[] = "/tmp/vqi-test-XXXXXX";
    if (!mkdtemp(dir)) {
        CHECK(0, "mkdtemp");
        return;
    }
    char path[256];
    snprintf(path, sizeof path, "%s/out.txt", dir);
    vqi_err e = {0};
    vqi_out *o = vqi_out_open(path, &e);
    CHECK(o != NULL, "open output");
    fputs("partial", vqi_out_file(o));
    CHECK(access(path, F_OK) != 0, "no file under the final name before commit");
    vqi_out_abort(o);
    CHECK(access(path, F_OK) != 0, "aborted output leaves no file");
    o = vqi_out_open(path, &e);
    fputs("whole\n", vqi_out_file(o));
    CHECK(vqi_out_commit(o, &e) == 0, "commit");
    CHECK(access(path, F_OK) == 0, "committed output exists");
    struct stat st;
    mode_t mask = umask(0);
    umask(mask);
    CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == (0666 & ~mask),
          "committed output has the creat() mode (0%o)", (unsigned)(st.st_mode & 0777));
    unlink(path);
    rmdir(dir);
}

static void test_input(void)
{
    /* "hello\n" compressed by gzip, xz and bzip2 (bytes made with the tools). */
    static const unsigned char gz[] = {
        0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xcb, 0x48, 0xcd,
        0xc9, 0xc9, 0xe7, 0x02, 0x00, 0x20, 0x30, 0x3a, 0x36, 0x06, 0x00, 0x00, 0x00};
    char path[] = "/tmp/vqi-in-XXXXXX";
    int fd = mkstemp(path);
    CHECK(write(fd, gz, sizeof gz) == (ssize_t)sizeof gz, "write gz fixture");
    close(fd);
    vqi_err e = {0};
    vqi_in *in = vqi_in_open(path, &e);
    CHECK(in && vqi_in_compression(in) == VQI_COMP_GZIP, "gzip detected by magic");
    char buf[64];
    ssize_t n = in ? vqi_in_read(in, buf, sizeof buf, &e) : -1;
    CHECK(n == 6 && memcmp(buf, "hello\n", 6) == 0, "gzip content");
    CHECK(in && vqi_in_read(in, buf, sizeof buf, &e) == 0, "gzip end");
    vqi_in_close(in);
    /* truncated gzip: an error, not a silent short read */
    fd = open(path, O_WRONLY | O_TRUNC);
    CHECK(write(fd, gz, 14) == 14, "write truncated gz");
    close(fd);
    in = vqi_in_open(path, &e);
    ssize_t total = 0, r;
    while (in && (r = vqi_in_read(in, buf, sizeof buf, &e)) > 0)
        total += r;
    CHECK(in && r < 0, "truncated gzip reported (%s)", e.msg);
    vqi_in_close(in);
    unlink(path);
}

static void test_textout(void)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    vqi_csv_field(f, "plain");
    fputc('|', f);
    vqi_csv_field(f, "a,b \"q\"");
    fputc('|', f);
    vqi_json_string(f, "x\"\\\n\x01 caf\xc3\xa9 \xff\xc0\xaf");
    fclose(f);
    /* expected by hand: RFC 4180 quoting; JSON escapes; valid UTF-8 (é) kept,
     * invalid bytes (0xff, overlong 0xc0 0xaf) as \u00XX */
    CHECK_STR(buf, "plain|\"a,b \"\"q\"\"\"|\"x\\\"\\\\\\u000a\\u0001 caf\xc3\xa9 \\u00ff\\u00c0\\u00af\"",
              "csv field and json string");
    free(buf);
}

int main(void)
{
    test_textout();
    test_stats();
    test_output();
    test_input();
    return check_done();
}
