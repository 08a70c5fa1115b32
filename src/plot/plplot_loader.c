/* plplot_loader.c - the PLplot functions the figures call, each forwarding
 * to libplplot loaded with dlopen() on first use.  plplot.h maps pl* names to
 * c_pl* ones; these definitions take their place so that vqi is not linked
 * against libplplot (and its cairo/pango dependencies), which every vqi
 * process paid for at start-up even without drawing.  If the library cannot
 * be loaded the functions do nothing and plot_plplot_load() reports why;
 * plot_begin calls it before anything else. */
#include "plplot_loader.h"

#include <plplot.h>
#include <pthread.h>
#include <stdio.h>

#include "../util/dynlib.h"

/* The Makefile passes the soname of the installed -dev package's library. */
#ifndef VQI_PLPLOT_SONAME
#define VQI_PLPLOT_SONAME "libplplot.so.17"
#endif

/* One pointer per function, typed from plplot.h's declaration so that a
 * signature mismatch is a compile error.  None of them is variadic. */
#define PL_FUNCTIONS(X) \
    X(c_pladv) X(c_plbox) X(c_plcol0) X(c_plcol1) X(c_plend) X(c_plfill) X(c_plinit) \
    X(c_pllegend) X(c_plline) X(c_pllsty) X(c_plmtex) X(c_plptex) X(c_plschr) \
    X(c_plscmap0n) X(c_plscmap1l) X(c_plscol0) X(c_plscolbg) X(c_plsdev) X(c_plsmaj) \
    X(c_plsmin) X(c_plspage) X(c_plvpor) X(c_plwidth) X(c_plwind) X(plsabort) X(plsfile)

#define PL_POINTER(name) static __typeof__(name) *real_##name;
PL_FUNCTIONS(PL_POINTER)
#define PL_SYM(name) VQI_DYNSYM(real_, name)

static pthread_once_t pl_once = PTHREAD_ONCE_INIT;
static int pl_loaded;
static char pl_load_error[400];

static const vqi_dynsym pl_syms[] = {PL_FUNCTIONS(PL_SYM)};

/* The library stays loaded: its drivers (loaded by libltdl) and
 * fontconfig's cache refer to it. */
static void pl_load(void)
{
    pl_loaded = vqi_dynlib_load(VQI_PLPLOT_SONAME, pl_syms, sizeof pl_syms / sizeof *pl_syms,
                                pl_load_error, sizeof pl_load_error) == 0;
}

static int pl_ready(void)
{
    pthread_once(&pl_once, pl_load);
    return pl_loaded;
}

int plot_plplot_load(vqi_err *err)
{
    if (pl_ready())
        return 0;
    return vqi_err_set(err, VQI_EXIT_FAIL, "cannot draw figures: cannot load %s: %s",
                       VQI_PLPLOT_SONAME, pl_load_error);
}

/* Each wrapper forwards when the library is there, else does nothing. */
#define PL_CALL(name, ...) do { if (pl_ready()) real_##name(__VA_ARGS__); } while (0)

void c_pladv(PLINT page) { PL_CALL(c_pladv, page); }

void c_plbox(PLCHAR_VECTOR xopt, PLFLT xtick, PLINT nxsub, PLCHAR_VECTOR yopt, PLFLT ytick,
             PLINT nysub)
{
    PL_CALL(c_plbox, xopt, xtick, nxsub, yopt, ytick, nysub);
}

void c_plcol0(PLINT icol0) { PL_CALL(c_plcol0, icol0); }
void c_plcol1(PLFLT col1) { PL_CALL(c_plcol1, col1); }
void c_plend(void) { if (pl_ready()) real_c_plend(); }
void c_plfill(PLINT n, PLFLT_VECTOR x, PLFLT_VECTOR y) { PL_CALL(c_plfill, n, x, y); }
void c_plinit(void) { if (pl_ready()) real_c_plinit(); }

void c_pllegend(PLFLT_NC_SCALAR p_legend_width, PLFLT_NC_SCALAR p_legend_height, PLINT opt,
                PLINT position, PLFLT x, PLFLT y, PLFLT plot_width, PLINT bg_color,
                PLINT bb_color, PLINT bb_style, PLINT nrow, PLINT ncolumn, PLINT nlegend,
                PLINT_VECTOR opt_array, PLFLT text_offset, PLFLT text_scale,
                PLFLT text_spacing, PLFLT text_justification, PLINT_VECTOR text_colors,
                PLCHAR_MATRIX text, PLINT_VECTOR box_colors, PLINT_VECTOR box_patterns,
                PLFLT_VECTOR box_scales, PLFLT_VECTOR box_line_widths,
                PLINT_VECTOR line_colors, PLINT_VECTOR line_styles,
                PLFLT_VECTOR line_widths, PLINT_VECTOR symbol_colors,
                PLFLT_VECTOR symbol_scales, PLINT_VECTOR symbol_numbers,
                PLCHAR_MATRIX symbols)
{
    PL_CALL(c_pllegend, p_legend_width, p_legend_height, opt, position, x, y, plot_width,
            bg_color, bb_color, bb_style, nrow, ncolumn, nlegend, opt_array, text_offset,
            text_scale, text_spacing, text_justification, text_colors, text, box_colors,
            box_patterns, box_scales, box_line_widths, line_colors, line_styles, line_widths,
            symbol_colors, symbol_scales, symbol_numbers, symbols);
}

void c_plline(PLINT n, PLFLT_VECTOR x, PLFLT_VECTOR y) { PL_CALL(c_plline, n, x, y); }
void c_pllsty(PLINT lin) { PL_CALL(c_pllsty, lin); }

void c_plmtex(PLCHAR_VECTOR side, PLFLT disp, PLFLT pos, PLFLT just, PLCHAR_VECTOR text)
{
    PL_CALL(c_plmtex, side, disp, pos, just, text);
}

void c_plptex(PLFLT x, PLFLT y, PLFLT dx, PLFLT dy, PLFLT just, PLCHAR_VECTOR text)
{
    PL_CALL(c_plptex, x, y, dx, dy, just, text);
}

void c_plschr(PLFLT def, PLFLT scale) { PL_CALL(c_plschr, def, scale); }
void c_plscmap0n(PLINT ncol0) { PL_CALL(c_plscmap0n, ncol0); }

void c_plscmap1l(PLBOOL itype, PLINT npts, PLFLT_VECTOR intensity, PLFLT_VECTOR coord1,
                 PLFLT_VECTOR coord2, PLFLT_VECTOR coord3, PLBOOL_VECTOR alt_hue_path)
{
    PL_CALL(c_plscmap1l, itype, npts, intensity, coord1, coord2, coord3, alt_hue_path);
}

void c_plscol0(PLINT icol0, PLINT r, PLINT g, PLINT b) { PL_CALL(c_plscol0, icol0, r, g, b); }
void c_plscolbg(PLINT r, PLINT g, PLINT b) { PL_CALL(c_plscolbg, r, g, b); }
void c_plsdev(PLCHAR_VECTOR devname) { PL_CALL(c_plsdev, devname); }
void c_plsmaj(PLFLT def, PLFLT scale) { PL_CALL(c_plsmaj, def, scale); }
void c_plsmin(PLFLT def, PLFLT scale) { PL_CALL(c_plsmin, def, scale); }

void c_plspage(PLFLT xp, PLFLT yp, PLINT xleng, PLINT yleng, PLINT xoff, PLINT yoff)
{
    PL_CALL(c_plspage, xp, yp, xleng, yleng, xoff, yoff);
}

void c_plvpor(PLFLT xmin, PLFLT xmax, PLFLT ymin, PLFLT ymax)
{
    PL_CALL(c_plvpor, xmin, xmax, ymin, ymax);
}

void c_plwidth(PLFLT width) { PL_CALL(c_plwidth, width); }

void c_plwind(PLFLT xmin, PLFLT xmax, PLFLT ymin, PLFLT ymax)
{
    PL_CALL(c_plwind, xmin, xmax, ymin, ymax);
}

void plsabort(void (*handler)(PLCHAR_VECTOR)) { PL_CALL(plsabort, handler); }
void plsfile(FILE *file) { PL_CALL(plsfile, file); }
