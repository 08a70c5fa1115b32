/* locate.c - where the bundled default model lives: $VQI_MODEL, else next to
 * the executable (the repository's data/models when run from the tree or
 * from build/<mode>/, share/vqi/models when installed). */
#include "predict.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int vqi_default_model_path(char *buf, size_t size, vqi_err *err)
{
    const char *env = getenv(VQI_MODEL_ENV);
    if (env && *env) {
        if (strlen(env) >= size)
            return vqi_err_set(err, VQI_EXIT_USAGE, "%s is too long", VQI_MODEL_ENV);
        strcpy(buf, env);
        return 0;
    }
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0)
        return vqi_err_set(err, VQI_EXIT_USAGE,
                           "no default model: cannot find the program's directory; "
                           "give --model MODEL or set %s", VQI_MODEL_ENV);
    exe[len] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash)
        *slash = '\0';
    static const char *const rel[] = {"/data/models/", "/../data/models/",
                                      "/../../data/models/", "/../share/vqi/models/"};
    for (size_t i = 0; i < sizeof rel / sizeof *rel; i++) {
        int n = snprintf(buf, size, "%s%s%s", exe, rel[i], VQI_DEFAULT_MODEL_NAME);
        if (n > 0 && (size_t)n < size && access(buf, R_OK) == 0)
            return 0;
    }
    return vqi_err_set(err, VQI_EXIT_USAGE,
                       "no default model: %s not found in %s/data/models, ../data/models, "
                       "../../data/models or ../share/vqi/models; give --model MODEL or set %s",
                       VQI_DEFAULT_MODEL_NAME, exe, VQI_MODEL_ENV);
}
