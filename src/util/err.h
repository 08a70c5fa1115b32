/* err.h - error values passed up from the library to the CLI.
 *
 * Library code never prints and never exits: a failing call fills a vqi_err
 * and returns -1 (or NULL).  The CLI prints "vqi: FILE: message" and picks the
 * exit code.  Warnings (e.g. a truncated capture) go through vqi_warn(), which
 * the CLI may silence with --quiet. */
#ifndef VQI_ERR_H
#define VQI_ERR_H

#include <stdarg.h>

/* Exit codes shared by every subcommand (documented in README). */
enum { VQI_EXIT_OK = 0, VQI_EXIT_FAIL = 1, VQI_EXIT_USAGE = 2 };

typedef struct vqi_err {
    char msg[512];
    int code;                  /* VQI_EXIT_FAIL or VQI_EXIT_USAGE (bad input) */
} vqi_err;

/* Fill *e (if not NULL) with a formatted message; returns -1 for convenience. */
int vqi_err_set(vqi_err *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Warnings: "vqi: warning: <context>: <message>" on stderr unless muted. */
void vqi_warn(const char *context, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void vqi_warn_mute(int muted);

/* Progress on a terminal only (stderr is a tty): "\r<label> <pct>%". */
void vqi_progress(const char *label, double done, double total);
void vqi_progress_end(void);

#endif
