/* plplot_loader.h - libplplot is loaded with dlopen() when the first figure
 * is drawn (see plplot_loader.c); plot_begin asks here first so that a
 * missing library is an error message, not a crash. */
#ifndef VQI_PLPLOT_LOADER_H
#define VQI_PLPLOT_LOADER_H

#include "../util/err.h"

/* Load libplplot (once per process); -1 with err filled if it cannot be. */
int plot_plplot_load(vqi_err *err);

#endif
