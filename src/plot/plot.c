/* plot.c - PLplot stream setup (cairo driver by extension, temporary file,
 * white background, vqi's palette) and the evaluation figures: confusion
 * matrix heat map and one-vs-rest ROC curves. */
#include "plot_int.h"
#include "plplot_loader.h"

#include <math.h>
#include <plplot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* PLplot loads its drivers with libltdl, and cairo/pango keep fontconfig's
 * font cache for the life of the process: memory that is never freed by
 * design.  LeakSanitizer (make SAN=1) reads this hook; other builds ignore it. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\nleak:libltdl.so\n";
}

static const char *device_for(const char *path)
{
    const char *dot = path ? strrchr(path, '.') : NULL;
    if (!dot)
        return NULL;
    if (strcasecmp(dot, ".png") == 0)
        return "pngcairo";
    if (strcasecmp(dot, ".svg") == 0)
        return "svgcairo";
    if (strcasecmp(dot, ".pdf") == 0)
        return "pdfcairo";
    return NULL;
}

int vqi_plot_format_ok(const char *path) { return device_for(path) != NULL; }

/* PLplot reports recoverable problems through plabort(), which prints them;
 * a library must not print, so they are dropped. */
static void swallow_abort(PLCHAR_VECTOR msg) { (void)msg; }

vqi_out *plot_begin(const char *path, int width, int height, vqi_err *err)
{
    const char *dev = device_for(path);
    if (!dev)
        return vqi_err_set(err, VQI_EXIT_USAGE,
                           "unknown figure format (use .png, .svg or .pdf)"), NULL;
    if (strcmp(path, "-") == 0)
        return vqi_err_set(err, VQI_EXIT_USAGE, "a figure needs a file name"), NULL;
    if (plot_plplot_load(err) < 0)
        return NULL;
    vqi_out *o = vqi_out_open(path, err);
    if (!o)
        return NULL;
    /* PLplot closes the FILE it is given at plend(); give it its own
     * descriptor so that vqi_out still owns (and commits) the original. */
    FILE *f = vqi_out_file(o);
    fflush(f);
    int fd = dup(fileno(f));
    FILE *pf = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (!pf) {
        if (fd >= 0)
            close(fd);
        vqi_out_abort(o);
        return vqi_err_set(err, VQI_EXIT_FAIL, "cannot open the figure file"), NULL;
    }
    plsabort(swallow_abort);
    plsdev(dev);
    plsfile(pf);
    plspage(0, 0, width, height, 0, 0);
    plscolbg(255, 255, 255);
    plscmap0n(16);
    plscol0(PLOT_FG, 0, 0, 0);
    plscol0(PLOT_GRID, 200, 200, 200);
    plscol0(PLOT_WHITE, 255, 255, 255);
    /* Okabe-Ito colours: distinguishable, also for colour-blind readers */
    static const int palette[PLOT_NSERIES][3] = {
        {0, 114, 178}, {213, 94, 0}, {0, 158, 115}, {204, 121, 167},
        {230, 159, 0}, {86, 180, 233}, {240, 228, 66}, {0, 0, 0}};
    for (int i = 0; i < PLOT_NSERIES; i++)
        plscol0(PLOT_SERIES + i, palette[i][0], palette[i][1], palette[i][2]);
    plinit();
    pladv(0);
    plcol0(PLOT_FG);
    return o;
}

int plot_end(vqi_out *o, vqi_err *err)
{
    plend();
    return vqi_out_commit(o, err);
}

/* ------------------------------------------------------------ confusion */

/* The colour scale beside the matrix: the share of the row, 0 to 100 %,
 * in colour map 1, so that a reader can tell what a shade means. */
static void share_colorbar(double left, double right, double bottom, double top)
{
    plvpor(left, right, bottom, top);
    plwind(0, 1, 0, 1);
    enum { STEPS = 64 };
    for (int i = 0; i < STEPS; i++) {
        PLFLT y0 = (double)i / STEPS, y1 = (double)(i + 1) / STEPS;
        PLFLT xs[4] = {0, 1, 1, 0}, ys[4] = {y0, y0, y1, y1};
        plcol1((y0 + y1) / 2);
        plfill(4, xs, ys);
    }
    plcol0(PLOT_FG);
    plbox("bc", 0, 0, "bc", 0, 0);
    plschr(0, 0.8);
    static const char *const pct[5] = {"0", "25", "50", "75", "100"};
    for (int i = 0; i < 5; i++)
        plmtex("rv", 0.6, i / 4.0, 0.0, pct[i]);
    plmtex("r", 3.4, 0.5, 0.5, "share of the true class (%)");
    plschr(0, 1.0);
}

int vqi_plot_confusion(const char *path, const char *title, const size_t *matrix,
                       const char *const *labels, size_t k, vqi_err *err)
{
    if (k == 0 || k > 64)
        return vqi_err_set(err, VQI_EXIT_FAIL, "confusion matrix of %zu classes", k);
    vqi_out *o = plot_begin(path, 760, 680, err);
    if (!o)
        return -1;
    /* colour map 1: white to dark blue, by the share of the true class */
    PLFLT pos[2] = {0, 1}, r[2] = {1, 0.03}, g[2] = {1, 0.19}, b[2] = {1, 0.42};
    plscmap1l(1, 2, pos, r, g, b, NULL);
    const double left = 0.14, right = 0.80, bottom = 0.17, top = 0.88;
    plvpor(left, right, bottom, top);
    plwind(-0.5, (double)k - 0.5, -0.5, (double)k - 0.5);
    plscol0(PLOT_NSERIES + PLOT_SERIES, 235, 235, 235);   /* rows without windows */
    plschr(0, k > 8 ? 0.6 : 0.9);
    for (size_t i = 0; i < k; i++) {
        size_t row = 0;
        for (size_t j = 0; j < k; j++)
            row += matrix[i * k + j];
        double y = (double)(k - 1 - i);     /* first class at the top */
        for (size_t j = 0; j < k; j++) {
            double share = row ? (double)matrix[i * k + j] / (double)row : 0;
            PLFLT xs[4] = {j - 0.5, j + 0.5, j + 0.5, j - 0.5};
            PLFLT ys[4] = {y - 0.5, y - 0.5, y + 0.5, y + 0.5};
            if (row)
                plcol1(share);
            else
                plcol0(PLOT_NSERIES + PLOT_SERIES);
            plfill(4, xs, ys);
            char count[32], pct[32];
            snprintf(count, sizeof count, "%zu", matrix[i * k + j]);
            /* a class with no true windows has no recall: a dash, not 0 % */
            snprintf(pct, sizeof pct, row ? "%.1f%%" : "-", 100 * share);
            plcol0(share > 0.5 ? PLOT_WHITE : PLOT_FG);
            plptex((double)j, y + 0.08, 1, 0, 0.5, count);
            plptex((double)j, y - 0.22, 1, 0, 0.5, pct);
        }
    }
    /* thin cell borders: neighbouring pale cells stay apart */
    plcol0(PLOT_GRID);
    for (size_t c = 1; c < k; c++) {
        PLFLT a[2] = {c - 0.5, c - 0.5}, e[2] = {-0.5, (double)k - 0.5};
        plline(2, a, e);
        plline(2, e, a);
    }
    plcol0(PLOT_FG);
    plschr(0, 1.0);
    plbox("bc", 0, 0, "bc", 0, 0);
    for (size_t j = 0; j < k; j++) {
        double at = ((double)j + 0.5) / (double)k;
        plmtex("b", 1.2, at, 0.5, labels[j]);
        plmtex("lv", 0.8, 1 - at, 1.0, labels[j]);
    }
    plmtex("b", 3.0, 0.5, 0.5, "predicted resolution");
    plmtex("l", 4.5, 0.5, 0.5, "true resolution");
    plschr(0, 0.75);
    plmtex("b", 5.4, 0.5, 0.5,
           "cell: windows (count) and their share of the true class's windows; - : no such windows");
    plschr(0, 1.2);
    plmtex("t", 1.5, 0.5, 0.5, title ? title : "Confusion matrix");
    plschr(0, 1.0);
    share_colorbar(right + 0.03, right + 0.06, bottom, top);
    return plot_end(o, err);
}

/* ------------------------------------------------------------------ ROC */

int vqi_plot_roc(const char *path, const char *title, const vqi_plot_curve *curves,
                 size_t ncurves, vqi_err *err)
{
    if (ncurves == 0 || ncurves > 64)
        return vqi_err_set(err, VQI_EXIT_FAIL, "ROC figure of %zu curves", ncurves);
    for (size_t c = 0; c < ncurves; c++)
        if (curves[c].n > 0x7fffffff)
            return vqi_err_set(err, VQI_EXIT_FAIL, "ROC curve too long");
    vqi_out *o = plot_begin(path, 760, 680, err);
    if (!o)
        return -1;
    plvpor(0.12, 0.95, 0.11, 0.9);
    plwind(-0.01, 1.01, -0.01, 1.01);
    plcol0(PLOT_GRID);
    plbox("g", 0.1, 0, "g", 0.1, 0);
    plcol0(PLOT_FG);
    plbox("bcnst", 0.2, 2, "bcnstv", 0.2, 2);
    PLFLT diag[2] = {0, 1};
    pllsty(2);
    plline(2, diag, diag);
    pllsty(1);
    /* legend entries: the curves, then the dashed diagonal ("chance") */
    size_t nl = ncurves + 1;
    PLINT *opt = calloc(nl, sizeof *opt), *color = calloc(nl, sizeof *color);
    PLINT *style = calloc(nl, sizeof *style), *tcolor = calloc(nl, sizeof *tcolor);
    PLFLT *width = calloc(nl, sizeof *width);
    const char **text = calloc(nl, sizeof *text);
    if (!opt || !color || !style || !tcolor || !width || !text) {
        free(tcolor);
        free(opt);
        free(color);
        free(style);
        free(width);
        free(text);
        plend();
        vqi_out_abort(o);
        return vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
    }
    plwidth(2);
    for (size_t c = 0; c < ncurves; c++) {
        color[c] = PLOT_SERIES + (PLINT)(c % PLOT_NSERIES);
        opt[c] = PL_LEGEND_LINE;
        style[c] = 1;
        tcolor[c] = PLOT_FG;
        width[c] = 2;
        text[c] = curves[c].label ? curves[c].label : "";
        plcol0(color[c]);
        if (curves[c].n > 0)
            plline((PLINT)curves[c].n, curves[c].x, curves[c].y);
    }
    plwidth(1);
    plcol0(PLOT_FG);
    opt[ncurves] = PL_LEGEND_LINE;
    color[ncurves] = PLOT_FG;
    style[ncurves] = 2;
    tcolor[ncurves] = PLOT_FG;
    width[ncurves] = 1;
    text[ncurves] = "chance (AUC 0.5)";
    PLFLT lw, lh;
    pllegend(&lw, &lh, PL_LEGEND_BACKGROUND | PL_LEGEND_BOUNDING_BOX,
             PL_POSITION_RIGHT | PL_POSITION_BOTTOM | PL_POSITION_INSIDE, 0.03, 0.03, 0.08,
             PLOT_BG, PLOT_FG, 1, 0, 0, (PLINT)nl, opt, 1.0, 0.9, 2.0, 0.0, tcolor, text,
             NULL, NULL, NULL, NULL, color, style, width, NULL, NULL, NULL, NULL);
    plmtex("b", 3.0, 0.5, 0.5, "false positive rate");
    plmtex("l", 3.5, 0.5, 0.5, "true positive rate");
    plschr(0, 1.2);
    plmtex("t", 1.5, 0.5, 0.5, title ? title : "ROC curves (one vs rest)");
    plschr(0, 1.0);
    free(opt);
    free(color);
    free(style);
    free(width);
    free(text);
    free(tcolor);
    return plot_end(o, err);
}
