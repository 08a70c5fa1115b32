/* test_plot.c - the figures are valid, non-trivial files: PNG dimensions
 * from the IHDR chunk and pixels decoded (testutil.h: zlib inflate + PNG filters)
 * to count what is not background and find the series colours; SVG holds
 * paths; PDF has its header and trailer; unknown extensions are refused and
 * leave no file. */
#include "check.h"
#include "testutil.h"

#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "plot/plot.h"

static int is_ink(const image *im, uint32_t x, uint32_t y)
{
    const uint8_t *p = im->px + ((size_t)y * im->w + x) * im->channels;
    return p[0] < 250 || p[1] < 250 || p[2] < 250;
}

/* Pixels drawn on the outermost rows/columns: something (a legend, a label)
 * ran past the edge of the page and was clipped. */
static size_t border_ink(const image *im)
{
    size_t n = 0;
    for (uint32_t x = 0; x < im->w; x++)
        n += is_ink(im, x, 0) + is_ink(im, x, im->h - 1);
    for (uint32_t y = 0; y < im->h; y++)
        n += is_ink(im, 0, y) + is_ink(im, im->w - 1, y);
    return n;
}

/* Rows where the panel's left frame (page fraction 0.10, give or take a
 * pixel of antialiasing) is dark: the panel's height in pixels. */
static uint32_t frame_rows(const image *im)
{
    uint32_t rows = 0, x = im->w / 10;
    for (uint32_t y = 0; y < im->h; y++) {
        for (uint32_t dx = x - 1; dx <= x + 1; dx++) {
            const uint8_t *p = im->px + ((size_t)y * im->w + dx) * im->channels;
            if (p[0] < 180 && p[1] < 180 && p[2] < 180) {
                rows++;
                break;
            }
        }
    }
    return rows;
}

static int contains(const char *path, const char *needle)
{
    return count_in_file(path, needle) > 0;
}

static const size_t confusion[25] = {40, 5, 3, 0, 0,  4, 30, 6, 0, 0,  2, 5, 90, 8, 1,
                                     0, 0, 9, 50, 4,  0, 0, 1, 6, 25};
static const char *const labels[5] = {"240", "360", "480", "720", "1080"};
static const double classes[5] = {240, 360, 480, 720, 1080};

static void test_confusion(const char *dir)
{
    char path[256];
    vqi_err e = {0};
    snprintf(path, sizeof path, "%s/confusion.png", dir);
    CHECK(vqi_plot_confusion(path, "Confusion", confusion, labels, 5, &e) == 0,
          "confusion png written (%s)", e.msg);
    image im = {0};
    CHECK(read_png(path, &im) == 0, "confusion png decodes");
    CHECK_INT(im.w, 760, "confusion png width");
    CHECK_INT(im.h, 680, "confusion png height");
    /* the 480 row: 90 of 106 = 84.9 %, white-to-(8,48,107) at that share */
    int dark_blue[3] = {45, 80, 129}, found;
    double share = ink(&im, dark_blue, &found);
    CHECK(share > 0.2 && share < 0.9, "confusion: %.2f of the pixels are drawn", share);
    CHECK(found, "confusion: the 480/480 cell has the colour of its 84.9 %% share");
    CHECK_INT(border_ink(&im), 0, "confusion: nothing touches the image border");
    int bar_top[3] = {8, 48, 107};  /* colour map 1 at 1.0: the colour bar's top */
    ink(&im, bar_top, &found);
    CHECK(found, "confusion: colour bar up to the darkest shade");
    free(im.px);
    /* a class without true windows: grey row (no recall), not white 0 % cells */
    static const size_t empty_row[4] = {3, 1, 0, 0};
    snprintf(path, sizeof path, "%s/confusion_empty.png", dir);
    CHECK(vqi_plot_confusion(path, NULL, empty_row, labels, 2, &e) == 0, "confusion, empty row");
    int grey[3] = {235, 235, 235};
    CHECK(read_png(path, &im) == 0, "confusion (empty row) decodes");
    ink(&im, grey, &found);
    CHECK(found, "confusion: the class without windows is drawn grey");
    free(im.px);
    snprintf(path, sizeof path, "%s/confusion.svg", dir);
    CHECK(vqi_plot_confusion(path, NULL, confusion, labels, 5, &e) == 0, "confusion svg");
    CHECK(contains(path, "<svg") && contains(path, "<path"), "confusion svg has paths");
    snprintf(path, sizeof path, "%s/confusion.pdf", dir);
    CHECK(vqi_plot_confusion(path, NULL, confusion, labels, 5, &e) == 0, "confusion pdf");
    CHECK(contains(path, "%PDF-") && contains(path, "%%EOF"), "confusion pdf header/trailer");
}

static void test_roc(const char *dir)
{
    double x0[] = {0, 0.1, 0.3, 1}, y0[] = {0, 0.6, 0.9, 1};
    double x1[] = {0, 0.05, 1}, y1[] = {0, 0.8, 1};
    vqi_plot_curve c[2] = {{"240  AUC 0.87", x0, y0, 4}, {"360  AUC 0.88", x1, y1, 3}};
    char path[256];
    vqi_err e = {0};
    snprintf(path, sizeof path, "%s/roc.png", dir);
    CHECK(vqi_plot_roc(path, "ROC", c, 2, &e) == 0, "roc png written (%s)", e.msg);
    image im = {0};
    CHECK(read_png(path, &im) == 0, "roc png decodes");
    CHECK(im.w == 760 && im.h == 680, "roc png is 760x680 (got %ux%u)", im.w, im.h);
    int blue[3] = {0, 114, 178}, vermillion[3] = {213, 94, 0}, f1, f2;
    double share = ink(&im, blue, &f1);
    ink(&im, vermillion, &f2);
    CHECK(share > 0.02 && share < 0.6, "roc: %.3f of the pixels are drawn", share);
    CHECK(f1 && f2, "roc: both curves' colours present");
    CHECK_INT(border_ink(&im), 0, "roc: nothing touches the image border (legend inside)");
    free(im.px);
    snprintf(path, sizeof path, "%s/roc.svg", dir);
    CHECK(vqi_plot_roc(path, NULL, c, 2, &e) == 0 && contains(path, "<path"), "roc svg");
}

static void test_timeline(const char *dir)
{
    double t[6] = {10, 20, 30, 40, 50, 60}, pred[6] = {480, 480, 720, 720, 1080, 720};
    double truth[6] = {480, 720, 720, 720, 1080, NAN}, t2[3] = {10, 20, 30};
    double pred2[3] = {240, 360, 240};
    vqi_plot_session s[2] = {{"session a", 6, t, pred, truth}, {"session b", 3, t2, pred2, NULL}};
    char path[256];
    vqi_err e = {0};
    snprintf(path, sizeof path, "%s/timeline.png", dir);
    CHECK(vqi_plot_timeline(path, "Resolution", s, 2, classes, 5, &e) == 0,
          "timeline png written (%s)", e.msg);
    image im = {0};
    CHECK(read_png(path, &im) == 0, "timeline png decodes");
    CHECK_INT(im.w, 1000, "timeline width");
    /* 100 px + 240 per panel: the size the predict stage's tests expect */
    CHECK_INT(im.h, 100 + 2 * 240, "timeline height grows with the sessions");
    CHECK_INT(border_ink(&im), 0, "timeline: nothing touches the image border (legend inside)");
    int blue[3] = {0, 114, 178}, orange[3] = {230, 159, 0}, f1, f2;
    double share = ink(&im, blue, &f1);
    ink(&im, orange, &f2);
    CHECK(share > 0.01 && share < 0.6, "timeline: %.3f of the pixels are drawn", share);
    CHECK(f1, "timeline: predicted line drawn");
    CHECK(f2, "timeline: true line drawn");
    free(im.px);
    /* more sessions than panels: the first VQI_PLOT_MAX_SESSIONS are drawn */
    vqi_plot_session many[VQI_PLOT_MAX_SESSIONS + 3];
    for (int i = 0; i < VQI_PLOT_MAX_SESSIONS + 3; i++)
        many[i] = s[i % 2];
    snprintf(path, sizeof path, "%s/many.png", dir);
    CHECK(vqi_plot_timeline(path, NULL, many, VQI_PLOT_MAX_SESSIONS + 3, classes, 5, &e) == 0,
          "timeline of 15 sessions written");
    image big = {0};
    CHECK(read_png(path, &big) == 0 && big.h == 100 + VQI_PLOT_MAX_SESSIONS * 240,
          "at most %d panels (height %u)", VQI_PLOT_MAX_SESSIONS, big.h);
    CHECK_INT(border_ink(&big), 0, "12 panels: nothing touches the image border");
    free(big.px);
    /* one session of an hour (360 windows): one panel of 220 px (340 less the
     * 62-px header and 58-px footer), most of the page */
    static double lt[360], lp[360], ltr[360];
    for (int i = 0; i < 360; i++) {
        lt[i] = 10.0 * i;
        ltr[i] = classes[(i / 40) % 5];
        lp[i] = i % 7 ? ltr[i] : classes[(i / 40 + 1) % 5];
    }
    vqi_plot_session hour = {"hour", 360, lt, lp, ltr};
    snprintf(path, sizeof path, "%s/hour.png", dir);
    CHECK(vqi_plot_timeline(path, "an hour", &hour, 1, classes, 5, &e) == 0, "hour timeline");
    image h1 = {0};
    CHECK(read_png(path, &h1) == 0 && h1.h == 340, "hour: page of one panel (%u)", h1.h);
    uint32_t rows = frame_rows(&h1);
    CHECK(rows >= 220 && rows > h1.h * 6 / 10,
          "hour: the panel frame spans %u of %u rows (no empty band)", rows, h1.h);
    CHECK_INT(border_ink(&h1), 0, "hour: nothing touches the image border");
    free(h1.px);
    snprintf(path, sizeof path, "%s/timeline.pdf", dir);
    CHECK(vqi_plot_timeline(path, NULL, s, 2, classes, 5, &e) == 0 && contains(path, "%%EOF"),
          "timeline pdf");
    snprintf(path, sizeof path, "%s/timeline.svg", dir);
    CHECK(vqi_plot_timeline(path, NULL, s, 2, classes, 5, &e) == 0 && contains(path, "<path"),
          "timeline svg");
}

static void test_refusals(const char *dir)
{
    char path[256];
    vqi_err e = {0};
    snprintf(path, sizeof path, "%s/figure.gif", dir);
    CHECK(vqi_plot_confusion(path, NULL, confusion, labels, 5, &e) < 0 && e.code == 2,
          "unknown extension refused: %s", e.msg);
    CHECK(access(path, F_OK) != 0, "no file left for a refused figure");
    CHECK(!vqi_plot_format_ok("a.jpeg") && vqi_plot_format_ok("A.PNG"), "format by extension");
    CHECK(vqi_plot_timeline(path, NULL, NULL, 0, classes, 5, &e) < 0, "no session refused");
}

int main(void)
{
    char dir[] = "/tmp/vqi-plot-XXXXXX";
    if (!mkdtemp(dir)) {
        CHECK(0, "mkdtemp");
        return check_done();
    }
    test_confusion(dir);
    test_roc(dir);
    test_timeline(dir);
    test_refusals(dir);
    if (getenv("VQI_KEEP_PLOTS") == NULL) {
        char cmd[300];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        if (system(cmd) != 0)
            CHECK(0, "cleanup");
    } else {
        printf("# figures kept in %s\n", dir);
    }
    return check_done();
}
