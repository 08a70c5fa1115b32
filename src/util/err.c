/* err.c - error values, warnings and terminal progress (see err.h). */
#include "err.h"

#include <stdio.h>
#include <unistd.h>

static int warn_muted;

int vqi_err_set(vqi_err *e, int code, const char *fmt, ...)
{
    if (e) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(e->msg, sizeof e->msg, fmt, ap);
        va_end(ap);
        e->code = code;
    }
    return -1;
}

void vqi_warn_mute(int muted) { warn_muted = muted; }

void vqi_warn(const char *context, const char *fmt, ...)
{
    if (warn_muted)
        return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "vqi: warning: %s: ", context ? context : "-");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static int progress_shown;

void vqi_progress(const char *label, double done, double total)
{
    if (warn_muted || !isatty(2) || total <= 0)
        return;
    fprintf(stderr, "\r%s %3.0f%%", label, 100.0 * done / total);
    progress_shown = 1;
}

void vqi_progress_end(void)
{
    if (progress_shown) {
        fputs("\r\033[K", stderr);
        progress_shown = 0;
    }
}
