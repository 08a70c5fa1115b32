/* plot_int.h - the PLplot session shared by the figures of src/plot: open a
 * stream on a temporary output file in the right cairo format with vqi's
 * colours, and close it (renaming the file into place). */
#ifndef VQI_PLOT_INT_H
#define VQI_PLOT_INT_H

#include "../util/output.h"
#include "plot.h"

/* Colour map 0 entries set by plot_begin. */
enum {
    PLOT_BG = 0, PLOT_FG = 1, PLOT_GRID = 2, PLOT_WHITE = 3,
    PLOT_SERIES = 4, PLOT_NSERIES = 8   /* distinct line colours 4..11 */
};

/* Start a figure of width x height pixels; NULL on error. */
vqi_out *plot_begin(const char *path, int width, int height, vqi_err *err);
/* Finish it: close the PLplot stream and commit the file. */
int plot_end(vqi_out *o, vqi_err *err);

#endif
