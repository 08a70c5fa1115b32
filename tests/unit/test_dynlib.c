/* test_dynlib.c - vqi_dynlib_load: a library that is there (libm, resolved
 * functions give the C library's answers), a missing function, a missing
 * library; the messages are what the loaders report. */
#include <math.h>
#include <string.h>

#include "../../src/util/dynlib.h"
#include "check.h"

static __typeof__(cos) *real_cos;
static __typeof__(sqrt) *real_sqrt;
static void (*real_missing)(void);

int main(void)
{
    char why[200] = "";
    const vqi_dynsym good[] = {VQI_DYNSYM(real_, cos) VQI_DYNSYM(real_, sqrt)};
    CHECK_INT(vqi_dynlib_load("libm.so.6", good, 2, why, sizeof why), 0, "libm loads");
    CHECK(real_cos && real_cos(0.0) == 1.0, "cos resolved: cos(0) = 1");
    CHECK(real_sqrt && real_sqrt(16.0) == 4.0, "sqrt resolved: sqrt(16) = 4");

    const vqi_dynsym bad[] = {VQI_DYNSYM(real_, cos) {"vqi_no_such_function", (void **)&real_missing}};
    CHECK_INT(vqi_dynlib_load("libm.so.6", bad, 2, why, sizeof why), -1, "a missing function fails");
    CHECK_STR(why, "no symbol vqi_no_such_function", "and names it");

    CHECK_INT(vqi_dynlib_load("libvqi-test-missing.so.9", good, 2, why, sizeof why), -1,
              "a missing library fails");
    CHECK(strstr(why, "libvqi-test-missing.so.9") != NULL, "and dlerror names it: '%s'", why);

    char tiny[8];
    CHECK_INT(vqi_dynlib_load("libvqi-test-missing.so.9", good, 2, tiny, sizeof tiny), -1,
              "a short message buffer");
    CHECK_INT((int)strlen(tiny), 7, "is filled and terminated");
    return check_done();
}
