/* output.c - write-to-temporary-then-rename output files (see output.h). */
#include "output.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct vqi_out {
    FILE *f;
    char *path;      /* final name */
    char *tmp;       /* temporary name, NULL for stdout and special files */
    int direct;      /* written in place: a device, FIFO or socket (/dev/null) */
    vqi_out *next;   /* list of open temporaries, for vqi_out_abort_all */
};

static vqi_out *open_outputs;

static void unlink_open(vqi_out *o)
{
    for (vqi_out **p = &open_outputs; *p; p = &(*p)->next)
        if (*p == o) {
            *p = o->next;
            break;
        }
}

vqi_out *vqi_out_open(const char *path, vqi_err *err)
{
    vqi_out *o = calloc(1, sizeof *o);
    if (!o) {
        vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
        return NULL;
    }
    if (!path || strcmp(path, "-") == 0) {
        o->f = stdout;
        o->path = strdup("-");
        return o;
    }
    /* A device or FIFO (/dev/null, /dev/stdout, a named pipe) cannot be
     * replaced by rename: that would turn /dev/null into a regular file.
     * Write to it in place; there is no partial file to worry about. */
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
        o->path = strdup(path);
        if (!o->path || !(o->f = fopen(path, "w"))) {
            vqi_err_set(err, VQI_EXIT_FAIL, "cannot open output: %s",
                        o->path ? strerror(errno) : "out of memory");
            free(o->path);
            free(o);
            return NULL;
        }
        o->direct = 1;
        return o;
    }
    size_t n = strlen(path);
    o->path = strdup(path);
    o->tmp = malloc(n + 16);
    if (!o->path || !o->tmp) {
        free(o->path);
        free(o->tmp);
        free(o);
        vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
        return NULL;
    }
    snprintf(o->tmp, n + 16, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(o->tmp);
    if (fd >= 0) {
        /* mkstemp makes 0600; give the file the mode a plain creat() would */
        mode_t mask = umask(0);
        umask(mask);
        fchmod(fd, 0666 & ~mask);
    }
    if (fd < 0 || !(o->f = fdopen(fd, "w"))) {
        vqi_err_set(err, VQI_EXIT_FAIL, "cannot create output: %s", strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(o->tmp);
        }
        free(o->path);
        free(o->tmp);
        free(o);
        return NULL;
    }
    o->next = open_outputs;
    open_outputs = o;
    return o;
}

FILE *vqi_out_file(vqi_out *o) { return o->f; }
const char *vqi_out_path(const vqi_out *o) { return o->path; }

static void release(vqi_out *o)
{
    unlink_open(o);
    free(o->path);
    free(o->tmp);
    free(o);
}

int vqi_out_commit(vqi_out *o, vqi_err *err)
{
    int rc = 0;
    if (!o->tmp && !o->direct) {
        errno = 0;
        /* a reader that went away (`vqi packets X | head`) is not an error */
        if ((fflush(o->f) != 0 || ferror(o->f)) && errno != EPIPE)
            rc = vqi_err_set(err, VQI_EXIT_FAIL, "write error on standard output");
        release(o);
        return rc;
    }
    if (o->direct) {
        errno = 0;
        int failed = ferror(o->f) | (fflush(o->f) != 0);
        int e = errno;
        failed |= fclose(o->f) != 0;
        if (failed)
            rc = vqi_err_set(err, VQI_EXIT_FAIL, "write error: %s",
                             strerror(e ? e : errno ? errno : EIO));
        release(o);
        return rc;
    }
    if (ferror(o->f) | (fclose(o->f) != 0)) {
        rc = vqi_err_set(err, VQI_EXIT_FAIL, "write error: %s", strerror(errno));
        unlink(o->tmp);
    } else if (rename(o->tmp, o->path) != 0) {
        rc = vqi_err_set(err, VQI_EXIT_FAIL, "cannot rename output into place: %s",
                         strerror(errno));
        unlink(o->tmp);
    }
    release(o);
    return rc;
}

void vqi_out_abort(vqi_out *o)
{
    if (!o)
        return;
    if (o->tmp) {
        fclose(o->f);
        unlink(o->tmp);
    } else if (o->direct) {
        fclose(o->f);
    }
    release(o);
}

void vqi_out_abort_all(void)
{
    for (vqi_out *o = open_outputs; o; o = o->next)
        if (o->tmp)
            unlink(o->tmp);
}
