/* dynlib.c - dlopen a shared library and resolve a table of functions. */
#include "dynlib.h"

#include <dlfcn.h>
#include <stdio.h>

int vqi_dynlib_load(const char *soname, const vqi_dynsym *syms, size_t n, char *why,
                    size_t why_len)
{
    void *lib = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        const char *e = dlerror();
        snprintf(why, why_len, "%s", e ? e : "dlopen failed");
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        /* POSIX: a function's address from dlsym is stored through void * */
        if (!(*syms[i].slot = dlsym(lib, syms[i].name))) {
            snprintf(why, why_len, "no symbol %s", syms[i].name);
            return -1;
        }
    }
    return 0;
}
