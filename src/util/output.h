/* output.h - output files that appear only when the run succeeds.
 *
 * vqi_out_open("-" or NULL) writes to stdout.  Any other path is written to a
 * temporary file in the same directory and renamed over PATH by
 * vqi_out_commit(); vqi_out_abort() (or a failed commit) removes it, so a
 * failing run never leaves a partial file behind. */
#ifndef VQI_OUTPUT_H
#define VQI_OUTPUT_H

#include <stdio.h>
#include "err.h"

typedef struct vqi_out vqi_out;

vqi_out *vqi_out_open(const char *path, vqi_err *err);
FILE *vqi_out_file(vqi_out *o);
const char *vqi_out_path(const vqi_out *o);      /* final path ("-" for stdout) */
int vqi_out_commit(vqi_out *o, vqi_err *err);    /* frees o; -1 on write error */
void vqi_out_abort(vqi_out *o);                  /* frees o; NULL is fine */

/* Remove every temporary file still open (called from signal/exit paths). */
void vqi_out_abort_all(void);

#endif
