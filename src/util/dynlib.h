/* dynlib.h - loading an optional shared library at run time (dlopen) and
 * resolving the functions vqi calls from it.  libpcap, libxgboost and
 * libplplot are loaded this way, only by the commands that need them, so
 * that every other vqi process starts without them (see their loaders). */
#ifndef VQI_DYNLIB_H
#define VQI_DYNLIB_H

#include <stddef.h>

/* A function to resolve: its name and where its address goes. */
typedef struct vqi_dynsym {
    const char *name;
    void **slot;
} vqi_dynsym;

/* An entry for VQI_DYNSYM(real_, name): resolves `name` into real_name,
 * a pointer typed from name's declaration. */
#define VQI_DYNSYM(prefix, name) {#name, (void **)&prefix##name},

/* Opens soname (RTLD_NOW | RTLD_LOCAL) and fills every slot.  Returns 0,
 * or -1 with why[] set to dlerror()'s text or "no symbol NAME".  The
 * library stays loaded for the life of the process: callers keep its
 * functions, threads and global state. */
int vqi_dynlib_load(const char *soname, const vqi_dynsym *syms, size_t n, char *why,
                    size_t why_len);

#endif
