/* test_loader.c - what vqi does when libxgboost or libplplot cannot be
 * loaded: the loaders are compiled here with sonames that do not exist, so
 * every XGBoost call must return -1 with "cannot load ..." from
 * XGBGetLastError(), and a figure must fail with a clear message and leave no
 * file behind, instead of crashing.  (The working path is covered by
 * test_model, test_plot and the train/eval/predict shell tests.) */
#undef VQI_XGBOOST_SONAME
#undef VQI_PLPLOT_SONAME
#define VQI_XGBOOST_SONAME "libvqi-test-missing-xgboost.so.0"
#define VQI_PLPLOT_SONAME "libvqi-test-missing-plplot.so.17"
/* These definitions take the place of libvqi.a's loader objects (the linker
 * only pulls archive members for symbols still undefined). */
#include "../../src/model/xgb_loader.c"
#include "../../src/plot/plplot_loader.c"

#include "check.h"
#include "plot/plot.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int starts_with(const char *s, const char *prefix)
{
    return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

static void test_xgboost_missing(void)
{
    BoosterHandle b = NULL;
    CHECK_INT(XGBoosterCreate(NULL, 0, &b), -1, "XGBoosterCreate without libxgboost");
    CHECK(b == NULL, "no booster handle was produced");
    const char *msg = XGBGetLastError();
    CHECK(starts_with(msg, "cannot load libvqi-test-missing-xgboost.so.0: "),
          "XGBGetLastError says which library is missing: '%s'", msg ? msg : "(null)");
    CHECK(strstr(msg, "No such file") != NULL || strstr(msg, "cannot open") != NULL,
          "and why (dlerror): '%s'", msg);
    float x[2] = {1, 2};
    DMatrixHandle dm = NULL;
    CHECK_INT(XGDMatrixCreateFromMat(x, 1, 2, 0.0f, &dm), -1, "XGDMatrixCreateFromMat fails");
    CHECK_INT(XGBSetGlobalConfig("{}"), -1, "XGBSetGlobalConfig fails");
    CHECK_INT(XGBoosterSetParam(NULL, "a", "b"), -1, "XGBoosterSetParam fails");
    CHECK_INT(XGBoosterFree(NULL), -1, "XGBoosterFree fails without crashing");
    CHECK_INT(XGDMatrixFree(NULL), -1, "XGDMatrixFree fails without crashing");
}

static void test_plplot_missing(void)
{
    char dir[] = "/tmp/vqi-test-loader-XXXXXX";
    CHECK(mkdtemp(dir) != NULL, "temporary directory");
    char path[256];
    snprintf(path, sizeof path, "%s/cm.png", dir);
    size_t matrix[4] = {3, 1, 0, 2};
    const char *const labels[2] = {"360", "720"};
    vqi_err err = {0};
    CHECK_INT(vqi_plot_confusion(path, "t", matrix, labels, 2, &err), -1,
              "a figure without libplplot fails");
    CHECK(starts_with(err.msg, "cannot draw figures: cannot load "
                               "libvqi-test-missing-plplot.so.17: "),
          "with a message naming the library: '%s'", err.msg);
    CHECK_INT(err.code, VQI_EXIT_FAIL, "exit code of that failure");
    CHECK(access(path, F_OK) != 0, "no figure file is left behind");
    rmdir(dir);
    /* the drawing functions themselves are harmless no-ops then */
    c_plinit();
    c_plend();
    CHECK(1, "PLplot calls without the library do not crash");
}

int main(void)
{
    test_xgboost_missing();
    test_plplot_missing();
    return check_done();
}
